package dev.bascule.dialect.mysql;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where MariaDB and MySQL differ, and only that: the family's dialect ({@link MariaDbDialect}) and
 * its {@code MySql*} roles write MariaDB's SQL and ask this for the few words that differ. What
 * MySQL can only say with the server's help (a compound statement, which MySQL runs only inside a
 * stored program; CREATE OR REPLACE TRIGGER; a trigger variable typed like a column; IF [NOT] EXISTS
 * on a column or an index) is run by {@link MySqlStatements} when the statement runs.
 */
public sealed interface MySqlFamily permits MySqlFamily.MariaDb, MySqlFamily.MySql {

    MariaDb MARIADB = new MariaDb();
    MySql MYSQL = new MySql();

    /** The name of a procedure Bascule keeps in a version database on MySQL, whose comment is the owner's marker. */
    String OWNER_ROUTINE = "_bascule_owner";

    /** The server of a {@code SELECT VERSION()}: MariaDB's carries its name ({@code 10.11.19-MariaDB-0+deb12u1}). */
    static MySqlFamily ofVersion(String version) {
        return version.toLowerCase(Locale.ROOT).contains("mariadb") ? MARIADB : MYSQL;
    }

    /** {@code MariaDB} or {@code MySQL}, for messages. */
    String product();

    /** The session variable of the isolation level: MySQL 8 has only transaction_isolation, MariaDB 10.11 only tx_isolation. */
    String isolationVariable();

    /**
     * The session variable that ends a long statement, and its value for {@code seconds} (0: no
     * limit): MariaDB's max_statement_time counts seconds and ends any statement, MySQL's
     * max_execution_time counts milliseconds and ends read-only SELECTs only.
     */
    String statementTimeVariable();

    String statementTime(double seconds);

    /** {@code SET SESSION} of {@link #statementTimeVariable()}. */
    default String setStatementTime(double seconds) {
        return "SET SESSION " + statementTimeVariable() + " = " + statementTime(seconds);
    }

    /** The information_schema.COLUMNS expression (over alias {@code c}) telling whether a column is generated: ALWAYS or NEVER. */
    String isGenerated(String c);

    /**
     * A column's default as SQL text, over information_schema.COLUMNS alias {@code c}: MariaDB keeps
     * the expression (a string quoted, {@code NULL} for none written), MySQL keeps a literal's bare
     * value and an expression's text only when EXTRA says DEFAULT_GENERATED.
     */
    String columnDefault(String c);

    /** CHECK constraints of database {@code ?}: TABLE_NAME, CONSTRAINT_NAME, CHECK_CLAUSE; MySQL's table has no TABLE_NAME. */
    String checkConstraints();

    /** The keyword of a stored generated column. */
    String stored();

    /** A query under a 5 s statement limit and a 1 s lock wait, for that statement only. */
    String boundedCheck(String query);

    /** A query the server can prepare only if {@code type} is a data type, and nothing more. */
    String typeCheck(String type);

    /** The SQL text of {@code database}'s owner marker, over information_schema.SCHEMATA alias {@code s}. */
    String schemaMarker(String s);

    /** The statements that create a version database carrying {@code marker} (see {@link #schemaMarker}). */
    List<String> createMarkedDatabase(String quotedDatabase, String markerLiteral);

    /**
     * Row-lock waits as FROM items: {@code r} the waiting transaction and {@code b} the blocking one
     * (information_schema.INNODB_TRX), {@code w} the wait; with {@code locked}, {@code l} the lock
     * waited for. MariaDB has information_schema's INNODB_LOCK_WAITS, MySQL 8 performance_schema's data_lock_waits.
     */
    String lockWaits(boolean locked);

    /** The table a waited-for lock ({@code l} of {@link #lockWaits}) is on, as {@code `db`.`table`}, and its mode. */
    String lockedTable();

    String lockMode();

    /** A session's current query id (to end that query only) and whether it waits for a lock, by {@code ID = ?}. */
    String lockWaitLook();

