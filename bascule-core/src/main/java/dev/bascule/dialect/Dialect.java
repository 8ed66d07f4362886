package dev.bascule.dialect;

import dev.bascule.api.ColumnDef;
import dev.bascule.api.DatabaseSignals;
import dev.bascule.api.Operation;
import dev.bascule.plan.Step;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything that differs between databases: quoting, catalog queries, and the SQL text of each
 * primitive change. The planner composes these primitives; it never writes SQL itself, and every
 * identifier it passes in is quoted here.
 */
public interface Dialect {

    String name();

    /** Quotes an identifier, doubling any quote character inside it. */
    String quote(String identifier);

    /** Quotes a string literal. */
    String literal(String value);

    default String qualify(String schema, String name) {
        return quote(schema) + "." + quote(name);
    }

    Catalog readCatalog(Connection connection, String schema) throws SQLException;

    /**
     * The schema of the application's tables when none is given: PostgreSQL's {@code public}. A
     * dialect whose schemas are databases (MariaDB) answers with the connection's current database,
     * or empty when the connection has none; only such a dialect connects.
     */
    default Optional<String> defaultSchema(ConnectionOpener server) throws SQLException {
        return Optional.of("public");
    }

    /**
     * Whether two identifiers name the same column as the server matches them: exactly here
     * (PostgreSQL folds only unquoted names, and Bascule quotes every one); MariaDB's column
     * names are case-insensitive.
     */
    default boolean sameColumnName(String a, String b) {
        return a.equals(b);
    }

    /**
     * The planner's estimate of a table's size, from the statistics (no row is counted, so it is
     * cheap on any table), or empty when {@code schema.table} is not a table.
     */
    Optional<TableEstimate> estimateTable(Connection connection, String schema, String table) throws SQLException;

    /**
     * @param rows  estimated rows, or null when the table was never analyzed nor vacuumed
     * @param bytes the table's size on disk with its indexes and TOAST data
     */
    record TableEstimate(String schema, String table, Long rows, long bytes) {}

    /** Whether {@code sqlState} means a lock wait was abandoned because of the lock timeout. */
    boolean isLockTimeout(String sqlState);

    /**
     * Whether {@code e} means a lock wait was abandoned because of the lock timeout. MariaDB reports
     * it with the generic SQLSTATE HY000, so its dialect looks at the error code too.
     */
    default boolean isLockTimeout(SQLException e) {
        return isLockTimeout(e.getSQLState());
    }

    /** Whether {@code e} means a statement ran into the statement timeout (the backfill then halves its batch). */
    boolean isStatementTimeout(SQLException e);

    /** Whether {@code e} is a syntax error (a type that does not parse, at plan time). */
    boolean isSyntaxError(SQLException e);

    // ---- sessions and the lock that keeps Bascule commands apart ----------------------------

    /** Run on every connection Bascule opens: names it, fixes what the generated SQL relies on. */
    List<String> sessionSetup();

    /** Run on connections that change the schema or fill rows: the lock timeout, no statement timeout, the base schema. */
    List<String> workSetup(String schema, long lockTimeoutMillis);

    /** Undoes {@link #sessionSetup} and {@link #workSetup} before a (possibly pooled) connection is given back. */
    List<String> sessionReset();

    /** Puts a connection's session settings back as they were before Bascule's. */
    @FunctionalInterface
    interface SavedSession {
        void restore(Connection c) throws SQLException;
    }

    /**
     * Run on {@code c} before {@link #sessionSetup}: what puts back every setting Bascule's setup
     * and work change, so that a connection borrowed from the application's pool goes back with
     * the settings the pool gave it (its {@code search_path}, timeouts, ...). By default,
     * {@link #sessionReset}, for a dialect that saves the settings on the server itself.
     */
    default SavedSession saveSession(Connection c) throws SQLException {
        List<String> reset = sessionReset();
        return conn -> {
            try (java.sql.Statement s = conn.createStatement()) {
                for (String statement : reset) {
                    s.execute(statement);
                }
            }
        };
    }

    /** The server's id of {@code c}'s session (the pid that holds a lock, the thread an application waits on). */
    long sessionId(Connection c) throws SQLException;

    /** Takes the session-level lock {@code name} without waiting; false when another session holds it. */
    boolean tryLock(Connection c, String name) throws SQLException;

    /** Who holds lock {@code name}, as " (server pid ..., user ...)", or "" when that cannot be told. */
    String lockHolder(Connection c, String name) throws SQLException;

