package dev.bascule.dialect.mysql;

import dev.bascule.dialect.Capabilities;
import dev.bascule.dialect.CatalogReader;
import dev.bascule.dialect.Checks;
import dev.bascule.dialect.ConstraintDdl;
import dev.bascule.dialect.CopySql;
import dev.bascule.dialect.Dialect;
import dev.bascule.dialect.Health;
import dev.bascule.dialect.Locks;
import dev.bascule.dialect.OperatorSignals;
import dev.bascule.dialect.RehearsalCatalog;
import dev.bascule.dialect.SequenceDdl;
import dev.bascule.dialect.Sessions;
import dev.bascule.dialect.ShadowTables;
import dev.bascule.dialect.SyncTriggers;
import dev.bascule.dialect.TableDdl;
import dev.bascule.dialect.VersionViews;
import dev.bascule.dialect.StateSql;

import java.util.Optional;
import java.util.Set;

/**
 * MariaDB 10.11 (and, where the two differ, MySQL 8's rules, as docs/guides/mariadb.md lists). The base
 * "schema" is a database; versions are databases of views; sync triggers are one BEFORE INSERT and
 * one BEFORE UPDATE trigger per table. The SQL of each role is in the {@code MySql*} classes of this
 * package, which a MySQL 8 dialect would share, overriding only where the servers differ.
 *
 * <p>Every ALTER names its algorithm ({@code ALGORITHM=INSTANT}, else {@code ALGORITHM=INPLACE,
 * LOCK=NONE}), so a change the server could only make by copying the table under a lock is
 * refused by the server instead of silently done. What has no safe form here (CHECK
 * constraints, raw SQL) is refused at plan time, from what {@link #capabilities} says it lacks.
 */
public final class MariaDbDialect implements Dialect {

    /** The session variable new code sets to the version database it speaks (see docs/guides/mariadb.md). */
    public static final String VERSION_VARIABLE = MySqlRole.VERSION_VARIABLE;

    /** ER_LOCK_WAIT_TIMEOUT: a metadata or row lock was not granted within lock_wait_timeout / innodb_lock_wait_timeout. */
    static final int LOCK_WAIT_TIMEOUT = MySqlRole.LOCK_WAIT_TIMEOUT;

    private static final Capabilities CAPABILITIES = capabilities("MariaDB",
            "ADD CONSTRAINT .. CHECK needs ALGORITHM=COPY on 10.11 (INPLACE and INSTANT are refused with"
                    + " error 1845, also with check_constraint_checks=0)");

    /** MySQL 8.0.31 as well: checked on the server (MySqlDdlFactsOnMySql8Test), the same answers. */
    private static final Capabilities MYSQL_CAPABILITIES = capabilities("MySQL",
            "ADD CONSTRAINT .. CHECK needs ALGORITHM=COPY on MySQL 8.0 (INPLACE and INSTANT are refused with error 1845;"
                    + " only a NOT ENFORCED one is added INSTANT, and enforcing it later copies the table too)");

    private static Capabilities capabilities(String server, String checkNeedsCopy) {
        return new Capabilities(server, false, false, Optional.of(checkNeedsCopy),
            false, // a view names its table and columns; RENAME leaves it pointing at nothing
            false,
            // the other gates read PostgreSQL's statistics and catalogs; these read the state, the rows, the indexes
            Optional.of(Set.of("backfill_finished", "verified", "index_unused")),
            false,
            false, // split points come from PostgreSQL's TABLESAMPLE and percentile_disc
            1017, // InnoDB's limit (errno 185, "Too many columns"), under the server's own 4096
            true, // a DEFAULT (expression) may read the columns of its row
            true, true, false, Optional.of("btree"), false, true, false,
            false, // no replica identity: row-based binary logging carries the whole old row
            false, // every primary key is named PRIMARY, whatever CONSTRAINT name precedes it
            false, // InnoDB parses MATCH FULL and ignores it: a key half NULL would pass unchecked
            false, // InnoDB parses ON DELETE/UPDATE SET DEFAULT and keeps no action (SHOW CREATE TABLE shows none)
            false, // no INCLUDE, operator classes or index storage parameters
            true, // VIRTUAL and PERSISTENT generated columns
            false, // a generated column takes no NULL / NOT NULL (error 1064)
            false, // a PERSISTENT column is added only by copying the table (ALGORITHM=COPY, error 1845 for INPLACE)
            true); // a VIRTUAL one is added INVISIBLE with ALGORITHM=INSTANT, and shown as any other
    }

    private final MySqlFamily family;
    private final Sessions session = new MySqlSessions(this);
    private final CatalogReader catalog = new MySqlCatalog(this);
    private final TableDdl tables = new MySqlTables(this);
    private final ConstraintDdl constraints = new MySqlConstraints(this);
    private final ShadowTables shadows = new MySqlShadowTables(this);
    private final VersionViews views = new MySqlViews(this);
    private final SyncTriggers triggers = new MySqlTriggers(this);
    private final CopySql copy = new MySqlCopy(this);
    private final Checks checks = new MySqlChecks(this);
    private final Health health = new MySqlHealth(this);
    private final OperatorSignals signals = new MySqlSignals(this);
    private final Locks locks = new MySqlLocks(this);

    /** MariaDB's: the family's SQL as written. */
    public MariaDbDialect() {
        this(MySqlFamily.MARIADB);
    }

    /** The family's dialect on {@code family}'s server: MariaDB, or MySQL with its own SQL where the two differ. */
    public MariaDbDialect(MySqlFamily family) {
        this.family = family;
    }

    /** The server of the family this dialect speaks to. */
    public MySqlFamily family() {
        return family;
    }

    @Override
    public String name() {
        return "mariadb";
    }

    /** Backticks, doubled inside: MariaDB's and MySQL's quoting whatever sql_mode says (ANSI_QUOTES or not). */
    static String quoteName(String identifier) {
        return MySqlRole.quoteName(identifier);
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

    @Override
    public Capabilities capabilities() {
        return family == MySqlFamily.MYSQL ? MYSQL_CAPABILITIES : CAPABILITIES;
    }

    @Override
    public Sessions session() {
        return session;
    }

    @Override
    public CatalogReader catalog() {
        return catalog;
    }

    @Override
    public TableDdl tables() {
        return tables;
    }

    @Override
    public ConstraintDdl constraints() {
        return constraints;
    }

    /** None: AUTO_INCREMENT belongs to the table, and alter_column of an identity column is refused. */
    @Override
    public Optional<SequenceDdl> sequences() {
        return Optional.empty();
    }

    @Override
    public Optional<ShadowTables> shadows() {
        return Optional.of(shadows);
    }

    @Override
    public VersionViews views() {
        return views;
    }

    @Override
    public SyncTriggers triggers() {
        return triggers;
    }

    @Override
    public CopySql copy() {
        return copy;
    }

    @Override
    public Checks checks() {
        return checks;
    }

    @Override
    public Health health() {
        return health;
    }

    @Override
    public OperatorSignals signals() {
        return signals;
    }

    /** None: rehearse's scratch copies read PostgreSQL's catalog; a migration is rehearsed on a staging copy here. */
    @Override
    public Optional<RehearsalCatalog> rehearsal() {
        return Optional.empty();
    }

    @Override
    public Locks locks() {
        return locks;
    }

    @Override
    public StateSql stateSql() {
        return new MariaDbStateSql();
    }
}