    /** Ends the query {@link #lockWaitLook} saw; MySQL can only end the session's current statement. */
    String killQuery(long lookedUpId);

    /** The algorithm of ALTER TABLE .. DROP FOREIGN KEY: MySQL 8 refuses INSTANT there (error 1845). */
    String dropForeignKeyAlgorithm();

    /**
     * Index use since the server started: a query of whether the server counts it (true or
     * false), why not when it does not, and a query of INDEX_NAME and rows read for database
     * {@code ?} and the indexes {@code marks} stands for.
     */
    String indexUseCounted();

    String indexUseNotCounted();

    String indexReads(String marks);

    /**
     * The ALTER(s) of a swap, under LOCK TABLES: indexes dropped, columns dropped and renamed,
     * indexes renamed, none copying the table. MariaDB does it in one NOCOPY ALTER. MySQL would
     * rebuild the table for a DROP COLUMN in an ALTER that is not INSTANT, and a DROP or RENAME
     * INDEX is not INSTANT there: three ALTERs, the indexes' INPLACE (metadata only) and the columns' INSTANT.
     */
    List<String> swapAlters(String table, List<String> dropIndexes, List<String> columns, List<String> renameIndexes);

    /**
     * A replica's delay from its SHOW REPLICA STATUS row (then {@code wasNull()} tells whether
     * replication runs): MariaDB names it Seconds_Behind_Master, MySQL 8.0.22+ Seconds_Behind_Source.
     */
    static long secondsBehind(java.sql.ResultSet rs) throws SQLException {
        java.sql.ResultSetMetaData meta = rs.getMetaData();
        for (int i = 1; i <= meta.getColumnCount(); i++) {
            if (meta.getColumnLabel(i).equalsIgnoreCase("Seconds_Behind_Source")) {
                return rs.getLong(i);
            }
        }
        return rs.getLong("Seconds_Behind_Master");
    }

    /** A column's DEFAULT clause restated from information_schema.COLUMNS alias {@code c} ('' for none), as the column has it. */
    String defaultClause(String c);

    /** A column's COLLATE clause restated from information_schema.COLUMNS alias {@code c} ('' for none). */
    String collateClause(String c);

    /** Runs one statement of a step: MariaDB's SQL as it is, or as MySQL must be told it. */
    void execute(Connection c, String statement, MySqlStatements.Runner runner) throws SQLException;

    /** MariaDB 10.11 and later: the family's SQL as written. */
    final class MariaDb implements MySqlFamily {
        private MariaDb() {}

        @Override
        public String product() {
            return "MariaDB";
        }

        @Override
        public String isolationVariable() {
            return "tx_isolation";
        }

        @Override
        public String statementTimeVariable() {
            return "max_statement_time";
        }

        @Override
        public String statementTime(double seconds) {
            return String.format(Locale.ROOT, "%.3f", seconds);
        }

        @Override
        public String isGenerated(String c) {
            return c + ".IS_GENERATED";
        }

        @Override
        public String columnDefault(String c) {
            return c + ".COLUMN_DEFAULT";
        }

        @Override
        public String checkConstraints() {
            return "SELECT TABLE_NAME, CONSTRAINT_NAME, CHECK_CLAUSE FROM information_schema.CHECK_CONSTRAINTS"
                    + " WHERE CONSTRAINT_SCHEMA = ? ORDER BY TABLE_NAME, CONSTRAINT_NAME";
        }

        @Override
        public String stored() {
            return "PERSISTENT";
        }

        @Override
        public String boundedCheck(String query) {
            return "SET STATEMENT max_statement_time = 5, lock_wait_timeout = 1 FOR " + query;
        }

        /**
         * MariaDB's CAST knows a handful of types only, so the type is given to a variable declared
         * in a block that does nothing else: the parser resolves the name and refuses column
         * attributes (UNIQUE, NOT NULL) as a syntax error. Nothing is created.
         */
        @Override
        public String typeCheck(String type) {
            return "BEGIN NOT ATOMIC DECLARE bascule_type_check " + type + " DEFAULT NULL; END";
        }

