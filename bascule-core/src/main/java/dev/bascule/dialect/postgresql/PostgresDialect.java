package dev.bascule.dialect.postgresql;

import dev.bascule.api.ColumnDef;
import dev.bascule.api.DatabaseSignals;
import dev.bascule.api.Operation;
import dev.bascule.dialect.ApplicationProbe;
import dev.bascule.dialect.Catalog;
import dev.bascule.dialect.Dialect;
import dev.bascule.dialect.OwnerMarker;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/** PostgreSQL 15 and later: version views use {@code security_invoker}, sync triggers {@code CREATE OR REPLACE TRIGGER}. */
public final class PostgresDialect implements Dialect {

    /** Dollar-quote tag of generated function bodies; expressions containing it are refused at plan time. */
    public static final String BODY_TAG = "$bascule_fn$";

    @Override
    public String name() { return "postgresql"; }

    @Override
    public Optional<ApplicationProbe> applicationProbe(Connection connection, ApplicationProbe.Source source,
                                                       String stateSchema, Consumer<String> note) throws SQLException {
        if (source == ApplicationProbe.Source.ROLLBACK_RATE) {
            return Optional.of(new RollbackRateProbe());
        }
        StatementLatencyProbe.Result latency = StatementLatencyProbe.find(connection, stateSchema);
        if (latency.probe().isPresent()) {
            return latency.probe();
        }
        if (source == ApplicationProbe.Source.STATEMENT_LATENCY) {
            note.accept("application latency is not watched: " + latency.problem());
            return Optional.empty();
        }
        note.accept(latency.problem() + ": watching the rate of rolled back transactions in pg_stat_database instead"
                + " of statement latency (shared_preload_libraries and CREATE EXTENSION pg_stat_statements to watch latency)");
        return Optional.of(new RollbackRateProbe());
    }

