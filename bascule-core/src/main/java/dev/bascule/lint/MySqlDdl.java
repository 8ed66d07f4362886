package dev.bascule.lint;

import dev.bascule.sql.SqlLexer;

import dev.bascule.sql.SqlLexer.Kind;
import dev.bascule.sql.SqlLexer.Token;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * A MySQL or MariaDB statement that changes an existing table, read into the actions that decide its
 * algorithm and lock: ALTER TABLE, CREATE INDEX, DROP INDEX, RENAME TABLE, OPTIMIZE TABLE. Lint's MySQL
 * rules and {@link MySqlDdlFacts} both read statements through it, so that they agree on what a statement does.
 *
 * @param table     the (first) table, without its database
 * @param algorithm the ALGORITHM clause in lower case ({@code instant}, {@code inplace}...), or null
 * @param lock      the LOCK clause in lower case ({@code none}, {@code shared}...), or null
 * @param waits     MariaDB's {@code WAIT n} or {@code NOWAIT}: the statement bounds its own metadata-lock wait
 */
record MySqlDdl(Verb verb, String table, List<Action> actions, String algorithm, String lock, boolean waits) {
    public enum Verb { ALTER_TABLE, CREATE_INDEX, DROP_INDEX, RENAME_TABLE, OPTIMIZE_TABLE }

    /** What one clause of the statement does. */
    public enum Op {
        ADD_COLUMN, DROP_COLUMN, RENAME_COLUMN, CHANGE_COLUMN, MODIFY_COLUMN, COLUMN_DEFAULT,
        ADD_INDEX, ADD_FULLTEXT_INDEX, ADD_SPATIAL_INDEX, DROP_INDEX, RENAME_INDEX,
        ADD_PRIMARY_KEY, DROP_PRIMARY_KEY, ADD_FOREIGN_KEY, DROP_FOREIGN_KEY, ADD_CHECK, DROP_CONSTRAINT,
        RENAME_TABLE, CONVERT_CHARSET, TABLE_CHARSET, REBUILD, AUTO_INCREMENT, TABLE_OPTION, OTHER
    }

    /**
     * One clause.
     *
     * @param column     the column (or index, or renamed table) it is about, or null
     * @param newName    the name it gets (RENAME, CHANGE), or null
     * @param definition a column definition's tokens from its type on (ADD, CHANGE, MODIFY), else empty
     */
    public record Action(Op op, List<Token> tokens, String column, String newName, List<Token> definition) {
        public boolean has(String word) {
            return tokens.stream().anyMatch(t -> t.is(word));
        }

        /** The definition's type, lower case and without spaces: {@code varchar(50)}, {@code int unsigned}, {@code enum('a','b')}. */
        public String type() {
            if (definition.isEmpty()) return "";
            StringBuilder type = new StringBuilder(definition.get(0).text());
            int i = 1;
            if (i < definition.size() && definition.get(i).isSymbol("(")) {
                int depth = 0;
                for (; i < definition.size(); i++) {
                    Token t = definition.get(i);
                    if (t.isSymbol("(")) depth++;
                    if (t.isSymbol(")")) depth--;
                    type.append(t.kind() == Kind.WORD ? t.text() : t.text().toLowerCase(Locale.ROOT));
                    if (depth == 0) { i++; break; }
                }
            }
            while (i < definition.size() && Set.of("unsigned", "signed", "zerofill").contains(definition.get(i).text())) {
                type.append(' ').append(definition.get(i++).text());
            }
            return type.toString();
        }

        /** FIRST or AFTER col: the clause places the column somewhere other than last. */
        public boolean positioned() {
            return definition.stream().anyMatch(t -> t.is("first") || t.is("after"));
        }
    }

    private static final Set<String> ALGORITHMS = Set.of("default", "instant", "nocopy", "inplace", "copy");
    private static final Set<String> LOCKS = Set.of("default", "none", "shared", "exclusive");

    public boolean hasOp(Op op) {
        return actions.stream().anyMatch(a -> a.op() == op);
    }