        @Override
        public String schemaMarker(String s) {
            return s + ".SCHEMA_COMMENT";
        }

        @Override
        public List<String> createMarkedDatabase(String quotedDatabase, String markerLiteral) {
            return List.of("CREATE DATABASE IF NOT EXISTS " + quotedDatabase + " COMMENT " + markerLiteral);
        }

        @Override
        public String lockWaits(boolean locked) {
            return "information_schema.INNODB_LOCK_WAITS w"
                    + " JOIN information_schema.INNODB_TRX r ON r.trx_id = w.requesting_trx_id"
                    + " JOIN information_schema.INNODB_TRX b ON b.trx_id = w.blocking_trx_id"
                    + (locked ? " JOIN information_schema.INNODB_LOCKS l ON l.lock_id = w.requested_lock_id" : "");
        }

        @Override
        public String lockedTable() {
            return "l.lock_table";
        }

        @Override
        public String lockMode() {
            return "l.lock_mode";
        }

        @Override
        public String lockWaitLook() {
            return "SELECT QUERY_ID, STATE LIKE 'Waiting for % lock' FROM information_schema.PROCESSLIST WHERE ID = ?";
        }

        /** KILL QUERY ID cannot touch a later statement of the session. */
        @Override
        public String killQuery(long lookedUpId) {
            return "KILL QUERY ID " + lookedUpId;
        }

        @Override
        public String defaultClause(String c) {
            return "IF(" + c + ".COLUMN_DEFAULT IS NULL, '', CONCAT(' DEFAULT (', " + c + ".COLUMN_DEFAULT, ')'))";
        }

        @Override
        public String collateClause(String c) {
            return "IF(" + c + ".COLLATION_NAME IS NULL, '', CONCAT(' COLLATE ', " + c + ".COLLATION_NAME))";
        }

        @Override
        public String dropForeignKeyAlgorithm() {
            return "ALGORITHM=INSTANT";
        }

        @Override
        public List<String> swapAlters(String table, List<String> dropIndexes, List<String> columns, List<String> renameIndexes) {
            List<String> all = new java.util.ArrayList<>(dropIndexes);
            all.addAll(columns);
            all.addAll(renameIndexes);
            return List.of("ALTER TABLE " + table + " " + String.join(", ", all) + ", ALGORITHM=NOCOPY, LOCK=NONE");
        }

        @Override
        public String indexUseCounted() {
            return "SELECT @@GLOBAL.userstat";
        }

        @Override
        public String indexUseNotCounted() {
            return "userstat is OFF, so MariaDB does not count index use (SET GLOBAL userstat = ON before start,"
                    + " and keep it on until complete)";
        }

        @Override
        public String indexReads(String marks) {
            return "SELECT INDEX_NAME, SUM(ROWS_READ) FROM information_schema.INDEX_STATISTICS"
                    + " WHERE TABLE_SCHEMA = ? AND INDEX_NAME IN (" + marks + ") GROUP BY INDEX_NAME ORDER BY 1";
        }

        @Override
        public void execute(Connection c, String statement, MySqlStatements.Runner runner) throws SQLException {
            runner.run(c, statement);
        }
    }

    /** MySQL 8.0.29 and later (instant ADD, DROP and RENAME COLUMN). */
    final class MySql implements MySqlFamily {
        private static final Pattern SELECT = Pattern.compile("(?i)\\bSELECT\\b");

        private MySql() {}

        @Override
        public String product() {
            return "MySQL";
        }

        @Override
        public String isolationVariable() {
            return "transaction_isolation";
        }

        @Override
        public String statementTimeVariable() {
            return "max_execution_time";
        }

        @Override
        public String statementTime(double seconds) {
            return String.valueOf(Math.round(seconds * 1000));
        }

        @Override
        public String isGenerated(String c) {
            return "IF(" + c + ".GENERATION_EXPRESSION <> '', 'ALWAYS', 'NEVER')";
        }