    @Override
    public String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    @Override
    public String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }

    @Override
    public Optional<TableEstimate> estimateTable(Connection c, String schema, String table) throws SQLException {
        // reltuples is -1 until the first ANALYZE or VACUUM; a partitioned table's rows and bytes
        // are its leaf partitions'
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT CASE WHEN cl.relkind = 'r' THEN cl.reltuples ELSE (SELECT CASE WHEN bool_or(l.reltuples < 0)"
                        + "  THEN -1 ELSE coalesce(sum(l.reltuples), 0) END FROM pg_partition_tree(cl.oid) p"
                        + "  JOIN pg_class l ON l.oid = p.relid WHERE p.isleaf) END,"
                        + " CASE WHEN cl.relkind = 'r' THEN pg_total_relation_size(cl.oid) ELSE (SELECT"
                        + "  coalesce(sum(pg_total_relation_size(p.relid)), 0) FROM pg_partition_tree(cl.oid) p WHERE p.isleaf) END"
                        + " FROM pg_class cl JOIN pg_namespace n ON n.oid = cl.relnamespace"
                        + " WHERE n.nspname = ? AND cl.relname = ? AND cl.relkind IN ('r', 'p')")) {
            ps.setString(1, schema);
            ps.setString(2, table);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                double rows = rs.getDouble(1);
                return Optional.of(new TableEstimate(schema, table, rows < 0 ? null : Math.round(rows), rs.getLong(2)));
            }
        }
    }

    @Override
    public boolean isLockTimeout(String sqlState) {
        return "55P03".equals(sqlState);
    }

    @Override
    public String setLockTimeout(long millis) {
        return "SET lock_timeout = " + Math.max(0, millis);
    }

    @Override
    public boolean isStatementTimeout(SQLException e) {
        return "57014".equals(e.getSQLState());
    }

    @Override
    public boolean isSyntaxError(SQLException e) {
        return "42601".equals(e.getSQLState());
    }

    /**
     * serial, bigserial and smallserial are shorthands CREATE TABLE and ADD COLUMN expand (an
     * integer column with a sequence), not types a cast knows: checked as their integer type.
     */
    private static final Map<String, String> SERIALS = Map.of("smallserial", "smallint", "serial2", "smallint",
            "serial", "integer", "serial4", "integer", "bigserial", "bigint", "serial8", "bigint");

    private static String castable(String type) {
        return SERIALS.getOrDefault(type.strip().toLowerCase(java.util.Locale.ROOT), type);
    }

    @Override
    public String typeCheck(String type) {
        return "SELECT CAST(NULL AS " + castable(type) + ")";
    }

    @Override
    public String typedNull(String type) {
        return "CAST(NULL AS " + castable(type) + ")";
    }

    // ---- sessions and the advisory lock ----------------------------------------------------

    /**
     * Settings that change how the server lexes SQL are pinned: with standard_conforming_strings
     * off, {@code '\''} is one quote and a backfill or plan check would read an expression
     * differently from the check that let it through. Expressions hold no backslash at all (see
     * {@link dev.bascule.model.Expressions}), which also keeps trigger bodies meaning the same when
     * PL/pgSQL compiles them in an application's session under its own setting.
     */
    @Override
    public List<String> sessionSetup() {
        // check_function_bodies: a trigger function that does not compile fails when start creates it,
        // not in the application's first write after it
        return List.of("SET application_name = 'bascule'", "SET standard_conforming_strings = on",
                "SET backslash_quote = safe_encoding", "SET check_function_bodies = on");
    }

    /**
     * Parse and Describe only, never Execute (pgjdbc's {@code getMetaData} on the extended protocol).
     * Under {@code preferQueryMode=simple} pgjdbc would run the query to describe it, so a plan
     * refuses to check there. pgjdbc also splits a text at {@code ;} before the server sees it, so a
     * second statement is refused here as the server refuses it in one Parse. A {@code ?} outside
     * literals is an operator (jsonb) to PostgreSQL but a parameter to pgjdbc: doubled, pgjdbc sends
     * it as one.
     */
    @Override
    public int describedColumns(Connection c, String query) throws SQLException {
        if (c.isWrapperFor(org.postgresql.PGConnection.class)
                && c.unwrap(org.postgresql.PGConnection.class).getPreferQueryMode() == org.postgresql.jdbc.PreferQueryMode.SIMPLE) {
            throw new dev.bascule.api.BasculeException("plan checks expressions with the extended query protocol, which runs nothing;"
                    + " remove preferQueryMode=simple from the JDBC URL");
        }
        for (dev.bascule.lint.SqlLexer.Token t : dev.bascule.lint.SqlLexer.tokens(query, 1)) {
            if (t.kind() == dev.bascule.lint.SqlLexer.Kind.SYMBOL && t.text().equals(";")) {
                // pgjdbc splits at ';' and would describe each part (running none): one statement is expected
                throw new SQLException("syntax error at or near \";\": one statement expected", "42601");
            }
        }
        return Dialect.super.describedColumns(c, preparedText(query));
    }

    /** pgjdbc reads a {@code ?} outside literals as a parameter, and {@code ??} as jsonb's {@code ?} operator. */
    @Override
    public String preparedText(String expression) {
        StringBuilder escaped = new StringBuilder();
        int at = 0;
        for (dev.bascule.lint.SqlLexer.Token t : dev.bascule.lint.SqlLexer.tokens(expression, 1)) {
            if (t.kind() == dev.bascule.lint.SqlLexer.Kind.SYMBOL && t.text().equals("?")) {
                escaped.append(expression, at, t.end()).append('?');
                at = t.end();
            }
        }
        return escaped.append(expression.substring(at)).toString();
    }

    @Override
    public List<String> workSetup(String schema, long lockTimeoutMillis) {
        // sql operations name tables as the file's author sees them: in the base schema
        return List.of(setLockTimeout(lockTimeoutMillis), "SET statement_timeout = 0", "SET search_path = " + quote(schema));
    }

    /**
     * For a caller that ran {@link #sessionSetup} alone without {@link #saveSession} (Sessions always
     * save): each setting the setup changed, back to the session's start. Not RESET ALL, which would
     * also take back what an application's pool set (its search_path); {@link #saveSession} puts
     * back even the setup's own settings as the pool had them.
     */
    @Override
    public List<String> sessionReset() {
        return SavedSettings.names(sessionSetup()).stream().filter(n -> !n.contains(".")).map(n -> "RESET " + n).toList();
    }

    /**
     * Saves, by name, every setting Bascule's own statements change on a connection: whatever
     * {@link #sessionSetup} lists, the work settings, and (though SET LOCAL ends with its
     * transaction) the backfill's and the checks' settings, in case one of them is ever set for
     * the session.
     */
    @Override
    public SavedSession saveSession(Connection c) throws SQLException {
        List<String> statements = new ArrayList<>(sessionSetup());
        statements.addAll(workSetup("bascule", 1));
        statements.add(setLockTimeout(0));
        statements.addAll(backfillBatchSettings(java.time.Duration.ofSeconds(1)));
        statements.addAll(expressionCheckSettings("bascule"));
        statements.add(healthSignals().throttleQueryTimeout());
        return SavedSettings.read(c, SavedSettings.names(statements));
    }

    @Override
    public long sessionId(Connection c) throws SQLException {
        try (java.sql.Statement s = c.createStatement(); ResultSet rs = s.executeQuery(OWN_STATEMENT + "SELECT pg_backend_pid()")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    @Override
    public boolean tryLock(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_try_advisory_lock(hashtext(?))")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    @Override
    public String lockHolder(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT a.pid, a.usename, a.client_addr, a.backend_start"
                + " FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid"
                + " WHERE l.locktype = 'advisory' AND l.granted AND l.objid = hashtext(?)::oid AND l.database ="
                + " (SELECT oid FROM pg_database WHERE datname = current_database()) LIMIT 1")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    return " (server pid " + rs.getInt(1) + ", user " + rs.getString(2)
                            + (rs.getString(3) == null ? "" : ", from " + rs.getString(3)) + ", connected " + rs.getString(4) + ")";
                }
            }
        }
        return "";
    }

    @Override
    public boolean holdsLock(Connection c, long sessionId, String name) throws SQLException {
        // OWN_STATEMENT: each backfill batch runs this, and it is not the application's traffic
        try (PreparedStatement ps = c.prepareStatement(OWN_STATEMENT + "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory'"
                + " AND granted AND pid = ? AND objid = hashtext(?)::oid"
                + " AND database = (SELECT oid FROM pg_database WHERE datname = current_database()))")) {
            ps.setInt(1, (int) sessionId);
            ps.setString(2, name);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    @Override
    public void unlock(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_unlock(hashtext(?))")) {
            ps.setString(1, name);
            ps.execute();
        }
    }

    // ---- planning --------------------------------------------------------------------------

    /** Version views need security_invoker (PostgreSQL 15); refuse before anything changes. */
    @Override
    public void requireServerVersion(Connection c) throws SQLException {
        try (java.sql.Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW server_version_num")) {
            rs.next();
            int version = Integer.parseInt(rs.getString(1));
            if (version < 150000) {
                throw new dev.bascule.api.BasculeException("Bascule needs PostgreSQL 15 or later (version views use"
                        + " security_invoker); this server is " + version / 10000 + "." + version % 100);
            }
        }
    }

    @Override
    public boolean schemaExists(Connection c, String schema) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = ?)")) {
            ps.setString(1, schema);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    @Override
    public List<String> expressionCheckSettings(String schema) {
        return List.of("SET LOCAL statement_timeout = 5000", "SET LOCAL lock_timeout = 1000",
                "SET LOCAL search_path = " + quote(schema)); // as the expression will run
    }

    @Override
    public boolean hasNotValidConstraints() {
        return true;
    }

    @Override
    public String requireNoNulls(String schema, String table, String column) {
        throw new UnsupportedOperationException("PostgreSQL validates a NOT VALID check instead");
    }

    @Override
    public boolean viewsFollowRenames() {
        return true; // views refer to columns by number
    }

    @Override
    public boolean supportsDeprecation() {
        return true;
    }

    @Override
    public boolean supportsGate(String name) {
        return true;
    }

    /** pg_stat_user_indexes' scans, as they are now (not as this transaction first saw them). */
    @Override
    public Optional<IndexUse> indexUse(Connection c, String schema, List<String> indexes, Consumer<String> note)
            throws SQLException {
        try (java.sql.Statement s = c.createStatement()) {
            s.execute("SELECT pg_stat_clear_snapshot()");
        }
        Map<String, Long> scans = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT indexrelname, idx_scan FROM pg_stat_user_indexes"
                + " WHERE schemaname = ? AND indexrelname = ANY (?) ORDER BY 1")) {
            ps.setString(1, schema);
            ps.setArray(2, c.createArrayOf("text", indexes.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    scans.put(rs.getString(1), rs.getLong(2));
                }
            }
        }
        return Optional.of(new IndexUse(scans, "time(s) scanned"));
    }

    private static final LockLabels LOCKS = new LockLabels("ACCESS EXCLUSIVE (brief, no scan)",
            "SHARE UPDATE EXCLUSIVE (online)", "SHARE UPDATE EXCLUSIVE (scan, reads and writes go on)",
            "ROW EXCLUSIVE (row locks, one batch at a time)", "SHARE ROW EXCLUSIVE (brief)",
            "ACCESS EXCLUSIVE (brief, no scan) (the validated check spares the scan)", "ACCESS EXCLUSIVE (brief)",
            "ACCESS EXCLUSIVE (brief, no rewrite)");

    @Override
    public LockLabels locks() {
        return LOCKS;
    }

    // ---- running steps ---------------------------------------------------------------------

    /** PostgreSQL's table lock modes, weakest first. */
    public static final List<String> LOCK_MODES = List.of("AccessShareLock", "RowShareLock", "RowExclusiveLock",
            "ShareUpdateExclusiveLock", "ShareLock", "ShareRowExclusiveLock", "ExclusiveLock", "AccessExclusiveLock");

    @Override
    public Map<String, String> heldTableLocks(Connection c) throws SQLException {
        Map<String, String> locks = new java.util.TreeMap<>();
        try (java.sql.Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT c.relname, l.mode FROM pg_locks l JOIN pg_class c ON c.oid = l.relation"
                        + " JOIN pg_namespace n ON n.oid = c.relnamespace"
                        + " WHERE l.pid = pg_backend_pid() AND l.locktype = 'relation' AND l.granted"
                        + " AND c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema')")) {
            while (rs.next()) {
                locks.merge(rs.getString(1), rs.getString(2),
                        (a, b) -> LOCK_MODES.indexOf(a) >= LOCK_MODES.indexOf(b) ? a : b);
            }
        }
        return locks;
    }

    @Override
    public Boolean indexValid(Connection c, String schema, String table, String index) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT i.indisvalid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid"
                + " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ? AND c.relname = ?")) {
            ps.setString(1, schema);
            ps.setString(2, index);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getBoolean(1) : null;
            }
        }
    }

    @Override
    public boolean onlineIndexWaitsForTransactions() {
        return true;
    }

    // ---- backfill --------------------------------------------------------------------------

    @Override
    public String keyAsText(String quotedColumn) {
        return quotedColumn + "::text";
    }

    @Override
    public String keyParameter(String type) {
        return "CAST(? AS " + type + ")";
    }

    @Override
    public String offsetOneRow() {
        return "OFFSET ? LIMIT 1";
    }

    @Override
    public List<String> backfillBatchSettings(java.time.Duration statementTimeout) {
        return List.of("SET LOCAL bascule.backfill = 'on'",
                "SET LOCAL statement_timeout = " + statementTimeout.toMillis(),
                // row locks are waited for: the statement timeout bounds the wait, and a batch
                // that reaches it is split
                "SET LOCAL lock_timeout = 0",
                // The checkpoint commits with the rows: a commit lost in a crash loses both, and the
                // batch is simply done again. So the batch need not wait for its WAL flush, which
                // would otherwise queue behind (and delay) the application's own commits.
                "SET LOCAL synchronous_commit = off");
    }

    @Override
    public boolean parallelBackfill() {
        return true;
    }

    @Override
    public long statisticsRows(Connection c, String schema, String table) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT reltuples::bigint FROM pg_class WHERE oid = to_regclass(?)")) {
            ps.setString(1, qualify(schema, table));
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next() && rs.getLong(1) > 0) {
                    return rs.getLong(1);
                }
            }
        }
        return -1;
    }

    @Override
    public dev.bascule.backfill.health.HealthSignals healthSignals() {
        return new PostgresHealthSignals();
    }

    @Override
    public List<PreflightCheck> preflightChecks(long maxReplicationLagBytes, java.time.Duration longTransaction,
                                                int connectionsNeeded) {
        double secs = longTransaction.toMillis() / 1000.0;
        List<PreflightCheck> checks = new ArrayList<>();
        checks.add(new PreflightCheck("long_transactions", "SELECT DISTINCT 'pid ' || a.pid || ' (' || coalesce(a.usename, '?') || ', transaction open for '"
                + " || extract(epoch FROM now() - a.xact_start)::int || ' s, holding ' || l.mode || ' on ' || cl.relname || ')'"
                + " FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid JOIN pg_class cl ON cl.oid = l.relation"
                + " JOIN pg_namespace n ON n.oid = cl.relnamespace WHERE n.nspname = ? AND cl.relname = ANY (?)"
                + " AND a.pid <> pg_backend_pid() AND a.backend_type = 'client backend' AND a.state <> 'idle in transaction'"
                + " AND a.xact_start < now() - make_interval(secs => " + secs + ")", true));
        checks.add(new PreflightCheck("idle_in_transaction", "SELECT DISTINCT 'pid ' || a.pid || ' (' || coalesce(a.usename, '?') || ', idle in transaction for '"
                + " || extract(epoch FROM now() - a.state_change)::int || ' s, holding ' || l.mode || ' on ' || cl.relname || ')'"
                + " FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid JOIN pg_class cl ON cl.oid = l.relation"
                + " JOIN pg_namespace n ON n.oid = cl.relnamespace WHERE n.nspname = ? AND cl.relname = ANY (?)"
                + " AND a.pid <> pg_backend_pid() AND a.backend_type = 'client backend' AND a.state LIKE 'idle in transaction%'"
                + " AND a.state_change < now() - make_interval(secs => " + secs + ")", true));
        checks.add(new PreflightCheck("prepared_transactions", "SELECT 'prepared transaction ' || gid || ' (since ' || prepared || ')'"
                + " FROM pg_prepared_xacts WHERE database = current_database()", false));
        checks.add(new PreflightCheck("invalid_indexes", "SELECT 'index ' || ic.relname || ' on ' || tc.relname || ' is invalid (an interrupted"
                + " CREATE INDEX CONCURRENTLY?): drop it (DROP INDEX CONCURRENTLY) or rebuild it first'"
                + " FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_class tc ON tc.oid = i.indrelid"
                + " JOIN pg_namespace n ON n.oid = tc.relnamespace WHERE n.nspname = ? AND tc.relname = ANY (?) AND NOT i.indisvalid", true));
        if (maxReplicationLagBytes > 0) {
            checks.add(new PreflightCheck("replication_lag", "SELECT 'standby ' || coalesce(application_name, client_addr::text, pid::text) || ' is '"
                    + " || pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn) || ' bytes behind (limit " + maxReplicationLagBytes + ")'"
                    + " FROM pg_stat_replication WHERE pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn) > " + maxReplicationLagBytes, false));
        }
        checks.add(new PreflightCheck("connections", "SELECT 'only ' || (current_setting('max_connections')::int"
                + " - current_setting('superuser_reserved_connections')::int - count(*)) || ' connections left; Bascule needs "
                + connectionsNeeded + "' FROM pg_stat_activity WHERE backend_type = 'client backend'"
                + " HAVING current_setting('max_connections')::int - current_setting('superuser_reserved_connections')::int"
                + " - count(*) < " + connectionsNeeded, false));
        return checks;
    }

    @Override
    public dev.bascule.state.StateSql stateSql() {
        return new PostgresStateSql();
    }

    @Override
    public Catalog readCatalog(Connection c, String schema) throws SQLException {
        Map<String, List<Catalog.Column>> columns = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT cl.relname, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull,"
                        + " pg_get_expr(d.adbin, d.adrelid), (a.attidentity <> '' OR a.attgenerated <> ''),"
                        + " CASE a.attidentity WHEN 'a' THEN 'ALWAYS' WHEN 'd' THEN 'BY DEFAULT' END,"
                        + " (SELECT quote_ident(cn.nspname) || '.' || quote_ident(co.collname) FROM pg_collation co"
                        + "  JOIN pg_namespace cn ON cn.oid = co.collnamespace JOIN pg_type ty ON ty.oid = a.atttypid"
                        + "  WHERE co.oid = a.attcollation AND a.attcollation <> ty.typcollation)"
                        + " FROM pg_class cl JOIN pg_namespace n ON n.oid = cl.relnamespace"
                        + " JOIN pg_attribute a ON a.attrelid = cl.oid AND a.attnum > 0 AND NOT a.attisdropped"
                        + " LEFT JOIN pg_attrdef d ON d.adrelid = cl.oid AND d.adnum = a.attnum"
                        + " WHERE n.nspname = ? AND cl.relkind IN ('r', 'p') ORDER BY cl.relname, a.attnum")) {
            ps.setString(1, schema);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    columns.computeIfAbsent(rs.getString(1), t -> new ArrayList<>()).add(new Catalog.Column(
                            rs.getString(2), rs.getString(3), !rs.getBoolean(4), rs.getString(5), rs.getBoolean(6),
                            rs.getString(7), rs.getString(8)));
                }
            }
        }
        Map<String, List<String>> primaryKeys = new HashMap<>();
        Map<String, Set<String>> constraints = new HashMap<>();
        Map<String, Set<String>> foreignKeysIn = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT cl.relname, co.conname, co.contype, n.nspname = ?,"
                        + " (SELECT array_agg(a.attname ORDER BY k.ord) FROM unnest(co.conkey) WITH ORDINALITY k(attnum, ord)"
                        + "  JOIN pg_attribute a ON a.attrelid = co.conrelid AND a.attnum = k.attnum),"
                        + " rn.nspname, rc.relname"
                        + " FROM pg_constraint co JOIN pg_class cl ON cl.oid = co.conrelid"
                        + " JOIN pg_namespace n ON n.oid = cl.relnamespace"
                        + " LEFT JOIN pg_class rc ON rc.oid = co.confrelid LEFT JOIN pg_namespace rn ON rn.oid = rc.relnamespace"
                        + " WHERE n.nspname = ? OR (co.contype = 'f' AND rn.nspname = ?)")) {
            ps.setString(1, schema);
            ps.setString(2, schema);
            ps.setString(3, schema);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String table = rs.getString(1);
                    String name = rs.getString(2);
                    String type = rs.getString(3);
                    boolean ours = rs.getBoolean(4);
                    if ("f".equals(type) && schema.equals(rs.getString(6))) {
                        foreignKeysIn.computeIfAbsent(rs.getString(7), t -> new HashSet<>()).add(table + "." + name);
                    }
                    if (ours) {
                        constraints.computeIfAbsent(table, t -> new HashSet<>()).add(name);
                        if ("p".equals(type)) {
                            primaryKeys.put(table, List.of((String[]) rs.getArray(5).getArray()));
                        }
                    }
                }
            }
        }
        Map<String, List<List<String>>> uniqueKeys = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT tc.relname, array_agg(a.attname ORDER BY k.ord) FROM pg_index i"
                        + " JOIN pg_class tc ON tc.oid = i.indrelid JOIN pg_namespace n ON n.oid = tc.relnamespace"
                        + " CROSS JOIN unnest(i.indkey::int2[]) WITH ORDINALITY k(attnum, ord)"
                        + " JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum"
                        + " WHERE n.nspname = ? AND i.indisunique AND i.indisvalid AND NOT i.indisprimary"
                        + " AND i.indpred IS NULL AND i.indexprs IS NULL"
                        + " GROUP BY tc.relname, i.indexrelid HAVING bool_and(a.attnotnull)")) {
            ps.setString(1, schema);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    uniqueKeys.computeIfAbsent(rs.getString(1), t -> new ArrayList<>())
                            .add(List.of((String[]) rs.getArray(2).getArray()));
                }
            }
        }
        Map<String, List<Catalog.IndexDef>> indexDefs = indexDefinitions(c, schema);
        Map<String, List<Catalog.CheckDef>> checks = checks(c, schema);
        Map<String, List<Catalog.ForeignKey>> foreignKeys = new HashMap<>();
        Map<String, List<Catalog.ForeignKey>> referencedBy = new HashMap<>();
        for (Catalog.ForeignKey fk : foreignKeys(c, schema)) {
            if (fk.schema().equals(schema)) {
                foreignKeys.computeIfAbsent(fk.table(), t -> new ArrayList<>()).add(fk);
            }
            if (fk.refSchema().equals(schema)) {
                referencedBy.computeIfAbsent(fk.refTable(), t -> new ArrayList<>()).add(fk);
            }
        }
        Map<String, Map<String, Catalog.OwnedSequence>> sequences = ownedSequences(c, schema);
        Set<String> partitioned = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT cl.relname FROM pg_class cl JOIN pg_namespace n"
                + " ON n.oid = cl.relnamespace WHERE n.nspname = ? AND cl.relkind = 'p'")) {
            ps.setString(1, schema);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) partitioned.add(rs.getString(1));
            }
        }
        Map<String, Set<String>> triggers = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT cl.relname, t.tgname FROM pg_trigger t JOIN pg_class cl"
                + " ON cl.oid = t.tgrelid JOIN pg_namespace n ON n.oid = cl.relnamespace WHERE n.nspname = ?"
                + " AND NOT t.tgisinternal AND t.tgname NOT LIKE '\\_bascule%'")) {
            ps.setString(1, schema);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) triggers.computeIfAbsent(rs.getString(1), k -> new HashSet<>()).add(rs.getString(2));
            }
        }
        Map<String, Catalog.Table> tables = new LinkedHashMap<>();
        columns.forEach((name, cols) -> tables.put(name, new Catalog.Table(name, cols,
                primaryKeys.getOrDefault(name, List.of()), constraints.getOrDefault(name, Set.of()),
                foreignKeysIn.getOrDefault(name, Set.of()), uniqueKeys.getOrDefault(name, List.of()),
                indexDefs.getOrDefault(name, List.of()), checks.getOrDefault(name, List.of()),
                foreignKeys.getOrDefault(name, List.of()), referencedBy.getOrDefault(name, List.of()),
                sequences.getOrDefault(name, Map.of()), partitioned.contains(name), triggers.getOrDefault(name, Set.of()))));

        Map<String, Catalog.Index> indexes = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT ic.relname, tc.relname, i.indisvalid, co.conname FROM pg_index i"
                        + " JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_class tc ON tc.oid = i.indrelid"
                        + " JOIN pg_namespace n ON n.oid = ic.relnamespace"
                        + " LEFT JOIN pg_constraint co ON co.conindid = i.indexrelid AND co.contype IN ('p', 'u', 'x')"
                        + " WHERE n.nspname = ?")) {
            ps.setString(1, schema);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    indexes.put(rs.getString(1), new Catalog.Index(rs.getString(1), rs.getString(2), rs.getBoolean(3),
                            Optional.ofNullable(rs.getString(4))));
                }
            }
        }
        return new Catalog(schema, tables, indexes);
    }

    private static final int INDOPTION_DESC = 1;
    private static final int INDOPTION_NULLS_FIRST = 2;

    private static Map<String, List<Catalog.IndexDef>> indexDefinitions(Connection c, String schema) throws SQLException {
        Map<String, List<Catalog.IndexDef>> defs = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT tc.relname, ic.relname, i.indisunique, co.conname, co.contype, am.amname, i.indnkeyatts,"
                        + " pg_get_expr(i.indpred, i.indrelid),"
                        + " array(SELECT pg_get_indexdef(i.indexrelid, k, true) FROM generate_series(1, i.indnatts) k ORDER BY k),"
                        + " i.indoption::int2[], i.indnullsnotdistinct,"
                        + " array(SELECT a.attname FROM pg_attribute a WHERE a.attrelid = i.indrelid AND (a.attnum = ANY (i.indkey::int2[])"
                        + "   OR a.attnum IN (SELECT d.refobjsubid FROM pg_depend d WHERE d.classid = 'pg_class'::regclass"
                        + "   AND d.objid = i.indexrelid AND d.refobjid = i.indrelid AND d.refobjsubid > 0)))"
                        + " FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_class tc ON tc.oid = i.indrelid"
                        + " JOIN pg_namespace n ON n.oid = tc.relnamespace JOIN pg_am am ON am.oid = ic.relam"
                        + " LEFT JOIN pg_constraint co ON co.conindid = i.indexrelid AND co.contype IN ('p', 'u', 'x')"
                        + " WHERE n.nspname = ? AND i.indisvalid ORDER BY ic.relname")) {
            ps.setString(1, schema);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    int keys = rs.getInt(7);
                    String[] all = (String[]) rs.getArray(9).getArray();
                    Object[] options = (Object[]) rs.getArray(10).getArray();
                    List<String> elements = new ArrayList<>();
                    for (int k = 0; k < keys; k++) {
                        int option = ((Number) options[k]).intValue();
                        boolean desc = (option & INDOPTION_DESC) != 0;
                        boolean nullsFirst = (option & INDOPTION_NULLS_FIRST) != 0;
                        elements.add(all[k] + (desc ? " DESC" : "") + (desc && !nullsFirst ? " NULLS LAST" : "")
                                + (!desc && nullsFirst ? " NULLS FIRST" : ""));
                    }
                    List<String> include = List.of(all).subList(keys, all.length);
                    defs.computeIfAbsent(rs.getString(1), t -> new ArrayList<>()).add(new Catalog.IndexDef(
                            rs.getString(2), rs.getBoolean(3), Optional.ofNullable(rs.getString(4)),
                            rs.getString(5), rs.getString(6), elements, include, Optional.ofNullable(rs.getString(8)),
                            Set.of((String[]) rs.getArray(12).getArray()), rs.getBoolean(11)));
                }
            }
        }
        return defs;
    }

    private static Map<String, List<Catalog.CheckDef>> checks(Connection c, String schema) throws SQLException {
        Map<String, List<Catalog.CheckDef>> checks = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT cl.relname, co.conname, pg_get_expr(co.conbin, co.conrelid),"
                        + " array(SELECT a.attname FROM pg_attribute a WHERE a.attrelid = co.conrelid AND a.attnum = ANY (co.conkey))"
                        + " FROM pg_constraint co JOIN pg_class cl ON cl.oid = co.conrelid"
                        + " JOIN pg_namespace n ON n.oid = cl.relnamespace WHERE n.nspname = ? AND co.contype = 'c'"
                        + " ORDER BY co.conname")) {
            ps.setString(1, schema);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    checks.computeIfAbsent(rs.getString(1), t -> new ArrayList<>()).add(new Catalog.CheckDef(
                            rs.getString(2), rs.getString(3), Set.of((String[]) rs.getArray(4).getArray())));
                }
            }
        }
        return checks;
    }

    private static final Map<String, String> FK_ACTIONS = Map.of("a", "NO ACTION", "r", "RESTRICT", "c", "CASCADE",
            "n", "SET NULL", "d", "SET DEFAULT");

    /** Foreign keys from or to a table of {@code schema}. */
    private static List<Catalog.ForeignKey> foreignKeys(Connection c, String schema) throws SQLException {
        List<Catalog.ForeignKey> keys = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT co.conname, n.nspname, cl.relname,"
                        + " (SELECT array_agg(a.attname ORDER BY k.ord) FROM unnest(co.conkey) WITH ORDINALITY k(attnum, ord)"
                        + "  JOIN pg_attribute a ON a.attrelid = co.conrelid AND a.attnum = k.attnum),"
                        + " rn.nspname, rc.relname,"
                        + " (SELECT array_agg(a.attname ORDER BY k.ord) FROM unnest(co.confkey) WITH ORDINALITY k(attnum, ord)"
                        + "  JOIN pg_attribute a ON a.attrelid = co.confrelid AND a.attnum = k.attnum),"
                        + " co.confupdtype, co.confdeltype, co.confmatchtype, co.condeferrable, co.condeferred"
                        + " FROM pg_constraint co JOIN pg_class cl ON cl.oid = co.conrelid JOIN pg_namespace n ON n.oid = cl.relnamespace"
                        + " JOIN pg_class rc ON rc.oid = co.confrelid JOIN pg_namespace rn ON rn.oid = rc.relnamespace"
                        + " WHERE co.contype = 'f' AND (n.nspname = ? OR rn.nspname = ?) ORDER BY co.conname")) {
            ps.setString(1, schema);
            ps.setString(2, schema);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    keys.add(new Catalog.ForeignKey(rs.getString(1), rs.getString(2), rs.getString(3),
                            List.of((String[]) rs.getArray(4).getArray()), rs.getString(5), rs.getString(6),
                            List.of((String[]) rs.getArray(7).getArray()), FK_ACTIONS.get(rs.getString(8)),
                            FK_ACTIONS.get(rs.getString(9)), "f".equals(rs.getString(10)),
                            !rs.getBoolean(11) ? "" : rs.getBoolean(12) ? " DEFERRABLE INITIALLY DEFERRED" : " DEFERRABLE"));
                }
            }
        }
        return keys;
    }

    /** Sequences owned by a column (serial or identity), by table and column. */
    private static Map<String, Map<String, Catalog.OwnedSequence>> ownedSequences(Connection c, String schema) throws SQLException {
        Map<String, Map<String, Catalog.OwnedSequence>> owned = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT t.relname, a.attname, sn.nspname, s.relname, format_type(sq.seqtypid, NULL), d.deptype = 'i'"
                        + " FROM pg_depend d JOIN pg_class s ON s.oid = d.objid AND s.relkind = 'S'"
                        + " JOIN pg_namespace sn ON sn.oid = s.relnamespace JOIN pg_sequence sq ON sq.seqrelid = s.oid"
                        + " JOIN pg_class t ON t.oid = d.refobjid JOIN pg_namespace n ON n.oid = t.relnamespace"
                        + " JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = d.refobjsubid"
                        + " WHERE d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_class'::regclass"
                        + " AND d.deptype IN ('a', 'i') AND n.nspname = ?")) {
            ps.setString(1, schema);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    owned.computeIfAbsent(rs.getString(1), t -> new HashMap<>()).put(rs.getString(2),
                            new Catalog.OwnedSequence(rs.getString(3), rs.getString(4), rs.getString(5),
                                    rs.getBoolean(6) ? "identity" : null));
                }
            }
        }
        return owned;
    }

    // ---- tables and columns -------------------------------------------------------------

    @Override
    public String createTable(String schema, Operation.CreateTable t) {
        List<String> parts = new ArrayList<>();
        for (ColumnDef c : t.columns()) {
            StringBuilder sb = new StringBuilder(quote(c.name())).append(' ').append(c.type());
            c.defaultValue().ifPresent(d -> sb.append(" DEFAULT ").append(d));
            if (!c.nullable()) sb.append(" NOT NULL");
            if (c.unique()) sb.append(" UNIQUE");
            c.check().ifPresent(ch -> sb.append(" CHECK (").append(ch).append(')'));
            c.references().ifPresent(r -> {
                sb.append(" REFERENCES ").append(qualify(schema, r.table()));
                if (!r.columns().isEmpty()) sb.append(" (").append(quoteAll(r.columns())).append(')');
                r.onDelete().ifPresent(od -> sb.append(" ON DELETE ").append(od));
            });
            parts.add(sb.toString());
        }
        if (!t.primaryKey().isEmpty()) {
            parts.add("PRIMARY KEY (" + quoteAll(t.primaryKey()) + ")");
        }
        for (Operation.TableConstraint tc : t.constraints()) {
            parts.add("CONSTRAINT " + quote(tc.name()) + tc.check().map(ch -> " CHECK (" + ch + ")")
                    .orElseGet(() -> " UNIQUE (" + quoteAll(tc.unique()) + ")"));
        }
        return "CREATE TABLE " + qualify(schema, t.name()) + " (" + String.join(", ", parts) + ")";
    }

    @Override
    public String dropTable(String schema, String table) {
        return "DROP TABLE IF EXISTS " + qualify(schema, table);
    }

    @Override
    public String renameTable(String schema, String from, String to) {
        return "ALTER TABLE " + qualify(schema, from) + " RENAME TO " + quote(to);
    }

    @Override
    public String addColumn(String schema, String table, ColumnDef column, boolean withDefault) {
        return "ALTER TABLE " + qualify(schema, table) + " ADD COLUMN IF NOT EXISTS " + quote(column.name()) + " "
                + column.type() + (withDefault ? column.defaultValue().map(d -> " DEFAULT " + d).orElse("") : "");
    }

    @Override
    public String setColumnDefault(String schema, String table, String column, String expression) {
        return "ALTER TABLE " + qualify(schema, table) + " ALTER COLUMN " + quote(column) + " SET DEFAULT " + expression;
    }

    @Override
    public String dropColumn(String schema, String table, String column) {
        return "ALTER TABLE " + qualify(schema, table) + " DROP COLUMN IF EXISTS " + quote(column);
    }

    @Override
    public String renameColumn(String schema, String table, String from, String to) {
        return "ALTER TABLE " + qualify(schema, table) + " RENAME COLUMN " + quote(from) + " TO " + quote(to);
    }

    @Override
    public String setNotNull(String schema, String table, String column) {
        return "ALTER TABLE " + qualify(schema, table) + " ALTER COLUMN " + quote(column) + " SET NOT NULL";
    }

    // ---- constraints ---------------------------------------------------------------------

    @Override
    public String addCheckNotValid(String schema, String table, String name, String expression) {
        return "ALTER TABLE " + qualify(schema, table) + " ADD CONSTRAINT " + quote(name)
                + " CHECK (" + expression + ") NOT VALID";
    }

    @Override
    public String addForeignKeyNotValid(String schema, String table, String name, List<String> columns,
                                        String refTable, List<String> refColumns, Optional<String> onDelete) {
        return "ALTER TABLE " + qualify(schema, table) + " ADD CONSTRAINT " + quote(name) + " FOREIGN KEY ("
                + quoteAll(columns) + ") REFERENCES " + qualify(schema, refTable)
                + (refColumns.isEmpty() ? "" : " (" + quoteAll(refColumns) + ")")
                + onDelete.map(od -> " ON DELETE " + od).orElse("") + " NOT VALID";
    }

    @Override
    public String validateConstraint(String schema, String table, String name) {
        return "ALTER TABLE " + qualify(schema, table) + " VALIDATE CONSTRAINT " + quote(name);
    }

    @Override
    public String dropConstraint(String schema, String table, String name) {
        return "ALTER TABLE " + qualify(schema, table) + " DROP CONSTRAINT IF EXISTS " + quote(name);
    }

    @Override
    public String addUniqueUsingIndex(String schema, String table, String name, String index) {
        return "ALTER TABLE " + qualify(schema, table) + " ADD CONSTRAINT " + quote(name) + " UNIQUE USING INDEX "
                + quote(index);
    }

    // ---- indexes -------------------------------------------------------------------------

    @Override
    public String createIndexOnline(String schema, String name, String table, List<String> columns, boolean unique,
                                    Optional<String> where, Optional<String> method) {
        return "CREATE " + (unique ? "UNIQUE " : "") + "INDEX CONCURRENTLY IF NOT EXISTS " + quote(name) + " ON "
                + qualify(schema, table) + method.map(m -> " USING " + m).orElse("")
                + " (" + quoteAll(columns) + ")" + where.map(w -> " WHERE " + w).orElse("");
    }

    @Override
    public String dropIndexOnline(String schema, String table, String name) {
        return "DROP INDEX CONCURRENTLY IF EXISTS " + qualify(schema, name);
    }

    @Override
    public String rebuildIndexOnline(String schema, String name, String table, boolean unique, String method,
                                     List<String> elements, List<String> include, Optional<String> where,
                                     boolean nullsNotDistinct) {
        return "CREATE " + (unique ? "UNIQUE " : "") + "INDEX CONCURRENTLY IF NOT EXISTS " + quote(name) + " ON "
                + qualify(schema, table) + " USING " + method + " (" + String.join(", ", elements) + ")"
                + (include.isEmpty() ? "" : " INCLUDE (" + String.join(", ", include) + ")")
                + (nullsNotDistinct ? " NULLS NOT DISTINCT" : "")
                + where.map(w -> " WHERE " + w).orElse("");
    }

    @Override
    public String renameIndex(String schema, String from, String to) {
        return "ALTER INDEX " + qualify(schema, from) + " RENAME TO " + quote(to);
    }

    @Override
    public String addPrimaryKeyUsingIndex(String schema, String table, String name, String index) {
        return "ALTER TABLE " + qualify(schema, table) + " ADD CONSTRAINT " + quote(name) + " PRIMARY KEY USING INDEX "
                + quote(index);
    }

    @Override
    public String renameConstraint(String schema, String table, String from, String to) {
        return "ALTER TABLE " + qualify(schema, table) + " RENAME CONSTRAINT " + quote(from) + " TO " + quote(to);
    }

    @Override
    public String addForeignKeyNotValid(Catalog.ForeignKey k) {
        return "ALTER TABLE " + qualify(k.schema(), k.table()) + " ADD CONSTRAINT " + quote(k.name()) + " FOREIGN KEY ("
                + quoteAll(k.columns()) + ") REFERENCES " + qualify(k.refSchema(), k.refTable()) + " ("
                + quoteAll(k.refColumns()) + ")" + (k.matchFull() ? " MATCH FULL" : "")
                + " ON UPDATE " + k.onUpdate() + " ON DELETE " + k.onDelete() + k.deferrable() + " NOT VALID";
    }

    // ---- sequences -----------------------------------------------------------------------

    @Override
    public String nextValue(String sequenceSchema, String sequence) {
        return "nextval(" + literal(qualify(sequenceSchema, sequence)) + "::regclass)";
    }

    @Override
    public String dropColumnDefault(String schema, String table, String column) {
        return "ALTER TABLE " + qualify(schema, table) + " ALTER COLUMN " + quote(column) + " DROP DEFAULT";
    }

    @Override
    public String rememberNextValue(String key, String sequenceSchema, String sequence) {
        return "SELECT set_config(" + literal("bascule." + key) + ", " + nextValue(sequenceSchema, sequence) + "::text, true)";
    }

    @Override
    public List<String> addIdentityFromRemembered(String key, String schema, String table, String column, String kind) {
        return List.of("ALTER TABLE " + qualify(schema, table) + " ALTER COLUMN " + quote(column) + " ADD GENERATED " + kind
                        + " AS IDENTITY",
                "SELECT setval(pg_get_serial_sequence(" + literal(qualify(schema, table)) + ", " + literal(column) + "),"
                        + " current_setting(" + literal("bascule." + key) + ")::bigint, false)");
    }

    @Override
    public String setSequenceOwner(String sequenceSchema, String sequence, String schema, String table, String column) {
        return "ALTER SEQUENCE " + qualify(sequenceSchema, sequence) + " OWNED BY " + qualify(schema, table) + "."
                + quote(column);
    }

    @Override
    public String setSequenceType(String sequenceSchema, String sequence, String type) {
        return "ALTER SEQUENCE " + qualify(sequenceSchema, sequence) + " AS " + type;
    }

    // ---- versions and sync ---------------------------------------------------------------

    @Override
    public String createSchema(String schema) {
        return "CREATE SCHEMA IF NOT EXISTS " + quote(schema);
    }

    @Override
    public List<String> replaceVersionSchema(String versionSchema, OwnerMarker marker, Collection<String> views) {
        List<String> statements = new ArrayList<>(dropVersionSchema(versionSchema, marker, views));
        statements.add(createSchema(versionSchema));
        statements.add("COMMENT ON SCHEMA " + quote(versionSchema) + " IS " + literal(marker.text()));
        return statements;
    }

    /** Without CASCADE (RESTRICT): the server itself refuses to drop what anything else depends on. */
    @Override
    public List<String> dropVersionSchema(String versionSchema, OwnerMarker marker, Collection<String> views) {
        List<String> statements = new ArrayList<>();
        if (marker != null) {
            statements.add(requireOwnSchema(versionSchema, marker));
        }
        statements.add(versionSchemaGuard(versionSchema, views));
        if (!views.isEmpty()) {
            statements.add("DROP VIEW IF EXISTS " + views.stream().map(v -> qualify(versionSchema, v))
                    .collect(Collectors.joining(", ")));
        }
        statements.add("DROP TABLE IF EXISTS " + qualify(versionSchema, READ_MARKER));
        statements.add("DROP SCHEMA IF EXISTS " + quote(versionSchema));
        return statements;
    }

    /**
     * Every object of a schema depends on it in pg_depend (what DROP SCHEMA CASCADE would drop);
     * every object that would go with Bascule's views or read marker depends on them. Left out:
     * Bascule's own objects and their parts (a view's rewrite rule, the marker's constraints).
     */
    @Override
    public String versionSchemaGuard(String versionSchema, Collection<String> views) {
        String names = views.isEmpty() ? "ARRAY[]::text[]"
                : views.stream().map(this::literal).collect(Collectors.joining(", ", "ARRAY[", "]::text[]"));
        String own = "SELECT c.oid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = "
                + literal(versionSchema) + " AND ((c.relkind = 'v' AND c.relname::text = ANY (" + names + "))"
                + " OR (c.relkind = 'r' AND c.relname = " + literal(READ_MARKER) + "))";
        String inside = "SELECT pg_describe_object(d.classid, d.objid, d.objsubid) FROM pg_depend d"
                + " WHERE d.refclassid = 'pg_namespace'::regclass AND d.refobjid = (SELECT oid FROM pg_namespace WHERE nspname = "
                + literal(versionSchema) + ") AND d.deptype = 'n' AND NOT (d.classid = 'pg_class'::regclass AND d.objid IN (own))";
        String outside = "SELECT pg_describe_object(CASE WHEN r.oid IS NULL THEN d.classid ELSE 'pg_class'::regclass END,"
                + " coalesce(r.ev_class, d.objid), CASE WHEN r.oid IS NULL THEN d.objsubid ELSE 0 END) || ' (it depends on '"
                + " || pg_describe_object(d.refclassid, d.refobjid, 0) || ')' FROM pg_depend d"
                + " LEFT JOIN pg_rewrite r ON d.classid = 'pg_rewrite'::regclass AND r.oid = d.objid"
                + " LEFT JOIN pg_constraint k ON d.classid = 'pg_constraint'::regclass AND k.oid = d.objid"
                + " LEFT JOIN pg_attrdef a ON d.classid = 'pg_attrdef'::regclass AND a.oid = d.objid"
                + " WHERE d.refclassid = 'pg_class'::regclass AND d.refobjid IN (own) AND d.deptype IN ('n', 'a')"
                + " AND coalesce(r.ev_class, k.conrelid, a.adrelid, 0::oid) NOT IN (own)";
        return VERSION_SCHEMA_GUARD + "DO " + BODY_TAG + "DECLARE strangers text; path text := current_setting('search_path'); BEGIN"
                // pg_describe_object qualifies only names outside the search path
                + " PERFORM set_config('search_path', 'pg_catalog', true);"
                + " WITH own AS (" + own + ") SELECT string_agg(DISTINCT o, ', ') INTO strangers FROM ("
                + inside.replace("IN (own)", "IN (SELECT oid FROM own)") + " UNION ALL "
                + outside.replace("IN (own)", "IN (SELECT oid FROM own)") + ") AS found_objects(o);"
                + " PERFORM set_config('search_path', path, true);"
                + " IF strangers IS NOT NULL THEN RAISE EXCEPTION USING ERRCODE = '" + VERSION_SCHEMA_GUARD_STATE + "', MESSAGE = "
                + literal(OwnerMarker.foreignInVersion("schema", versionSchema)) + " || strangers; END IF; END" + BODY_TAG;
    }

    /** Fails, before anything is dropped, when {@code schema} exists without {@code marker}: Bascule did not make it. */
    private String requireOwnSchema(String schema, OwnerMarker marker) {
        return retagged("DO " + BODY_TAG + "BEGIN IF EXISTS (SELECT FROM pg_namespace WHERE nspname = " + literal(schema)
                + " AND coalesce(obj_description(oid, 'pg_namespace'), '') <> " + literal(marker.text()) + ") THEN"
                + " RAISE EXCEPTION USING ERRCODE = '42P06', MESSAGE = " + literal(OwnerMarker.notOurs("schema", schema))
                + "; END IF; END" + BODY_TAG);
    }

    @Override
    public Map<String, String> schemaComments(Connection c, String prefix) throws SQLException {
        Map<String, String> comments = new java.util.TreeMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT nspname, coalesce(obj_description(oid, 'pg_namespace'), '')"
                + " FROM pg_namespace WHERE left(nspname, length(?)) = ?")) {
            ps.setString(1, prefix);
            ps.setString(2, prefix);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    comments.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        return comments;
    }

    /** A trigger's definition is its function's source, where the marker is, and the function's schema. */
    @Override
    public List<NamedTrigger> basculeTriggers(Connection c, String schema) throws SQLException {
        List<NamedTrigger> triggers = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT t.relname, g.tgname, p.prosrc, n.nspname FROM pg_trigger g"
                + " JOIN pg_class t ON t.oid = g.tgrelid JOIN pg_namespace s ON s.oid = t.relnamespace"
                + " JOIN pg_proc p ON p.oid = g.tgfoid JOIN pg_namespace n ON n.oid = p.pronamespace"
                + " WHERE s.nspname = ? AND NOT g.tgisinternal AND g.tgname LIKE '\\_bascule%' ORDER BY 1, 2")) {
            ps.setString(1, schema);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    triggers.add(new NamedTrigger(rs.getString(1), rs.getString(2), rs.getString(3)));
                }
            }
        }
        return triggers;
    }

    @Override
    public Map<String, String> functions(Connection c, String schema, String nameSuffix) throws SQLException {
        Map<String, String> functions = new java.util.TreeMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT p.proname, coalesce(p.prosrc, '') FROM pg_proc p"
                + " JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = ? AND right(p.proname, length(?)) = ?")) {
            ps.setString(1, schema);
            ps.setString(2, nameSuffix);
            ps.setString(3, nameSuffix);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    functions.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        return functions;
    }

    @Override
    public String createVersionView(String versionSchema, String view, String schema, String table,
                                    List<ColumnMapping> columns) {
        String select = columns.stream()
                .map(c -> c.physical().equals(c.logical()) ? quote(c.physical()) : quote(c.physical()) + " AS " + quote(c.logical()))
                .collect(Collectors.joining(", "));
        // an uncorrelated EXISTS is an InitPlan: one scan of the one-row marker per query, and the
        // view stays automatically updatable and its quals still reach the table's indexes
        return "CREATE OR REPLACE VIEW " + qualify(versionSchema, view) + " WITH (security_invoker = true) AS SELECT "
                + select + " FROM " + qualify(schema, table) + " WHERE EXISTS (SELECT FROM " + qualify(versionSchema, READ_MARKER) + ")";
    }

    @Override
    public List<String> createReadMarker(String versionSchema) {
        String marker = qualify(versionSchema, READ_MARKER);
        return List.of("CREATE TABLE IF NOT EXISTS " + marker + " (read boolean PRIMARY KEY DEFAULT true CHECK (read))",
                "INSERT INTO " + marker + " DEFAULT VALUES ON CONFLICT DO NOTHING",
                "GRANT SELECT ON " + marker + " TO PUBLIC");
    }

    @Override
    public long versionReads(Connection c, String versionSchema) throws SQLException {
        try (java.sql.Statement s = c.createStatement()) {
            s.execute("SELECT pg_stat_clear_snapshot()"); // counts as they are now, not as this transaction first saw them
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT coalesce((SELECT seq_scan + coalesce(idx_scan, 0) FROM pg_stat_user_tables"
                + " WHERE relid = c.oid), 0) FROM pg_class c WHERE c.oid = to_regclass(?)")) {
            ps.setString(1, qualify(versionSchema, READ_MARKER));
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : -1;
            }
        }
    }

    @Override
    public List<String> createSyncTrigger(SyncTrigger t) {
        StringBuilder body = new StringBuilder();
        body.append("CREATE OR REPLACE FUNCTION ").append(qualify(t.functionSchema(), t.functionName()))
                .append("() RETURNS trigger LANGUAGE plpgsql AS ").append(BODY_TAG).append('\n')
                .append("-- ").append(new OwnerMarker(t.newVersionSchema(), t.functionSchema()).text()).append('\n')
                // expressions name columns; a variable of the same name must win over a column of a subquery
                .append("#variable_conflict use_variable\n")
                .append("DECLARE\n");
        // The writer's version: an explicit bascule.version setting, else the first schema of its search_path.
        body.append("  bascule_writer text := coalesce(nullif(current_setting('bascule.version', true), ''),"
                + " (current_schemas(false))[1]);\n");
        body.append("BEGIN\n  IF bascule_writer = ").append(literal(t.newVersionSchema())).append(" THEN\n");
        appendBlock(body, t, t.newVariables(), t.downAssign());
        body.append("  ELSE\n");
        appendBlock(body, t, t.oldVariables(), t.upAssign());
        body.append("  END IF;\n  RETURN NEW;\nEND\n").append(BODY_TAG);
        String trigger = "CREATE OR REPLACE TRIGGER " + quote(t.triggerName()) + " BEFORE INSERT OR UPDATE ON "
                + qualify(t.schema(), t.table()) + " FOR EACH ROW"
                // the backfill assigns the new values itself; skipping the function keeps it fast
                + " WHEN (current_setting('bascule.backfill', true) IS DISTINCT FROM 'on')"
                + " EXECUTE FUNCTION " + qualify(t.functionSchema(), t.functionName()) + "()";
        return List.of(retagged(body.toString()), trigger);
    }

    /**
     * One direction's assignments in a block of its own: its expressions see the row under the
     * names of the version that wrote it, read before any assignment of the block.
     */
    private void appendBlock(StringBuilder body, SyncTrigger t, List<ColumnMapping> variables, List<Assignment> assignments) {
        if (assignments.isEmpty()) {
            body.append("    NULL;\n");
            return;
        }
        body.append("    DECLARE\n");
        for (ColumnMapping v : variables) {
            body.append("      ").append(quote(v.logical())).append(' ').append(qualify(t.schema(), t.table())).append('.')
                    .append(quote(v.physical())).append("%TYPE := NEW.").append(quote(v.physical())).append(";\n");
        }
        body.append("    BEGIN\n");
        for (Assignment a : assignments) {
            body.append("      ");
            if (a.reads() != null) {
                // an unfilled row (the backfill has not reached it) is filled by any write
                body.append("IF TG_OP = 'INSERT' OR NEW.").append(quote(a.column())).append(" IS NULL")
                        .append(a.reads().isEmpty() ? "" : " OR " + row("NEW", a.reads()) + " IS DISTINCT FROM " + row("OLD", a.reads()))
                        .append(" THEN ");
            }
            if (a.onlyIfNull()) {
                body.append("IF NEW.").append(quote(a.column())).append(" IS NULL THEN ");
            }
            body.append("NEW.").append(quote(a.column())).append(" := (").append(a.expression()).append(");");
            if (a.onlyIfNull()) {
                body.append(" END IF;");
            }
            if (a.reads() != null) {
                body.append(" END IF;");
            }
            body.append('\n');
        }
        body.append("    END;\n");
    }

    @Override
    public List<String> dropSyncTrigger(String schema, String table, String triggerName, String functionSchema,
                                        String functionName) {
        return List.of("DROP TRIGGER IF EXISTS " + quote(triggerName) + " ON " + qualify(schema, table),
                "DROP FUNCTION IF EXISTS " + qualify(functionSchema, functionName) + "()");
    }

    // ---- split and merge -----------------------------------------------------------------

    /** The writing session's version, as the sync triggers decide it. */
    private static final String WRITER = "coalesce(nullif(current_setting('bascule.version', true), ''), (current_schemas(false))[1])";

    private String copyTrigger(String schema, String table, String trigger, String functionSchema, String function) {
        // the backfill copies rows itself, and must not have its copies copied back
        return "CREATE OR REPLACE TRIGGER " + quote(trigger) + " AFTER INSERT OR UPDATE OR DELETE ON " + qualify(schema, table)
                + " FOR EACH ROW WHEN (current_setting('bascule.backfill', true) IS DISTINCT FROM 'on')"
                + " EXECUTE FUNCTION " + qualify(functionSchema, function) + "()";
    }

    private String function(String functionSchema, String function, String newVersionSchema, String body) {
        return retagged("CREATE OR REPLACE FUNCTION " + qualify(functionSchema, function) + "() RETURNS trigger LANGUAGE plpgsql AS "
                + BODY_TAG + "\n-- " + new OwnerMarker(newVersionSchema, functionSchema).text() + "\nBEGIN\n" + body
                + "  RETURN NULL;\nEND\n" + BODY_TAG);
    }

    private String fields(String record, List<String> columns) {
        return columns.stream().map(c -> record + "." + quote(c)).collect(Collectors.joining(", "));
    }

    private String row(String record, List<String> columns) {
        return "(" + fields(record, columns) + ")";
    }

    /** INSERT ... ON CONFLICT (key) DO UPDATE the {@code update} columns (DO NOTHING when there are none). */
    private String onConflict(List<String> key, List<String> update) {
        return " ON CONFLICT (" + quoteAll(key) + ") DO " + (update.isEmpty() ? "NOTHING"
                : "UPDATE SET " + update.stream().map(c -> quote(c) + " = EXCLUDED." + quote(c)).collect(Collectors.joining(", ")));
    }

    @Override
    public List<String> createSplitSync(SplitSync s) {
        List<String> statements = new ArrayList<>();
        StringBuilder body = new StringBuilder("  IF ").append(WRITER).append(" = ").append(literal(s.newVersionSchema()))
                .append(" THEN\n    RETURN NULL; -- new code writes the parts itself\n  END IF;\n");
        for (SplitPart p : s.parts()) {
            String part = qualify(s.schema(), p.table());
            if (p.oneToOne()) {
                body.append("  IF TG_OP = 'DELETE' OR (TG_OP = 'UPDATE' AND ").append(row("OLD", p.key()))
                        .append(" IS DISTINCT FROM ").append(row("NEW", p.key())).append(") THEN\n    DELETE FROM ").append(part)
                        .append(" WHERE (").append(quoteAll(p.key())).append(") = ").append(row("OLD", p.key())).append(";\n  END IF;\n");
            }
            List<String> nonKey = p.columns().stream().filter(c -> !p.key().contains(c)).toList();
            body.append("  IF TG_OP <> 'DELETE' AND ").append(p.key().stream().map(k -> "NEW." + quote(k) + " IS NOT NULL")
                            .collect(Collectors.joining(" AND "))).append(" THEN\n    INSERT INTO ").append(part).append(" (")
                    .append(quoteAll(p.columns())).append(") VALUES ").append(row("NEW", p.columns()))
                    .append(onConflict(p.key(), nonKey)).append(";\n  END IF;\n");
        }
        statements.add(function(s.functionSchema(), s.function(), s.newVersionSchema(), body.toString()));
        statements.add(copyTrigger(s.schema(), s.from(), s.trigger(), s.functionSchema(), s.function()));
        for (SplitPart p : s.parts()) {
            StringBuilder pb = new StringBuilder("  IF ").append(WRITER).append(" IS DISTINCT FROM ").append(literal(s.newVersionSchema()))
                    .append(" THEN\n    RETURN NULL; -- old code writes the split table, whose trigger fills this one\n  END IF;\n");
            if (!p.moved().isEmpty()) {
                String from = qualify(s.schema(), s.from());
                pb.append("  IF TG_OP = 'DELETE' THEN\n    UPDATE ").append(from).append(" SET ")
                        .append(p.moved().stream().map(c -> quote(c) + " = NULL").collect(Collectors.joining(", ")))
                        .append(" WHERE (").append(quoteAll(p.key())).append(") = ").append(row("OLD", p.key())).append(";\n  ELSE\n")
                        .append("    UPDATE ").append(from).append(" SET ")
                        .append(p.moved().stream().map(c -> quote(c) + " = NEW." + quote(c)).collect(Collectors.joining(", ")))
                        .append(" WHERE (").append(quoteAll(p.key())).append(") = ").append(row("NEW", p.key())).append(";\n  END IF;\n");
            }
            statements.add(function(s.functionSchema(), p.function(), s.newVersionSchema(), pb.toString()));
            statements.add(copyTrigger(s.schema(), p.table(), s.trigger(), s.functionSchema(), p.function()));
        }
        return statements;
    }

    @Override
    public RangeStatement splitCopy(String schema, String from, SplitPart p) {
        List<String> nonKey = p.columns().stream().filter(c -> !p.key().contains(c)).toList();
        return new RangeStatement("INSERT INTO " + qualify(schema, p.table()) + " (" + quoteAll(p.columns()) + ") SELECT "
                + fields("bascule_row", p.columns()) + " FROM (SELECT * FROM " + qualify(schema, from) + " WHERE ",
                // FOR KEY SHARE: a row deleted meanwhile waits for the copy, whose part row its trigger then deletes
                " FOR KEY SHARE) AS bascule_row WHERE " + p.key().stream().map(k -> "bascule_row." + quote(k) + " IS NOT NULL")
                        .collect(Collectors.joining(" AND ")) + onConflict(p.key(), List.of()));
    }

    @Override
    public String splitMismatch(String schema, SplitPart p) {
        String part = qualify(schema, p.table()) + " AS bascule_part WHERE " + row("bascule_part", p.key()) + " = " + row("bascule_row", p.key());
        List<String> compared = p.columns().stream().filter(c -> !p.key().contains(c)).toList();
        String equal = compared.isEmpty() ? "" : " AND " + row("bascule_part", compared) + " IS NOT DISTINCT FROM " + row("bascule_row", compared);
        // a row new code wrote without its part row yet has nothing in the moved columns
        String hasValues = p.moved().isEmpty() ? "FALSE"
                : p.moved().stream().map(c -> "bascule_row." + quote(c) + " IS NOT NULL").collect(Collectors.joining(" OR "));
        return p.key().stream().map(k -> "bascule_row." + quote(k) + " IS NOT NULL").collect(Collectors.joining(" AND "))
                + " AND NOT EXISTS (SELECT 1 FROM " + part + equal + ") AND (EXISTS (SELECT 1 FROM " + part + ") OR " + hasValues + ")";
    }

    /** The merged row for the key {@code keyRecord}, with {@code writer}'s columns from {@code values} (NEW, OLD or null). */
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
        if (writer == 0) {
            from.append("(SELECT 1) AS bascule_one");
        } else {
            from.append(qualify(m.schema(), m.sources().get(0).table())).append(" AS bascule_s0");
        }
        for (int i = 1; i < m.sources().size(); i++) {
            if (i == writer) continue;
            from.append(" LEFT JOIN ").append(qualify(m.schema(), m.sources().get(i).table())).append(" AS bascule_s").append(i)
                    .append(" ON ").append(row("bascule_s" + i, m.key())).append(" = ").append(row(keyOf0, m.key()));
        }
        String where = writer == 0 ? "" : " WHERE " + row("bascule_s0", m.key()) + " = " + row(keyRecord, m.key());
        return "INSERT INTO " + qualify(m.schema(), m.into()) + " (" + quoteAll(columns) + ") SELECT " + String.join(", ", select)
                + " FROM " + from + where + onConflict(m.key(), m.sources().get(writer).columns());
    }

    @Override
    public List<String> createMergeSync(MergeSync m) {
        List<String> statements = new ArrayList<>();
        String into = qualify(m.schema(), m.into());
        String keyChanged = "TG_OP = 'DELETE' OR (TG_OP = 'UPDATE' AND " + row("OLD", m.key()) + " IS DISTINCT FROM " + row("NEW", m.key()) + ")";
        for (int i = 0; i < m.sources().size(); i++) {
            MergeSource source = m.sources().get(i);
            StringBuilder body = new StringBuilder("  IF ").append(WRITER).append(" = ").append(literal(m.newVersionSchema()))
                    .append(" THEN\n    RETURN NULL; -- new code writes the merged table, whose trigger fills this one\n  END IF;\n");
            body.append("  IF ").append(keyChanged).append(" THEN\n");
            if (i == 0) {
                body.append("    DELETE FROM ").append(into).append(" WHERE (").append(quoteAll(m.key())).append(") = ")
                        .append(row("OLD", m.key())).append(";\n");
            } else if (!source.columns().isEmpty()) {
                // an upsert, not an UPDATE: it waits for a merged row the backfill has inserted but not committed
                body.append("    ").append(mergedRow(m, i, null, "OLD")).append(";\n");
            }
            body.append("  END IF;\n  IF TG_OP <> 'DELETE' THEN\n    ").append(mergedRow(m, i, "NEW", "NEW")).append(";\n  END IF;\n");
            statements.add(function(m.functionSchema(), source.function(), m.newVersionSchema(), body.toString()));
            statements.add(copyTrigger(m.schema(), source.table(), m.trigger(), m.functionSchema(), source.function()));
        }
        StringBuilder body = new StringBuilder("  IF ").append(WRITER).append(" IS DISTINCT FROM ").append(literal(m.newVersionSchema()))
                .append(" THEN\n    RETURN NULL;\n  END IF;\n  IF ").append(keyChanged).append(" THEN\n");
        for (int i = m.sources().size() - 1; i >= 0; i--) {
            body.append("    DELETE FROM ").append(qualify(m.schema(), m.sources().get(i).table())).append(" WHERE (")
                    .append(quoteAll(m.key())).append(") = ").append(row("OLD", m.key())).append(";\n");
        }
        body.append("  END IF;\n  IF TG_OP <> 'DELETE' THEN\n");
        for (int i = 0; i < m.sources().size(); i++) {
            MergeSource source = m.sources().get(i);
            List<String> columns = new ArrayList<>(m.key());
            columns.addAll(source.columns());
            String upsert = "INSERT INTO " + qualify(m.schema(), source.table()) + " (" + quoteAll(columns) + ") VALUES "
                    + row("NEW", columns) + onConflict(m.key(), source.columns());
            if (i == 0 || source.columns().isEmpty()) {
                body.append("    ").append(upsert).append(";\n");
            } else {
                // a joined table gets a row when the merged row has a value for it; a row it has is
                // kept (with the columns the merge does not keep) even when those values become null
                body.append("    IF ").append(source.columns().stream().map(c -> "NEW." + quote(c) + " IS NOT NULL")
                                .collect(Collectors.joining(" OR "))).append(" OR EXISTS (SELECT 1 FROM ")
                        .append(qualify(m.schema(), source.table())).append(" WHERE (").append(quoteAll(m.key())).append(") = ")
                        .append(row("NEW", m.key())).append(") THEN\n      ").append(upsert).append(";\n    END IF;\n");
            }
        }
        body.append("  END IF;\n");
        statements.add(function(m.functionSchema(), m.function(), m.newVersionSchema(), body.toString()));
        statements.add(copyTrigger(m.schema(), m.into(), m.trigger(), m.functionSchema(), m.function()));
        return statements;
    }

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
                        .append(" ON ").append(row("bascule_s" + i, m.key())).append(" = ").append(row("bascule_s0", m.key()));
            }
        }
        return new RangeStatement("INSERT INTO " + qualify(m.schema(), m.into()) + " (" + quoteAll(columns) + ") SELECT "
                + String.join(", ", select) + " FROM (SELECT * FROM " + qualify(m.schema(), m.sources().get(0).table()) + " WHERE ",
                " FOR KEY SHARE) AS bascule_s0" + joins + onConflict(m.key(), List.of()));
    }

    @Override
    public String mergeMismatch(MergeSync m, int source) {
        List<String> columns = m.sources().get(source).columns();
        String equal = columns.isEmpty() ? "" : " AND " + row("bascule_into", columns) + " IS NOT DISTINCT FROM " + row("bascule_row", columns);
        String missing = "NOT EXISTS (SELECT 1 FROM " + qualify(m.schema(), m.into()) + " AS bascule_into WHERE "
                + row("bascule_into", m.key()) + " = " + row("bascule_row", m.key()) + equal + ")";
        if (source == 0) {
            return missing;
        }
        // a joined row counts only where the first table has the key: the merge keeps only those
        return "EXISTS (SELECT 1 FROM " + qualify(m.schema(), m.sources().get(0).table()) + " AS bascule_s0 WHERE "
                + row("bascule_s0", m.key()) + " = " + row("bascule_row", m.key()) + ") AND " + missing;
    }

    // ---- deprecation -----------------------------------------------------------------------

    @Override
    public String deprecateColumn(String schema, String table, String column, String deprecatedName, String marker) {
        String t = qualify(schema, table);
        String alter = "ALTER TABLE " + t + " ALTER COLUMN " + quote(column);
        // PL/pgSQL substitutes no variables in utility statements, so the names below cannot meet them
        return retagged("DO " + BODY_TAG + "\nDECLARE\n  bascule_rel regclass := to_regclass(" + literal(t) + ");\n"
                + "  bascule_att int2;\n  bascule_r record;\nBEGIN\n"
                + "  SELECT attnum INTO bascule_att FROM pg_attribute WHERE attrelid = bascule_rel AND attname = "
                + literal(column) + " AND NOT attisdropped;\n"
                + "  IF bascule_att IS NULL THEN\n    RETURN; -- deprecated or dropped already\n  END IF;\n"
                // what DROP COLUMN would drop with it: constraints on it (their indexes go with them) ...
                + "  FOR bascule_r IN SELECT conname FROM pg_constraint WHERE conrelid = bascule_rel AND bascule_att = ANY (conkey) LOOP\n"
                + "    EXECUTE " + literal("ALTER TABLE " + t + " DROP CONSTRAINT ") + " || quote_ident(bascule_r.conname);\n"
                + "  END LOOP;\n"
                // ... and indexes that use it, as a key, in an expression or in the predicate
                + "  FOR bascule_r IN SELECT DISTINCT quote_ident(n.nspname) || '.' || quote_ident(c.relname) AS name"
                + " FROM pg_depend d JOIN pg_index i ON i.indexrelid = d.objid JOIN pg_class c ON c.oid = i.indexrelid"
                + " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE d.classid = 'pg_class'::regclass"
                + " AND d.refclassid = 'pg_class'::regclass AND d.refobjid = bascule_rel AND d.refobjsubid = bascule_att"
                + " AND i.indrelid = bascule_rel LOOP\n"
                + "    EXECUTE 'DROP INDEX ' || bascule_r.name;\n"
                + "  END LOOP;\n"
                + "  " + alter + " DROP IDENTITY IF EXISTS;\n"
                + "  " + alter + " DROP EXPRESSION IF EXISTS;\n"
                + "  " + alter + " DROP DEFAULT, ALTER COLUMN " + quote(column) + " DROP NOT NULL;\n"
                + "  ALTER TABLE " + t + " RENAME COLUMN " + quote(column) + " TO " + quote(deprecatedName) + ";\n"
                + "  EXECUTE " + literal("COMMENT ON COLUMN " + t + "." + quote(deprecatedName) + " IS ") + " || "
                + stamped(marker) + ";\nEND\n" + BODY_TAG);
    }

    @Override
    public String deprecateTable(String schema, String table, String deprecatedName, String marker) {
        String t = qualify(schema, table);
        return retagged("DO " + BODY_TAG + "\nDECLARE\n  bascule_rel regclass;\n  bascule_r record;\nBEGIN\n"
                + "  SELECT oid INTO bascule_rel FROM pg_class WHERE oid = to_regclass(" + literal(t) + ") AND relkind IN ('r', 'p');\n"
                + "  IF bascule_rel IS NULL THEN\n    RETURN; -- deprecated or dropped already\n  END IF;\n"
                + "  FOR bascule_r IN SELECT conname FROM pg_constraint WHERE conrelid = bascule_rel AND contype = 'f' LOOP\n"
                + "    EXECUTE " + literal("ALTER TABLE " + t + " DROP CONSTRAINT ") + " || quote_ident(bascule_r.conname);\n"
                + "  END LOOP;\n"
                + "  ALTER TABLE " + t + " RENAME TO " + quote(deprecatedName) + ";\n"
                + "  EXECUTE " + literal("COMMENT ON TABLE " + qualify(schema, deprecatedName) + " IS ") + " || "
                + stamped(marker) + ";\nEND\n" + BODY_TAG);
    }

    /** The marker with the time of the deprecating transaction, as an SQL string literal expression. */
    private String stamped(String marker) {
        return "quote_literal(jsonb_set(" + literal(marker) + "::jsonb, '{deprecated_at}', to_jsonb(now()))::text)";
    }

    /**
     * A generated statement whose body Bascule wrote between the first and the last {@link
     * #BODY_TAG}, dollar-quoted with a tag the body does not hold. The body holds the migration's
     * expressions, and a string literal in one may hold {@code $bascule_fn$}: with a fixed tag it
     * would end the body there and run the rest of the literal as SQL.
     */
    static String retagged(String sql) {
        int open = sql.indexOf(BODY_TAG);
        int close = sql.lastIndexOf(BODY_TAG);
        String inner = sql.substring(open + BODY_TAG.length(), close);
        String tag = BODY_TAG;
        for (int n = 1; (inner + tag).indexOf(tag) != inner.length(); n++) {
            tag = "$bascule_fn" + n + "$";
        }
        return sql.substring(0, open) + tag + inner + tag + sql.substring(close + BODY_TAG.length());
    }

    @Override
    public List<CommentedObject> commentedObjects(Connection c, String schema, String prefix) throws SQLException {
        String like = prefix.replace("\\", "\\\\").replace("_", "\\_").replace("%", "\\%") + "%";
        List<CommentedObject> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT cl.relname, NULL::text, obj_description(cl.oid, 'pg_class') FROM pg_class cl"
                        + " JOIN pg_namespace n ON n.oid = cl.relnamespace"
                        + " WHERE n.nspname = ? AND cl.relkind IN ('r', 'p') AND cl.relname LIKE ?"
                        + " UNION ALL"
                        + " SELECT cl.relname, a.attname, col_description(cl.oid, a.attnum) FROM pg_attribute a"
                        + " JOIN pg_class cl ON cl.oid = a.attrelid JOIN pg_namespace n ON n.oid = cl.relnamespace"
                        + " WHERE n.nspname = ? AND cl.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped"
                        + " AND a.attname LIKE ? ORDER BY 1, 2 NULLS FIRST")) {
            ps.setString(1, schema);
            ps.setString(2, like);
            ps.setString(3, schema);
            ps.setString(4, like);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new CommentedObject(rs.getString(1), rs.getString(2), rs.getString(3)));
                }
            }
        }
        return out;
    }

    @Override
    public String commentOnColumn(String schema, String table, String column, String comment) {
        return "COMMENT ON COLUMN " + qualify(schema, table) + "." + quote(column) + " IS "
                + (comment == null ? "NULL" : literal(comment));
    }

    @Override
    public String commentOnTable(String schema, String table, String comment) {
        return "COMMENT ON TABLE " + qualify(schema, table) + " IS " + (comment == null ? "NULL" : literal(comment));
    }

    // ---- guards --------------------------------------------------------------------------

    @Override
    public DatabaseSignals.Replication replication(Connection c) throws SQLException {
        // replay_lag is NULL once a standby has caught up and gone idle: a visible position means no delay
        try (java.sql.Statement s = c.createStatement(); ResultSet rs = s.executeQuery(OWN_STATEMENT
                + "SELECT count(*), max(pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn))::bigint,"
                + " max(extract(epoch FROM coalesce(replay_lag, CASE WHEN replay_lsn IS NOT NULL THEN interval '0' END)))"
                + " FROM pg_stat_replication WHERE NOT pg_is_in_recovery()")) {
            rs.next();
            int standbys = rs.getInt(1);
            long bytes = rs.getLong(2);
            Long lagBytes = rs.wasNull() ? null : bytes;
            double seconds = rs.getDouble(3);
            Double lagSeconds = rs.wasNull() ? null : seconds;
            return new DatabaseSignals.Replication(standbys, lagBytes, lagSeconds);
        }
    }

    @Override
    public List<DatabaseSignals.LockWait> lockWaits(Connection c, String schema, java.util.Collection<String> tables)
            throws SQLException {
        if (tables.isEmpty()) {
            return List.of();
        }
        // A session waiting for a row first takes a tuple lock on the row's table, then waits on the
        // holder's transaction id: the tuple lock is what ties that wait to the table.
        try (PreparedStatement ps = c.prepareStatement(OWN_STATEMENT
                + "SELECT w.pid, cl.relname, CASE WHEN w.locktype = 'relation' THEN w.mode ELSE 'row' END,"
                + " coalesce(extract(epoch FROM clock_timestamp() - w.waitstart), 0), pg_blocking_pids(w.pid)"
                + " FROM pg_locks w"
                + " JOIN pg_class cl ON cl.oid = coalesce(CASE WHEN w.locktype IN ('relation', 'tuple') THEN w.relation END,"
                + "   (SELECT t.relation FROM pg_locks t WHERE t.pid = w.pid AND t.locktype = 'tuple' LIMIT 1))"
                + " JOIN pg_namespace n ON n.oid = cl.relnamespace"
                + " WHERE NOT w.granted AND n.nspname = ? AND cl.relname = ANY (?) ORDER BY w.pid")) {
            ps.setString(1, schema);
            ps.setArray(2, c.createArrayOf("text", tables.toArray()));
            List<DatabaseSignals.LockWait> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    List<Integer> blockers = new ArrayList<>();
                    java.sql.Array a = rs.getArray(5);
                    if (a != null) {
                        for (Object pid : (Object[]) a.getArray()) {
                            blockers.add(((Number) pid).intValue());
                        }
                    }
                    out.add(new DatabaseSignals.LockWait(rs.getInt(1), rs.getString(2), rs.getString(3), rs.getDouble(4),
                            blockers));
                }
            }
            return out;
        }
    }

    @Override
    public Optional<DatabaseSignals.StatementTimes> statementTimes(Connection c, String stateSchema) throws SQLException {
        String view;
        try (java.sql.Statement s = c.createStatement(); ResultSet rs = s.executeQuery(OWN_STATEMENT
                + "SELECT quote_ident(n.nspname) FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace"
                + " WHERE e.extname = 'pg_stat_statements'")) {
            if (!rs.next()) {
                return Optional.empty();
            }
            view = rs.getString(1) + ".pg_stat_statements"; // quoted by the catalog, not user input
        }
        try (PreparedStatement ps = c.prepareStatement(OWN_STATEMENT
                + "SELECT coalesce(sum(calls), 0)::bigint, coalesce(sum(total_exec_time), 0) FROM " + view
                + " WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())"
                + " AND query ~* '^\\s*(select|insert|update|delete|with|merge|values|table)\\M'"
                + " AND query !~* '\\m(pg_\\w+|information_schema|to_regclass)\\M'"
                + " AND position(? IN query) = 0 AND position(? IN query) = 0 AND position(? IN query) = 0")) {
            ps.setString(1, OWN_STATEMENT.strip());
            ps.setString(2, quote(stateSchema) + ".");
            ps.setString(3, stateSchema + ".");
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return Optional.of(new DatabaseSignals.StatementTimes(rs.getLong(1), rs.getDouble(2)));
            }
        } catch (SQLException e) {
            if ("55000".equals(e.getSQLState())) { // created, but not in shared_preload_libraries
                return Optional.empty();
            }
            throw e;
        }
    }

    @Override
    public String tableExists(String schema, String table) {
        // a table, not a view or index of that name: a rename guard must not skip on one
        return "SELECT EXISTS (SELECT 1 FROM pg_class WHERE oid = to_regclass(" + literal(qualify(schema, table))
                + ") AND relkind IN ('r', 'p'))";
    }

    @Override
    public String columnExists(String schema, String table, String column) {
        return "SELECT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = to_regclass(" + literal(qualify(schema, table))
                + ") AND attname = " + literal(column) + " AND NOT attisdropped)";
    }

    @Override
    public String constraintExists(String schema, String table, String name) {
        return "SELECT EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = to_regclass(" + literal(qualify(schema, table))
                + ") AND conname = " + literal(name) + ")";
    }

    @Override
    public String columnIsNotNull(String schema, String table, String column) {
        return "SELECT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = to_regclass(" + literal(qualify(schema, table))
                + ") AND attname = " + literal(column) + " AND attnotnull)";
    }

    // ---- verification --------------------------------------------------------------------

    @Override
    public String rowMismatch(String newColumn, String upValue, List<ColumnMapping> oldScope, String oldColumn,
                              String downValue, List<ColumnMapping> newScope) {
        // each expression is evaluated over a one-row derived table naming the row's columns as
        // its version does; the outer row is visible to it as bascule_row
        return "NOT (bascule_row." + quote(newColumn) + " IS NOT DISTINCT FROM (SELECT " + upValue + " FROM " + rowAs(oldScope, "bascule_old")
                + ") OR bascule_row." + quote(oldColumn) + " IS NOT DISTINCT FROM (SELECT " + downValue + " FROM "
                + rowAs(newScope, "bascule_new") + "))";
    }

    private String rowAs(List<ColumnMapping> scope, String alias) {
        return "(SELECT " + scope.stream().map(m -> "bascule_row." + quote(m.physical()) + " AS " + quote(m.logical()))
                .collect(Collectors.joining(", ")) + ") AS " + alias;
    }

    private String quoteAll(List<String> names) {
        return names.stream().map(this::quote).collect(Collectors.joining(", "));
    }
}