    /** Reads a statement (tokens without comments, as the MySQL lexer gives them); empty when it is not one of these. */
    public static Optional<MySqlDdl> parse(List<Token> t) {
        Reader r = new Reader(t);
        String first = r.w(0);
        int i = 1;
        while (Set.of("online", "offline", "ignore").contains(r.w(i))) i++;
        if (first.equals("alter") && r.w(i).equals("table")) return Optional.of(r.alter(i + 1));
        if (first.equals("create")) {
            int k = i;
            if (Set.of("unique", "fulltext", "spatial").contains(r.w(k))) k++;
            if (r.w(k).equals("index")) return Optional.of(r.createIndex(i, k + 1));
        }
        if (first.equals("drop") && r.w(i).equals("index")) return Optional.of(r.dropIndex(i + 1));
        if (first.equals("rename") && r.w(i).equals("table")) return Optional.of(r.renameTable(i + 1));
        if (first.equals("optimize")) {
            while (Set.of("no_write_to_binlog", "local").contains(r.w(i))) i++;
            if (r.w(i).equals("table")) {
                StringBuilder name = new StringBuilder();
                r.name(i + 1, name);
                return Optional.of(new MySqlDdl(Verb.OPTIMIZE_TABLE, name.toString(),
                        List.of(new Action(Op.REBUILD, t, name.toString(), null, List.of())), null, null, false));
            }
        }
        return Optional.empty();
    }

    /** Token access by position, with names read the MySQL way (database.table, backticks). */
    static final class Reader {
        final List<Token> t;

        Reader(List<Token> tokens) {
            this.t = tokens;
        }

        String w(int i) {
            return i >= 0 && i < t.size() && t.get(i).kind() == Kind.WORD ? t.get(i).text() : "";
        }

        boolean isName(int i) {
            return i < t.size() && (t.get(i).kind() == Kind.WORD || t.get(i).kind() == Kind.QUOTED);
        }

        /** The name at {@code i} (the last part of a qualified one; {@code IF [NOT] EXISTS} skipped); returns where it ends. */
        int name(int i, StringBuilder out) {
            if (w(i).equals("if")) {
                i++;
                if (w(i).equals("not")) i++;
                if (w(i).equals("exists")) i++;
            }
            if (i >= t.size()) return i;
            out.setLength(0);
            out.append(t.get(i).text());
            while (i + 2 < t.size() && t.get(i + 1).isSymbol(".") && isName(i + 2)) {
                i += 2;
                out.setLength(0);
                out.append(t.get(i).text());
            }
            return i + 1;
        }

        /** Top-level comma-separated parts from {@code from} on. */
        List<List<Token>> parts(int from) {
            return SqlLexer.topLevelParts(t, from);
        }

        /** The value of {@code ALGORITHM [=] x} or {@code LOCK [=] x} at depth 0, or null. */
        String option(String option, Set<String> values) {
            int depth = 0;
            for (int i = 0; i < t.size(); i++) {
                if (t.get(i).isSymbol("(")) depth++;
                if (t.get(i).isSymbol(")")) depth--;
                if (depth == 0 && t.get(i).is(option)) {
                    int v = i + 1 < t.size() && t.get(i + 1).isSymbol("=") ? i + 2 : i + 1;
                    if (values.contains(w(v))) return w(v);
                }
            }
            return null;
        }

        boolean waits(int i) {
            return w(i).equals("nowait") || w(i).equals("wait");
        }

        MySqlDdl alter(int i) {
            StringBuilder table = new StringBuilder();
            i = name(i, table);
            boolean waits = waits(i);
            if (w(i).equals("wait")) i += 2;
            else if (w(i).equals("nowait")) i++;
            List<Action> actions = new ArrayList<>();
            for (List<Token> part : parts(i)) {
                if (!part.isEmpty()) action(part).ifPresent(actions::add);
            }
            return new MySqlDdl(Verb.ALTER_TABLE, table.toString(), actions, option("algorithm", ALGORITHMS), option("lock", LOCKS), waits);
        }