        /** QUOTE of the bare value: '5' for an int column converts as 5 would; an expression as MySQL printed it. */
        @Override
        public String columnDefault(String c) {
            // an expression's string literals are kept with their quotes backslashed there: _utf8mb4\'a\'
            return "IF(" + c + ".EXTRA LIKE '%DEFAULT_GENERATED%', REPLACE(" + c + ".COLUMN_DEFAULT, '\\\\\\'', ''''), QUOTE("
                    + c + ".COLUMN_DEFAULT))";
        }

        @Override
        public String checkConstraints() {
            return "SELECT t.TABLE_NAME, k.CONSTRAINT_NAME, k.CHECK_CLAUSE FROM information_schema.CHECK_CONSTRAINTS k"
                    + " JOIN information_schema.TABLE_CONSTRAINTS t ON t.CONSTRAINT_SCHEMA = k.CONSTRAINT_SCHEMA"
                    + " AND t.CONSTRAINT_NAME = k.CONSTRAINT_NAME AND t.CONSTRAINT_TYPE = 'CHECK'"
                    + " WHERE k.CONSTRAINT_SCHEMA = ? ORDER BY 1, 2";
        }

        @Override
        public String stored() {
            return "STORED";
        }

        /** Optimizer hints, which bind to the first SELECT of the statement only: MySQL has no SET STATEMENT .. FOR. */
        @Override
        public String boundedCheck(String query) {
            Matcher m = SELECT.matcher(query);
            if (!m.find()) {
                return query;
            }
            return query.substring(0, m.end()) + " /*+ MAX_EXECUTION_TIME(5000) SET_VAR(lock_wait_timeout = 1) */"
                    + query.substring(m.end());
        }

        /**
         * A JSON_TABLE column takes a data type and nothing else (UNIQUE or NOT NULL there is a
         * syntax error), and the query is only prepared: MySQL's CAST knows a handful of types only.
         */
        @Override
        public String typeCheck(String type) {
            return "SELECT * FROM JSON_TABLE('[]', '$[*]' COLUMNS (bascule_type_check " + type + " PATH '$')) AS bascule_types";
        }

        /** MySQL keeps no comment on a database: the owner's marker is the comment of a procedure in it that does nothing. */
        @Override
        public String schemaMarker(String s) {
            return "(SELECT COALESCE(MAX(r.ROUTINE_COMMENT), '') FROM information_schema.ROUTINES r WHERE r.ROUTINE_SCHEMA = "
                    + s + ".SCHEMA_NAME AND r.ROUTINE_NAME = '" + OWNER_ROUTINE + "')";
        }

        @Override
        public List<String> createMarkedDatabase(String quotedDatabase, String markerLiteral) {
            return List.of("CREATE DATABASE IF NOT EXISTS " + quotedDatabase,
                    "DROP PROCEDURE IF EXISTS " + quotedDatabase + ".`" + OWNER_ROUTINE + "`",
                    "CREATE PROCEDURE " + quotedDatabase + ".`" + OWNER_ROUTINE + "`() COMMENT " + markerLiteral + " BEGIN END");
        }

        @Override
        public String lockWaits(boolean locked) {
            return "performance_schema.data_lock_waits w"
                    + " JOIN information_schema.INNODB_TRX r ON r.trx_id = w.REQUESTING_ENGINE_TRANSACTION_ID"
                    + " JOIN information_schema.INNODB_TRX b ON b.trx_id = w.BLOCKING_ENGINE_TRANSACTION_ID"
                    + (locked ? " JOIN performance_schema.data_locks l ON l.ENGINE_LOCK_ID = w.REQUESTING_ENGINE_LOCK_ID" : "");
        }

        @Override
        public String lockedTable() {
            return "CONCAT('`', l.OBJECT_SCHEMA, '`.`', l.OBJECT_NAME, '`')";
        }