    /** Whether session {@code sessionId} still holds lock {@code name}; asked from any connection. */
    boolean holdsLock(Connection c, long sessionId, String name) throws SQLException;

    void unlock(Connection c, String name) throws SQLException;

    // ---- planning --------------------------------------------------------------------------

    /** Refuses, before anything changes, a server this dialect cannot work with safely. */
    void requireServerVersion(Connection c) throws SQLException;

    boolean schemaExists(Connection c, String schema) throws SQLException;

    /**
     * Why this dialect refuses {@code op} at plan time (never half-applies it), or empty when it
     * can do it safely.
     */
    default Optional<String> refusal(Operation op) {
        return Optional.empty();
    }

    /**
     * What the application must know about how this dialect does {@code op} (a statement shape the
     * server refuses while it is started, say), for plan's notes; empty when it works as documented
     * for every dialect.
     */
    default Optional<String> note(Operation op) {
        return Optional.empty();
    }

    /**
     * Statements that bound a plan-time expression check, run in its transaction (which is rolled
     * back); {@code schema} is where the expression's names resolve.
     */
    List<String> expressionCheckSettings(String schema);

    /**
     * How many columns {@code query} returns, as the server's parser and planner describe it without
     * running it: a server-side prepare (MariaDB Connector/J's {@code getMetaData} sends
     * COM_STMT_PREPARE, which takes exactly one statement and executes nothing). Fails as the server
     * does when the query does not compile.
     */
    default int describedColumns(Connection c, String query) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(query)) {
            ResultSetMetaData md = ps.getMetaData();
            return md == null ? 0 : md.getColumnCount();
        }
    }

    /**
     * An expression of the migration as it must be written inside the text of a JDBC prepared
     * statement that has parameters of its own (the backfill's and the verifier's key bounds): a
     * driver that reads {@code ?} as a parameter must see the expression's own {@code ?} escaped.
     */
    default String preparedText(String expression) {
        return expression;
    }

    /** {@code query}, made to give up quickly on a busy server, for a plan-time check. */
    default String boundedCheck(String query) {
        return query;
    }

    /**
     * A query that changes nothing and fails unless {@code type} is a type the server knows and
     * nothing more: with a syntax error ({@link #isSyntaxError}) when it is not even shaped as one.
     */
    default String typeCheck(String type) {
        return "SELECT CAST(NULL AS " + type + ")";
    }

    /** A NULL of {@code type}, standing in for a column that does not exist yet. */
    default String typedNull(String type) {
        return "CAST(NULL AS " + type + ")";
    }

    /** Whether a column's DEFAULT may name other columns of its row (MariaDB's may; PostgreSQL's may not). */
    default boolean defaultMayNameColumns() {
        return false;
    }

    /** The most columns a table may have here (PostgreSQL: 1600). */
    default int maxColumns() {
        return 1600;
    }

    /**
     * True when constraints can be added NOT VALID and validated later (PostgreSQL). Without them,
     * NOT NULL is checked by a query when complete begins and set by the contract.
     */
    boolean hasNotValidConstraints();

    /**
     * A statement that fails with an SQLSTATE of class 23 when a row of {@code table} has NULL in
     * {@code column}: complete's check before it sets NOT NULL, without NOT VALID constraints.
     */
    String requireNoNulls(String schema, String table, String column);

    /** SET NOT NULL on a column this migration added with {@code column}'s definition. */
    default String setNotNull(String schema, String table, ColumnDef column) {
        return setNotNull(schema, table, column.name());
    }

    /** True when views follow a renamed table or column (PostgreSQL); else complete creates them again after renames. */
    boolean viewsFollowRenames();

    /** Whether complete can keep tables and columns instead of dropping them ({@code --deprecate}). */
    boolean supportsDeprecation();

    /** Whether the gate of that name reads something this server has. */
    boolean supportsGate(String name);

    /**
     * How much each of {@code indexes} of {@code schema} has been used since the server's statistics
     * began, by index name, for the {@code index_unused} gate; empty when this server does not count
     * it now (then {@code note} receives why). An index never used may be missing (it counts 0).
     */
    default Optional<IndexUse> indexUse(Connection c, String schema, List<String> indexes,
                                        java.util.function.Consumer<String> note) throws SQLException {
        note.accept("this server does not count index use");
        return Optional.empty();
    }

    /**
     * @param counts  by index name
     * @param counted what a count counts, after the number: "time(s) scanned", "row(s) read through it"
     */
    record IndexUse(Map<String, Long> counts, String counted) {}

    /** What the plan says each kind of statement locks on this server. */
    LockLabels locks();

    /**
     * @param brief        a catalog-only change of an existing table
     * @param onlineIndex  an index built or dropped while reads and writes go on
     * @param validate     complete's check of existing rows
     * @param rows         a backfill batch
     * @param trigger      creating or dropping a sync trigger
     * @param setNotNull   NOT NULL set at complete
     * @param dropTable    DROP TABLE at complete
     * @param dropColumn   DROP COLUMN at complete
     */
    record LockLabels(String brief, String onlineIndex, String validate, String rows, String trigger, String setNotNull,
                      String dropTable, String dropColumn) {}

    // ---- running steps ---------------------------------------------------------------------

    /** The strongest lock {@code c}'s session holds on each table, by table; empty when the server does not tell. */
    Map<String, String> heldTableLocks(Connection c) throws SQLException;

    /** Whether index {@code index} of {@code table} is valid, invalid (an interrupted build: false), or absent (null). */
    Boolean indexValid(Connection c, String schema, String table, String index) throws SQLException;

    /**
     * True when an online index build must wait for older transactions (CREATE INDEX
     * CONCURRENTLY) and so runs without the lock timeout; false when it takes a metadata lock
     * queries queue behind, and so runs under the lock timeout with retries.
     */
    boolean onlineIndexWaitsForTransactions();

    /**
     * Why the backfill cannot walk a table by this key on this database, or empty when it can.
     *
     * @param key the key's columns with their types, in key order
     */
    default Optional<String> backfillKeyProblem(List<Step.KeyColumn> key) {
        return Optional.empty();
    }

    /** Whether DDL is transactional: a step of several DDL statements then commits all or none. */
    default boolean transactionalDdl() {
        return true;
    }

    /**
     * Statements that free the table locks a failed step may still hold ({@code LOCK TABLES} where
     * DDL is not transactional); run, ignoring errors, whenever a step fails.
     */
    default List<String> releaseTableLocks() {
        return List.of();
    }

    /**
     * A column added NOT NULL at once (with a default: the column's own, or a
     * {@link #placeholderValue}), where no NOT VALID check can stand for NOT NULL until complete
     * and the server adds such a column without a rebuild.
     */
    default String addColumnAsDeclared(String schema, String table, ColumnDef column, boolean withDefault) {
        return addColumn(schema, table, column, withDefault);
    }

    /**
     * Where DDL is not transactional, the swap of alter_column's shadow columns for the old ones,
     * as statements run in order: the table is locked against writers, one ALTER drops the old
     * columns and their indexes and gives the shadows and their indexes the old names, the sync
     * triggers are dropped, then the table is unlocked. No writer ever sees the table between two
     * of them.
     *
     * @param dropTriggers  the statements dropping the table's sync triggers
     * @param dropIndexes   the indexes on the old columns
     * @param columns       old column to shadow, with the name the shadow takes
     * @param indexRenames  the shadows' indexes, from their temporary names to the old ones
     */
    default List<String> swapColumns(String schema, String table, List<String> dropTriggers, List<String> dropIndexes,
                                     List<ColumnSwap> columns, List<Renamed> indexRenames) {
        throw new UnsupportedOperationException(name() + ": columns are swapped in one transaction");
    }

    /** What {@link #swapColumns} holds, for the plan's output. */
    /**
     * The statements of a step that renames table {@code table} or its columns, made so that the
     * version's view {@code view}, which names them, is {@code createView} again with no moment in
     * between in which a query through it sees it name what is gone. Here (views that do not
     * follow renames are the only reason to call it) the view simply comes after the statements.
     */
    default List<String> holdingView(String schema, String table, List<String> statements, String versionSchema,
                                     String view, String createView) {
        List<String> all = new java.util.ArrayList<>(statements);
        all.add(createView);
        return all;
    }

    /**
     * Statements that show a column start added hidden from old code (MariaDB: INVISIBLE), placed
     * {@code after} a column, {@code first}, or (neither) where it is; {@code dropDefault}: without
     * its (placeholder) default. None here: PostgreSQL has
     * no invisible columns, and old code names its columns.
     */
    default List<String> revealColumn(String schema, String table, String column, Optional<String> after, boolean first,
                                      boolean dropDefault) {
        return List.of();
    }

    default String swapLock() {
        return locks().brief();
    }

    /**
     * Where a column cannot get a shadow column (a primary key's, an AUTO_INCREMENT's): an empty
     * copy of the table with the column of its new type. Each statement may run again.
     */
    default List<String> createShadowTable(String schema, String table, String shadow, ColumnDef column,
                                           boolean autoIncrement, String collation) {
        throw new UnsupportedOperationException(name() + ": columns are altered with a shadow column");
    }

    /**
     * A check, run before complete changes anything, that {@code shadow} has exactly {@code table}'s
     * rows by {@code key}: the same count, no key missing. It fails with SQLSTATE 23000 otherwise.
     */
    default String requireSameRows(String schema, String table, String shadow, String key) {
        throw new UnsupportedOperationException(name() + ": columns are altered with a shadow column");
    }

    /** Gives {@code shadow} the AUTO_INCREMENT counter {@code table} has now. */
    default String copyAutoIncrement(String schema, String table, String shadow) {
        throw new UnsupportedOperationException(name() + ": columns are altered with a shadow column");
    }

    /** AFTER INSERT, UPDATE and DELETE triggers copying each write of {@code table} into {@code shadow}. */
    default List<String> createCopyTriggers(String schema, String table, String shadow, List<String> columns,
                                            List<String> key, String name, OwnerMarker marker) {
        throw new UnsupportedOperationException(name() + ": columns are altered with a shadow column");
    }

    /** Drops {@link #createCopyTriggers}' triggers, from whichever table holds them now. */
    default List<String> dropCopyTriggers(String schema, String name) {
        throw new UnsupportedOperationException(name() + ": columns are altered with a shadow column");
    }

    /** The backfill's copy of one key range of {@code table} into {@code shadow}, which keeps a newer row. */
    default List<RangeStatement> shadowTableCopy(String schema, String table, String shadow, List<String> columns) {
        throw new UnsupportedOperationException(name() + ": columns are altered with a shadow column");
    }

    /** Gives {@code table}'s name to {@code shadow} and {@code retired}'s to {@code table}, in one atomic statement. */
    default String cutOver(String schema, String table, String shadow, String retired) {
        throw new UnsupportedOperationException(name() + ": columns are altered with a shadow column");
    }

    /** An old column, the shadow that replaces it, and the name the shadow takes. */
    record ColumnSwap(String old, String shadow, String finalName) {}

    /** An object's temporary name and the name it takes. */
    record Renamed(String from, String to) {}

    /**
     * A value a NOT NULL column of {@code type} with no default of its own may hold until the
     * backfill and the sync triggers fill it: the default it is added with (old code's inserts, which
     * do not name it, must not fail before the triggers exist), dropped again at complete. Empty
     * where the column is added nullable instead.
     */
    default Optional<String> placeholderValue(String type) {
        return Optional.empty();
    }

    // ---- backfill --------------------------------------------------------------------------

    /** A key column's value as text, as the checkpoints store it. */
    String keyAsText(String quotedColumn);

    /** A parameter holding a key value as text, compared with a key column of {@code type}. */
    String keyParameter(String type);

    /** Skip the number of rows given as the last parameter, then take one. */
    String offsetOneRow();

    /** Run first in each batch's transaction: marks the session as the backfill's, bounds its statements. */
    List<String> backfillBatchSettings(java.time.Duration statementTimeout);

    /**
     * Run after each batch's transaction ends: undoes settings of {@link #backfillBatchSettings} that
     * outlive a transaction on this server (the backfill's connection may run DDL next).
     */
    default List<String> backfillBatchReset() {
        return List.of();
    }

    /** Whether a backfill may split a table's key range between parallel workers (from a sample of the table). */
    boolean parallelBackfill();

    /** The statistics' row count of a table, or -1 when they have none. */
    long statisticsRows(Connection c, String schema, String table) throws SQLException;

    /** The health signals a backfill throttles on, read on the monitor's connection. */
    dev.bascule.backfill.health.HealthSignals healthSignals();

    /** The health signals of a backfill whose state is in {@code stateSchema} (where a heartbeat table may go). */
    default dev.bascule.backfill.health.HealthSignals healthSignals(String stateSchema) {
        return healthSignals();
    }

    /** Preflight checks before start and complete, each returning one row per problem. */
    List<PreflightCheck> preflightChecks(long maxReplicationLagBytes, java.time.Duration longTransaction,
                                         int connectionsNeeded);

    /**
     * @param perTable the query takes the base schema and an array of table names as its two parameters
     */
    record PreflightCheck(String name, String sql, boolean perTable) {}

    /** The state tables' SQL on this server. */
    dev.bascule.state.StateSql stateSql();

    /** Statements that make the session's DDL wait at most {@code millis} for a lock. */
    String setLockTimeout(long millis);

    /** Opens a further connection to the server, which the caller closes. */
    @FunctionalInterface
    interface ConnectionOpener {
        Connection open() throws SQLException;
    }

    /**
     * Runs {@code statement} on {@code work} (whose session has {@link #workSetup}'s lock timeout) so
     * that it waits at most {@code lockTimeout} for a lock; a wait that reaches it fails with an
     * exception {@link #isLockTimeout(SQLException)} recognises. Here the session's lock timeout says
     * it exactly (PostgreSQL's {@code lock_timeout} counts milliseconds). A dialect whose setting is
     * coarser watches the wait from a connection of {@code watcher}'s and ends it.
     */
    default void executeUnderLockTimeout(Connection work, String statement, java.time.Duration lockTimeout,
                                         ConnectionOpener watcher) throws SQLException {
        try (java.sql.Statement s = work.createStatement()) {
            s.execute(statement);
        }
    }

    // ---- tables and columns -------------------------------------------------------------

    String createTable(String schema, Operation.CreateTable table);

    String dropTable(String schema, String table);

    String renameTable(String schema, String from, String to);

    /** Adds a nullable column without constraints; constraints are added separately, NOT VALID. */
    String addColumn(String schema, String table, ColumnDef column, boolean withDefault);

    String setColumnDefault(String schema, String table, String column, String expression);

    String dropColumn(String schema, String table, String column);

    String renameColumn(String schema, String table, String from, String to);

    String setNotNull(String schema, String table, String column);

    // ---- constraints ---------------------------------------------------------------------

    String addCheckNotValid(String schema, String table, String name, String expression);

    String addForeignKeyNotValid(String schema, String table, String name, List<String> columns,
                                 String refTable, List<String> refColumns, Optional<String> onDelete);

    String validateConstraint(String schema, String table, String name);

    String dropConstraint(String schema, String table, String name);

    String addUniqueUsingIndex(String schema, String table, String name, String index);

    /** What a constraint is: servers without a DROP CONSTRAINT for every kind (MariaDB) drop each its own way. */
    enum ConstraintKind { FOREIGN_KEY, UNIQUE, CHECK, COLUMN_CHECK, PRIMARY_KEY }

    /** Drops constraint {@code name}, a {@code kind}; where one statement drops every kind, that one. */
    default String dropConstraint(String schema, String table, String name, ConstraintKind kind) {
        return dropConstraint(schema, table, name);
    }

    /** The lock dropping a constraint of {@code kind} takes, as plan prints it. */
    default String dropConstraintLock(ConstraintKind kind) {
        return locks().brief();
    }

    /** Why a constraint of {@code kind} cannot be dropped online here, or empty when it can. */
    default Optional<String> dropConstraintRefusal(ConstraintKind kind) {
        return Optional.empty();
    }

    /** The lock adding a foreign key (without checking existing rows) takes, as plan prints it. */
    default String addForeignKeyLock() {
        return locks().brief();
    }

    /**
     * True when adding a foreign key makes an index named like the constraint if no index starts
     * with the key's columns (InnoDB): its rollback drops that index too.
     */
    default boolean foreignKeyMakesIndex() {
        return false;
    }

    /**
     * Complete's check of the existing rows against a foreign key added without checking them: a
     * statement failing with an SQLSTATE of class 23 (naming the constraint and a key) when a row's
     * key, none of its columns NULL (MATCH SIMPLE), has no match.
     */
    default String validateForeignKey(String schema, String table, String name, List<String> columns, String refTable,
                                      List<String> refColumns) {
        return validateConstraint(schema, table, name);
    }

    /**
     * Undoes {@link #addForeignKeyNotValid(String, String, String, List, String, List, Optional)}: the key, and
     * with {@code indexMadeForIt} the index the server made for it ({@link #foreignKeyMakesIndex}).
     */
    default String dropAddedForeignKey(String schema, String table, String name, boolean indexMadeForIt) {
        return dropConstraint(schema, table, name);
    }

    // ---- indexes -------------------------------------------------------------------------

    String createIndexOnline(String schema, String name, String table, List<String> columns, boolean unique,
                             Optional<String> where, Optional<String> method);

    /** @param table the index's table: MySQL and MariaDB name indexes per table */
    String dropIndexOnline(String schema, String table, String name);

    /**
     * An index built online from elements the catalog printed ({@link Catalog.IndexDef}), so
     * expressions, orderings and INCLUDE columns carry over.
     */
    String rebuildIndexOnline(String schema, String name, String table, boolean unique, String method,
                              List<String> elements, List<String> include, Optional<String> where,
                              boolean nullsNotDistinct);

    String renameIndex(String schema, String from, String to);

    /**
     * Whether {@code expression} may read {@code column}, by this server's rules for names (a
     * false yes costs only work; a false no loses writes). PostgreSQL folds unquoted names to
     * lower case and keeps quoted ones.
     */
    default boolean mayRead(String expression, String column) {
        return !dev.bascule.model.Expressions.renameColumn(expression, column, "\"\"").equals(expression);
    }

    /** An index element (a column or an expression, as {@link #readCatalog} gives it) with column {@code from} renamed. */
    default String renameIndexElement(String element, String from, String to) {
        return dev.bascule.model.Expressions.renameColumn(element, from, quote(to));
    }

    String addPrimaryKeyUsingIndex(String schema, String table, String name, String index);

    String renameConstraint(String schema, String table, String from, String to);

    /** {@code key} added again, NOT VALID, as it was (actions and match type included). */
    String addForeignKeyNotValid(Catalog.ForeignKey key);

    // ---- sequences -----------------------------------------------------------------------

    String setSequenceOwner(String sequenceSchema, String sequence, String schema, String table, String column);

    String setSequenceType(String sequenceSchema, String sequence, String type);

    /** An expression taking the sequence's next value (a default). */
    String nextValue(String sequenceSchema, String sequence);

    String dropColumnDefault(String schema, String table, String column);

    /**
     * Takes the sequence's next value and keeps it, under {@code key}, until the transaction ends:
     * an identity column's sequence is dropped with the column, and the new identity goes on from it.
     */
    String rememberNextValue(String key, String sequenceSchema, String sequence);

    /** Makes {@code column} an identity column ({@code ALWAYS} or {@code BY DEFAULT}) that goes on from the value kept under {@code key}. */
    List<String> addIdentityFromRemembered(String key, String schema, String table, String column, String kind);

    /** {@code expression} converted to {@code type} as an explicit cast. */
    default String cast(String expression, String type) {
        return "CAST((" + expression + ") AS " + type + ")";
    }

    /**
     * The start of every statement Bascule runs on the application's rows (backfill, verifier, plan
     * checks), so that the gates reading the server's statement statistics can leave them out.
     */
    String OWN_STATEMENT = "/* bascule */ ";

    // ---- watching the application during a backfill ----------------------------------------

    /**
     * A probe of the application's health for {@code source}, or empty when this server cannot
     * tell it (then {@code note} receives why). {@link ApplicationProbe.Source#AUTO} falls back to
     * what the server can tell, and says so through {@code note}.
     *
     * @param stateSchema Bascule's state schema: statements on it are Bascule's, not the application's
     */
    Optional<ApplicationProbe> applicationProbe(Connection connection, ApplicationProbe.Source source, String stateSchema,
                                                java.util.function.Consumer<String> note) throws SQLException;

    // ---- versions and sync ---------------------------------------------------------------

    String createSchema(String schema);

    /**
     * Makes {@code versionSchema} anew, marked with {@code marker}. The first statements fail, before
     * anything is dropped, when a schema (database) of that name exists without that marker, or
     * holds anything but {@code views} and Bascule's helper objects ({@link #versionSchemaGuard}):
     * only what this migration made is dropped, and a start cut off midway finds its own marker again.
     */
    List<String> replaceVersionSchema(String versionSchema, OwnerMarker marker, Collection<String> views);

    /**
     * Drops {@code versionSchema}: its views named {@code views} and Bascule's helper objects one by
     * one, never with CASCADE, then the schema (database) only if it is empty. The first statements
     * fail, before anything is dropped, when it exists without {@code marker} (not checked when
     * null: a version made by an earlier release may carry none), or when {@link #versionSchemaGuard} fails.
     */
    List<String> dropVersionSchema(String versionSchema, OwnerMarker marker, Collection<String> views);

    /** How every {@link #versionSchemaGuard} statement begins: the commands run it again before they change anything. */
    String VERSION_SCHEMA_GUARD = "/* bascule: only its own objects */ ";

    /**
     * A statement, beginning with {@link #VERSION_SCHEMA_GUARD}, that changes nothing and fails with
     * SQLSTATE {@link #VERSION_SCHEMA_GUARD_STATE} naming each object when {@code versionSchema}
     * holds anything but its views named {@code views} and Bascule's helper objects, or when
     * anything outside it depends on those (a view elsewhere reading a version view).
     */
    String versionSchemaGuard(String versionSchema, Collection<String> views);

    /** The SQLSTATE a failed {@link #versionSchemaGuard} raises. */
    String VERSION_SCHEMA_GUARD_STATE = "2BP01";

    /** The schemas (databases) whose name starts with {@code prefix}, with their comment ("" when none). */
    Map<String, String> schemaComments(Connection c, String prefix) throws SQLException;

    /**
     * The triggers of {@code schema}'s tables named like Bascule's ({@code _bascule...}), each with
     * the text its {@link OwnerMarker} is in (the trigger's body, or its function's).
     */
    List<NamedTrigger> basculeTriggers(Connection c, String schema) throws SQLException;

    /** @param definition where a trigger made by Bascule carries its {@link OwnerMarker} */
    record NamedTrigger(String table, String name, String definition) {}

    /** The functions of {@code schema} whose name ends with {@code nameSuffix}, with their source; none where triggers have no functions. */
    default Map<String, String> functions(Connection c, String schema, String nameSuffix) throws SQLException {
        return Map.of();
    }

    /**
     * The table of one row, {@value #READ_MARKER}, that every view of a version reads once per query
     * (a one-row scan the server's statistics count): how the {@code old_version_idle} gate
     * tells that old code still reads through a version.
     */
    String READ_MARKER = "_bascule_reads";

    /** Creates the version's {@link #READ_MARKER}, readable by every role that can read the views. */
    List<String> createReadMarker(String versionSchema);

    /** How many queries have read through the version's views since the server's statistics began, or -1 if it has no marker. */
    long versionReads(Connection c, String versionSchema) throws SQLException;

    /**
     * A view exposing {@code table} under {@code view}, column by column (physical AS logical), that
     * reads the version's {@link #READ_MARKER} once per query.
     */
    String createVersionView(String versionSchema, String view, String schema, String table,
                             List<ColumnMapping> columns);

    /** The function and trigger that keep old and new columns of one table in sync. */
    List<String> createSyncTrigger(SyncTrigger trigger);

    List<String> dropSyncTrigger(String schema, String table, String triggerName, String functionSchema,
                                 String functionName);

    // ---- split and merge: rows copied between tables ---------------------------------------

    /** The functions and triggers that keep a split table and its parts in step. */
    List<String> createSplitSync(SplitSync split);

    /** The functions and triggers that keep merged tables and their merge in step. */
    List<String> createMergeSync(MergeSync merge);

    /** A backfill statement copying one key range of the split table into a part. */
    RangeStatement splitCopy(String schema, String from, SplitPart part);

    /** A backfill statement copying one key range of the first merged table, joined with the others. */
    RangeStatement mergeCopy(MergeSync merge);

    /** True for a row ({@code bascule_row}) of the split table whose part row is missing or differs. */
    String splitMismatch(String schema, SplitPart part);

    /** True for a row ({@code bascule_row}) of merged table {@code source} whose merged row is missing or differs. */
    String mergeMismatch(MergeSync merge, int source);

    // ---- deprecation: what complete --deprecate keeps instead of dropping ------------------

    /**
     * Renames a column complete would drop to {@code deprecatedName} and comments it with
     * {@code marker} plus the time: its values stay, and it no longer stands in new code's way. It
     * loses what DROP COLUMN would have dropped with it (the indexes and constraints that use it),
     * its default, NOT NULL, identity and generation expression, so rows written without it are
     * accepted. Does nothing when the column is gone.
     */
    String deprecateColumn(String schema, String table, String column, String deprecatedName, String marker);

    /**
     * Renames a table complete would drop to {@code deprecatedName} and comments it with
     * {@code marker} plus the time. Its foreign keys are dropped: they would refuse new code's
     * deletes of the rows they point at. Indexes and other constraints stay (no one writes the
     * table). Does nothing when the table is gone.
     */
    String deprecateTable(String schema, String table, String deprecatedName, String marker);

    /** Tables and columns of {@code schema} whose name starts with {@code prefix}, with their comments. */
    List<CommentedObject> commentedObjects(Connection connection, String schema, String prefix) throws SQLException;

    String commentOnColumn(String schema, String table, String column, String comment);

    String commentOnTable(String schema, String table, String comment);

    /** @param column null for the table itself */
    record CommentedObject(String table, String column, String comment) {}

    // ---- what an operator watches: read-only queries on the server's statistics ------------

    /** How far the standbys streaming from this server are behind. */
    DatabaseSignals.Replication replication(Connection connection) throws SQLException;

    /** Sessions waiting on a lock on one of {@code tables} of {@code schema}, or on one of their rows. */
    List<DatabaseSignals.LockWait> lockWaits(Connection connection, String schema, Collection<String> tables)
            throws SQLException;

    /**
     * The application's statement times, leaving out Bascule's own statements, those on
     * {@code stateSchema} and those on the system catalogs; empty when the server does not collect them.
     */
    Optional<DatabaseSignals.StatementTimes> statementTimes(Connection connection, String stateSchema) throws SQLException;

    // ---- guards: queries returning one boolean, true when a step is already done --------

    String tableExists(String schema, String table);

    String columnExists(String schema, String table, String column);

    String constraintExists(String schema, String table, String name);

    String columnIsNotNull(String schema, String table, String column);

    default String columnAbsent(String schema, String table, String column) {
        return "SELECT NOT (" + columnExists(schema, table, column) + ")";
    }

    // ---- verification --------------------------------------------------------------------

    /**
     * A predicate over the row {@code bascule_row}, true when neither direction of an
     * alter_column holds: the new column is not {@code up} of the row as old code sees it, and the
     * old column is not {@code down} of the row as new code sees it.
     */
    String rowMismatch(String newColumn, String upValue, List<ColumnMapping> oldScope, String oldColumn,
                       String downValue, List<ColumnMapping> newScope);

    /** physical AS logical */
    record ColumnMapping(String physical, String logical) {}

    /**
     * @param oldVariables names visible to {@code up} expressions (the row as old code sees it),
     *                     each bound to a physical column of the row
     * @param newVariables names visible to {@code down} expressions (the row as new code sees it)
     * @param upAssign     applied to writes from sessions on an older version
     * @param downAssign   applied to writes from sessions on the new version
     */
    record SyncTrigger(String schema, String table, String triggerName, String functionSchema, String functionName,
                       String newVersionSchema, List<ColumnMapping> oldVariables, List<ColumnMapping> newVariables,
                       List<Assignment> upAssign, List<Assignment> downAssign) {}

    /**
     * @param from       the table split
     * @param trigger    the name of the copy triggers on every table involved
     * @param function   the function of the trigger on {@code from}
     */
    record SplitSync(String schema, String from, String functionSchema, String trigger, String function,
                     String newVersionSchema, List<SplitPart> parts) {}

    /**
     * @param key      the part's primary key; the rows of {@code from} with that key share the part row
     * @param moved    the part's columns that leave {@code from} at complete
     * @param oneToOne the key is {@code from}'s own key: a deleted row takes its part row along
     * @param function the function of the trigger on this part
     */
    record SplitPart(String table, List<String> columns, List<String> key, List<String> moved, boolean oneToOne,
                     String function) {}

    /**
     * @param key     the merged table's primary key, a unique key of every source
     * @param sources the first is the table whose rows the merged table has (the others are joined to it)
     */
    record MergeSync(String schema, String into, List<String> key, String functionSchema, String trigger, String function,
                     String newVersionSchema, List<MergeSource> sources) {}

    /** @param columns the source's columns that the merged table keeps, key excluded */
    record MergeSource(String table, List<String> columns, String function) {}

    /** A statement run for one key range: {@code before} + the range predicate + {@code after}. */
    record RangeStatement(String before, String after) {}

    /**
     * column := expression; {@code onlyIfNull} keeps a value the writer supplied.
     *
     * @param reads the physical columns the expression reads: an UPDATE that changes none of them
     *              keeps the column's value (which the other version may have written); null when
     *              the assignment applies to every write
     */
    record Assignment(String column, String expression, boolean onlyIfNull, List<String> reads) {
        public Assignment(String column, String expression, boolean onlyIfNull) {
            this(column, expression, onlyIfNull, null);
        }
    }
}