        MySqlDdl createIndex(int kind, int afterIndex) {
            Op op = switch (w(kind)) {
                case "fulltext" -> Op.ADD_FULLTEXT_INDEX;
                case "spatial" -> Op.ADD_SPATIAL_INDEX;
                default -> Op.ADD_INDEX;
            };
            StringBuilder index = new StringBuilder();
            name(afterIndex, index);
            StringBuilder table = new StringBuilder();
            for (int i = afterIndex; i < t.size(); i++) {
                if (t.get(i).is("on")) { name(i + 1, table); break; }
            }
            return new MySqlDdl(Verb.CREATE_INDEX, table.toString(), List.of(new Action(op, t, index.toString(), null, List.of())),
                    option("algorithm", ALGORITHMS), option("lock", LOCKS), waitsAnywhere());
        }

        MySqlDdl dropIndex(int i) {
            StringBuilder index = new StringBuilder();
            i = name(i, index);
            StringBuilder table = new StringBuilder();
            if (w(i).equals("on")) name(i + 1, table);
            return new MySqlDdl(Verb.DROP_INDEX, table.toString(), List.of(new Action(Op.DROP_INDEX, t, index.toString(), null, List.of())),
                    option("algorithm", ALGORITHMS), option("lock", LOCKS), waitsAnywhere());
        }

        MySqlDdl renameTable(int i) {
            List<Action> actions = new ArrayList<>();
            for (List<Token> part : new Reader(t.subList(i, t.size())).parts(0)) {
                Reader p = new Reader(part);
                StringBuilder from = new StringBuilder();
                int k = p.name(0, from);
                boolean waits = p.waits(k);
                if (p.w(k).equals("wait")) k += 2;
                else if (p.w(k).equals("nowait")) k++;
                StringBuilder to = new StringBuilder();
                if (p.w(k).equals("to")) p.name(k + 1, to);
                actions.add(new Action(Op.RENAME_TABLE, part, from.toString(), to.toString(), List.of()));
                if (waits) return new MySqlDdl(Verb.RENAME_TABLE, actions.get(0).column(), actions, null, null, true);
            }
            return new MySqlDdl(Verb.RENAME_TABLE, actions.isEmpty() ? "" : actions.get(0).column(), actions, null, null, false);
        }

        private boolean waitsAnywhere() {
            return t.stream().anyMatch(x -> x.is("wait") || x.is("nowait"));
        }