        @Override
        public String lockMode() {
            return "l.LOCK_MODE";
        }

        /** The session id: MySQL's processlist has no query id. */
        @Override
        public String lockWaitLook() {
            return "SELECT ID, STATE LIKE 'Waiting for % lock' FROM information_schema.PROCESSLIST WHERE ID = ?";
        }

        /**
         * KILL QUERY of the session: should the wait end between the look and the kill, the
         * session's next statement may be the one ended, which fails as a lock timeout and is retried.
         */
        @Override
        public String killQuery(long lookedUpId) {
            return "KILL QUERY " + lookedUpId;
        }

        /**
         * A literal default stays a literal (DEFAULT (x) would be an expression default, which
         * SHOW CREATE TABLE and ADD COLUMN's INSTANT tell apart), CURRENT_TIMESTAMP stays bare.
         */
        @Override
        public String defaultClause(String c) {
            return "IF(" + c + ".COLUMN_DEFAULT IS NULL, '', IF(" + c + ".EXTRA LIKE '%DEFAULT_GENERATED%', IF(" + c
                    + ".COLUMN_DEFAULT REGEXP '^CURRENT_TIMESTAMP(\\\\([0-6]\\\\))?$', CONCAT(' DEFAULT ', " + c + ".COLUMN_DEFAULT),"
                    + " CONCAT(' DEFAULT (', " + columnDefault(c) + ", ')')), CONCAT(' DEFAULT ', QUOTE(" + c + ".COLUMN_DEFAULT))))";
        }

        /** None when it is the table's: naming it would make SHOW CREATE TABLE name the character set too. */
        @Override
        public String collateClause(String c) {
            return "IF(" + c + ".COLLATION_NAME IS NULL OR " + c + ".COLLATION_NAME = (SELECT bascule_t.TABLE_COLLATION"
                    + " FROM information_schema.TABLES bascule_t WHERE bascule_t.TABLE_SCHEMA = " + c + ".TABLE_SCHEMA"
                    + " AND bascule_t.TABLE_NAME = " + c + ".TABLE_NAME), '', CONCAT(' COLLATE ', " + c + ".COLLATION_NAME))";
        }

        @Override
        public String dropForeignKeyAlgorithm() {
            return "ALGORITHM=INPLACE, LOCK=NONE";
        }

        @Override
        public List<String> swapAlters(String table, List<String> dropIndexes, List<String> columns, List<String> renameIndexes) {
            List<String> alters = new java.util.ArrayList<>();
            if (!dropIndexes.isEmpty()) {
                alters.add("ALTER TABLE " + table + " " + String.join(", ", dropIndexes) + ", ALGORITHM=INPLACE, LOCK=NONE");
            }
            if (!columns.isEmpty()) {
                alters.add("ALTER TABLE " + table + " " + String.join(", ", columns) + ", ALGORITHM=INSTANT");
            }
            if (!renameIndexes.isEmpty()) {
                alters.add("ALTER TABLE " + table + " " + String.join(", ", renameIndexes) + ", ALGORITHM=INPLACE, LOCK=NONE");
            }
            return alters;
        }

        @Override
        public String indexUseCounted() {
            return "SELECT @@GLOBAL.performance_schema";
        }

        @Override
        public String indexUseNotCounted() {
            return "performance_schema is OFF, so MySQL does not count index use (start the server with performance_schema=ON)";
        }

        /** Reads (fetches) through each index, from performance_schema's table I/O summary. */
        @Override
        public String indexReads(String marks) {
            return "SELECT INDEX_NAME, SUM(COUNT_FETCH) FROM performance_schema.table_io_waits_summary_by_index_usage"
                    + " WHERE OBJECT_SCHEMA = ? AND INDEX_NAME IN (" + marks + ") GROUP BY INDEX_NAME ORDER BY 1";
        }

        @Override
        public void execute(Connection c, String statement, MySqlStatements.Runner runner) throws SQLException {
            MySqlStatements.execute(c, statement, runner);
        }
    }
}
