package dev.bascule.rehearsal;

import dev.bascule.dialect.SourceTable;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Copies real tables, and a sample of their rows, into a scratch schema. Every statement is built
 * from the catalog with each identifier quoted; the only text taken whole from the server is its
 * own printing of a constraint, an index or a default.
 *
 * <p>The columns come from {@code CREATE TABLE (LIKE src INCLUDING ALL EXCLUDING INDEXES EXCLUDING
 * CONSTRAINTS)}: LIKE gets types, defaults, NOT NULL, identity, generated columns, storage,
 * compression, statistics and comments right. Its own index and constraint copies are left out
 * because LIKE names indexes after the new table ({@code users_email_idx} for any name), and a
 * migration names the indexes and constraints it drops; so those are added by name from
 * {@code pg_get_constraintdef}/{@code pg_get_indexdef}, after the rows are in (one index build
 * instead of one update per row). LIKE copies no foreign keys: those among the copied tables are
 * built from {@code pg_constraint} to point at the copies. A default calling {@code nextval} would
 * still draw from the real sequence (and a migration that widens a serial key alters its
 * sequence), so each such sequence is copied too, at the real one's position.
 */
final class ScratchCopy {
    /** What was copied. */
    record Result(List<SourceTable> tables, Map<String, Long> rows, List<String> notes) {}

    private final Connection c;
    private final String schema;
    private final String scratch;

    ScratchCopy(Connection c, String schema, String scratch) {
        this.c = c;
        this.schema = schema;
        this.scratch = scratch;
    }

    Result copy(List<SourceTable> tables, long sampleRows, Optional<Double> samplePercent) throws SQLException {
        List<String> notes = new ArrayList<>();
        Set<String> copied = tables.stream().map(SourceTable::name).collect(Collectors.toSet());
        Map<String, List<SourceTable.ForeignKey>> kept = new TreeMap<>();
        for (SourceTable t : tables) {
            List<SourceTable.ForeignKey> fks = new ArrayList<>();
            for (SourceTable.ForeignKey fk : t.foreignKeys()) {
                if (fk.refSchema().equals(schema) && copied.contains(fk.refTable())) {
                    fks.add(fk);
                } else {
                    notes.add("foreign key " + fk.name() + " of " + t.name() + " not copied: it points at "
                            + fk.refSchema() + "." + fk.refTable() + ", which the migration does not touch");
                }
            }
            kept.put(t.name(), fks);
            if (!t.triggers().isEmpty()) {
                notes.add("triggers of " + t.name() + " not copied (" + String.join(", ", t.triggers())
                        + "): what they do is not rehearsed");
            }
        }
        exec("CREATE SCHEMA " + q(scratch));
        for (SourceTable t : tables) {
            exec("CREATE TABLE " + scratchName(t.name()) + " (LIKE " + realName(t.name())
                    + " INCLUDING ALL EXCLUDING INDEXES EXCLUDING CONSTRAINTS)");
        }
        Map<String, Long> rows = new TreeMap<>();
        List<SourceTable> order = parentsFirst(tables, kept);
        List<String> done = new ArrayList<>();
        for (SourceTable t : order) {
            rows.put(t.name(), copyRows(t, kept.get(t.name()), done, sampleRows, samplePercent));
            done.add(t.name());
        }
        long orphans = dropOrphans(tables, kept);
        if (orphans > 0) {
            notes.add(orphans + " sampled rows left out: their foreign keys pointed at rows not in the sample");
            for (SourceTable t : tables) {
                rows.put(t.name(), count(t.name()));
            }
        }
        for (SourceTable t : tables) {
            for (SourceTable.Definition d : t.constraints()) {
                exec("ALTER TABLE " + scratchName(t.name()) + " ADD CONSTRAINT " + q(d.name()) + " " + d.definition());
            }
            for (SourceTable.Definition d : t.indexes()) {
                exec("CREATE " + ("unique".equals(d.kind()) ? "UNIQUE " : "") + "INDEX " + q(d.name()) + " ON "
                        + scratchName(t.name()) + " " + d.definition());
            }
        }
        for (SourceTable t : tables) {
            for (SourceTable.ForeignKey fk : kept.get(t.name())) {
                exec("ALTER TABLE " + scratchName(t.name()) + " ADD CONSTRAINT " + q(fk.name()) + foreignKey(fk));
            }
            copySequences(t);
            exec("ANALYZE " + scratchName(t.name()));
        }
        return new Result(List.copyOf(tables), rows, notes);
    }