        /** One clause of ALTER TABLE. */
        private static Optional<Action> action(List<Token> a) {
            Reader r = new Reader(a);
            String verb = r.w(0);
            int i = 1;
            switch (verb) {
                case "add" -> {
                    if (r.w(i).equals("constraint")) {
                        i++;
                        if (!Set.of("primary", "unique", "foreign", "check").contains(r.w(i))) i++;
                    }
                    String what = r.w(i);
                    switch (what) {
                        case "primary" -> { return Optional.of(new Action(Op.ADD_PRIMARY_KEY, a, null, null, List.of())); }
                        case "unique", "index", "key" -> { return Optional.of(new Action(Op.ADD_INDEX, a, null, null, List.of())); }
                        case "fulltext" -> { return Optional.of(new Action(Op.ADD_FULLTEXT_INDEX, a, null, null, List.of())); }
                        case "spatial" -> { return Optional.of(new Action(Op.ADD_SPATIAL_INDEX, a, null, null, List.of())); }
                        case "foreign" -> { return Optional.of(new Action(Op.ADD_FOREIGN_KEY, a, null, null, List.of())); }
                        case "check" -> { return Optional.of(new Action(Op.ADD_CHECK, a, null, null, List.of())); }
                        case "partition" -> { return Optional.of(new Action(Op.OTHER, a, null, null, List.of())); }
                        default -> { }
                    }
                    if (what.equals("column")) i++;
                    if (i < a.size() && a.get(i).isSymbol("(")) {
                        // ADD (a INT, b INT): several columns; the first one's definition stands for them
                        return Optional.of(new Action(Op.ADD_COLUMN, a, null, null, a.subList(Math.min(i + 2, a.size()), a.size())));
                    }
                    StringBuilder column = new StringBuilder();
                    int def = r.name(i, column);
                    return Optional.of(new Action(Op.ADD_COLUMN, a, column.toString(), null, a.subList(Math.min(def, a.size()), a.size())));
                }
                case "drop" -> {
                    switch (r.w(i)) {
                        case "primary" -> { return Optional.of(new Action(Op.DROP_PRIMARY_KEY, a, null, null, List.of())); }
                        case "index", "key" -> { return Optional.of(new Action(Op.DROP_INDEX, a, named(r, i + 1), null, List.of())); }
                        case "foreign" -> { return Optional.of(new Action(Op.DROP_FOREIGN_KEY, a, named(r, i + 2), null, List.of())); }
                        case "constraint", "check" -> { return Optional.of(new Action(Op.DROP_CONSTRAINT, a, named(r, i + 1), null, List.of())); }
                        case "partition" -> { return Optional.of(new Action(Op.OTHER, a, null, null, List.of())); }
                        case "column" -> { return Optional.of(new Action(Op.DROP_COLUMN, a, named(r, i + 1), null, List.of())); }
                        default -> { return Optional.of(new Action(Op.DROP_COLUMN, a, named(r, i), null, List.of())); }
                    }
                }
                case "rename" -> {
                    if (r.w(i).equals("column") || r.w(i).equals("index") || r.w(i).equals("key")) {
                        Op op = r.w(i).equals("column") ? Op.RENAME_COLUMN : Op.RENAME_INDEX;
                        StringBuilder from = new StringBuilder();
                        int k = r.name(i + 1, from);
                        return Optional.of(new Action(op, a, from.toString(), r.w(k).equals("to") ? named(r, k + 1) : null, List.of()));
                    }
                    int k = r.w(i).equals("to") || r.w(i).equals("as") ? i + 1 : i;
                    return Optional.of(new Action(Op.RENAME_TABLE, a, null, named(r, k), List.of()));
                }
                case "change" -> {
                    if (r.w(i).equals("column")) i++;
                    StringBuilder from = new StringBuilder();
                    int k = r.name(i, from);
                    StringBuilder to = new StringBuilder();
                    int def = r.name(k, to);
                    return Optional.of(new Action(Op.CHANGE_COLUMN, a, from.toString(), to.toString(), a.subList(Math.min(def, a.size()), a.size())));
                }
                case "modify" -> {
                    if (r.w(i).equals("column")) i++;
                    StringBuilder column = new StringBuilder();
                    int def = r.name(i, column);
                    return Optional.of(new Action(Op.MODIFY_COLUMN, a, column.toString(), null, a.subList(Math.min(def, a.size()), a.size())));
                }
                case "alter" -> {
                    if (r.w(i).equals("index") || r.w(i).equals("check") || r.w(i).equals("constraint")) {
                        return Optional.of(new Action(Op.TABLE_OPTION, a, null, null, List.of()));
                    }
                    if (r.w(i).equals("column")) i++;
                    return Optional.of(new Action(Op.COLUMN_DEFAULT, a, named(r, i), null, List.of()));
                }
                case "convert" -> { return Optional.of(new Action(Op.CONVERT_CHARSET, a, null, null, List.of())); }
                case "default", "character", "charset", "collate" -> { return Optional.of(new Action(Op.TABLE_CHARSET, a, null, null, List.of())); }
                case "force", "engine", "row_format", "key_block_size" -> { return Optional.of(new Action(Op.REBUILD, a, null, null, List.of())); }
                case "auto_increment" -> { return Optional.of(new Action(Op.AUTO_INCREMENT, a, null, null, List.of())); }
                case "algorithm", "lock" -> { return Optional.empty(); }
                case "comment", "stats_persistent", "stats_auto_recalc", "stats_sample_pages" -> {
                    return Optional.of(new Action(Op.TABLE_OPTION, a, null, null, List.of()));
                }
                default -> { return Optional.of(new Action(Op.OTHER, a, null, null, List.of())); }
            }
        }

        private static String named(Reader r, int i) {
            StringBuilder out = new StringBuilder();
            r.name(i, out);
            return out.toString();
        }
    }
}