    /**
     * Roots are sampled; a table whose foreign key points at a table copied before it takes only
     * rows whose parent was copied (in physical order up to the limit, or its share of a sample by
     * percentage), so the sample keeps its references.
     */
    private long copyRows(SourceTable t, List<SourceTable.ForeignKey> fks, List<String> done, long sampleRows,
                          Optional<Double> samplePercent) throws SQLException {
        String columns = t.insertableColumns().stream().map(ScratchCopy::q).collect(Collectors.joining(", "));
        List<String> filters = new ArrayList<>();
        for (SourceTable.ForeignKey fk : fks) {
            if (done.contains(fk.refTable()) && !fk.refTable().equals(t.name())) {
                filters.add(parentExists("s", fk));
            }
        }
        Double percent = samplePercent.orElse(null);
        if (percent == null && filters.isEmpty() && t.estimatedRows() > sampleRows) {
            percent = Math.min(100.0, 100.0 * sampleRows * 1.2 / t.estimatedRows()); // a margin for the sample's spread
        }
        boolean sample = percent != null && percent < 100.0;
        String sql = "INSERT INTO " + scratchName(t.name()) + " (" + columns + ") OVERRIDING SYSTEM VALUE SELECT " + columns
                + " FROM " + realName(t.name()) + " s" + (sample ? " TABLESAMPLE BERNOULLI (?)" : "")
                + (filters.isEmpty() ? "" : " WHERE " + String.join(" AND ", filters))
                + (samplePercent.isPresent() ? "" : " LIMIT ?");
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            if (sample) {
                ps.setDouble(i++, percent);
            }
            if (samplePercent.isEmpty()) {
                ps.setLong(i, sampleRows);
            }
            return ps.executeUpdate();
        }
    }

    /** MATCH SIMPLE: a reference with a NULL in it points at nothing and needs no parent. */
    private String parentExists(String alias, SourceTable.ForeignKey fk) {
        String nulls = fk.columns().stream().map(col -> alias + "." + q(col) + " IS NULL").collect(Collectors.joining(" OR "));
        String match = IntStream.range(0, fk.columns().size())
                .mapToObj(i -> "p." + q(fk.refColumns().get(i)) + " = " + alias + "." + q(fk.columns().get(i)))
                .collect(Collectors.joining(" AND "));
        return "(" + nulls + " OR EXISTS (SELECT 1 FROM " + scratchName(fk.refTable()) + " p WHERE " + match + "))";
    }

    /**
     * Deletes copied rows whose reference has no copied parent (a table pointing at itself, or at a
     * table copied after it), until none is left: a delete can orphan rows in turn.
     */
    private long dropOrphans(List<SourceTable> tables, Map<String, List<SourceTable.ForeignKey>> kept) throws SQLException {
        long total = 0;
        for (int round = 0; round < 100; round++) {
            long deleted = 0;
            for (SourceTable t : tables) {
                for (SourceTable.ForeignKey fk : kept.get(t.name())) {
                    try (Statement s = c.createStatement()) {
                        deleted += s.executeUpdate("DELETE FROM " + scratchName(t.name()) + " s WHERE NOT " + parentExists("s", fk));
                    }
                }
            }
            total += deleted;
            if (deleted == 0) {
                return total;
            }
        }
        throw new IllegalStateException("sampled rows kept losing their parents after 100 rounds");
    }

    private String foreignKey(SourceTable.ForeignKey fk) {
        return " FOREIGN KEY (" + fk.columns().stream().map(ScratchCopy::q).collect(Collectors.joining(", ")) + ") REFERENCES "
                + scratchName(fk.refTable()) + " (" + fk.refColumns().stream().map(ScratchCopy::q).collect(Collectors.joining(", ")) + ")"
                + (fk.match() == 'f' ? " MATCH FULL" : "")
                + " ON UPDATE " + action(fk.onUpdate()) + " ON DELETE " + action(fk.onDelete())
                + (fk.deferrable() ? " DEFERRABLE INITIALLY " + (fk.deferred() ? "DEFERRED" : "IMMEDIATE") : "")
                + (fk.validated() ? "" : " NOT VALID");
    }

    private static String action(char code) {
        return switch (code) {
            case 'r' -> "RESTRICT";
            case 'c' -> "CASCADE";
            case 'n' -> "SET NULL";
            case 'd' -> "SET DEFAULT";
            default -> "NO ACTION";
        };
    }

    /**
     * Gives each default that draws from a sequence a scratch copy of it, and every sequence (an
     * identity's too) the real one's position, so that new rows get keys the sample does not have.
     */
    private void copySequences(SourceTable t) throws SQLException {
        for (SourceTable.SequenceDefault s : t.sequences()) {
            String copy = scratchName(s.sequence());
            if (!sequenceExists(s.sequence())) {
                exec("CREATE SEQUENCE " + copy + " AS " + s.type() + " INCREMENT BY " + s.increment() + " MINVALUE " + s.min()
                        + " MAXVALUE " + s.max() + " START WITH " + s.start() + (s.cycle() ? " CYCLE" : " NO CYCLE"));
                position(realName(s.sequence()), copy);
            }
            if (s.owned()) {
                exec("ALTER SEQUENCE " + copy + " OWNED BY " + scratchName(t.name()) + "." + q(s.column()));
            }
            String literal = "'" + copy.replace("'", "''") + "'::regclass";
            exec("ALTER TABLE " + scratchName(t.name()) + " ALTER COLUMN " + q(s.column()) + " SET DEFAULT "
                    + s.defaultExpression().replace(s.sequenceLiteral(), literal));
        }
        for (String column : t.identities()) {
            position(serialSequence(schema, t.name(), column), serialSequence(scratch, t.name(), column));
        }
    }

    private boolean sequenceExists(String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                + " WHERE n.nspname = ? AND c.relname = ?")) {
            ps.setString(1, scratch);
            ps.setString(2, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private String serialSequence(String inSchema, String table, String column) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_get_serial_sequence(?, ?)")) {
            ps.setString(1, q(inSchema) + "." + q(table));
            ps.setString(2, column);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1); // already quoted and qualified by the server
            }
        }
    }

    /** Reads the real sequence (reading does not advance it) and sets the copy to the same point. */
    private void position(String real, String copy) throws SQLException {
        long last;
        boolean called;
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT last_value, is_called FROM " + real)) {
            rs.next();
            last = rs.getLong(1);
            called = rs.getBoolean(2);
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT setval(?::regclass, ?, ?)")) {
            ps.setString(1, copy);
            ps.setLong(2, last);
            ps.setBoolean(3, called);
            ps.executeQuery().close();
        }
    }

    private long count(String table) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM " + scratchName(table))) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static List<SourceTable> parentsFirst(List<SourceTable> tables, Map<String, List<SourceTable.ForeignKey>> kept) {
        List<SourceTable> order = new ArrayList<>();
        List<SourceTable> left = new ArrayList<>(tables);
        left.sort(java.util.Comparator.comparing(SourceTable::name));
        while (!left.isEmpty()) {
            SourceTable next = left.stream()
                    .filter(t -> kept.get(t.name()).stream().map(SourceTable.ForeignKey::refTable)
                            .allMatch(p -> p.equals(t.name()) || order.stream().anyMatch(o -> o.name().equals(p))))
                    .findFirst().orElse(left.get(0)); // a cycle: its orphans are dropped afterwards
            order.add(next);
            left.remove(next);
        }
        return order;
    }

    private void exec(String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private String scratchName(String name) {
        return q(scratch) + "." + q(name);
    }

    private String realName(String name) {
        return q(schema) + "." + q(name);
    }

    static String q(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }
}
