package dev.bascule.dialect.postgresql;

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

/**
 * PostgreSQL 15 and later: version views use {@code security_invoker}, sync triggers {@code CREATE OR
 * REPLACE TRIGGER}. Each role's SQL is in its own class of this package.
 */
public final class PostgresDialect implements Dialect {

    /** Dollar-quote tag of generated function bodies; expressions containing it are refused at plan time. */
    public static final String BODY_TAG = "$bascule_fn$";

    /** DDL is transactional, constraints are added NOT VALID, views follow renames: nothing is refused for want of it. */
    private static final Capabilities CAPABILITIES = new Capabilities("PostgreSQL", true, true, Optional.empty(),
            true, true, Optional.empty(), true, true, 1600, false, false, false, true, Optional.empty(), true, false,
            true, true, true, // triggers may write their statement's table, replica identity, named primary key
            true, true, true, // MATCH FULL, SET DEFAULT, index options
            false, true, true, false); // generated columns: STORED only (PostgreSQL 15)

    private static final Locks LOCKS = new Locks.LockLabels("ACCESS EXCLUSIVE (brief, no scan)",
            "SHARE UPDATE EXCLUSIVE (online)", "SHARE UPDATE EXCLUSIVE (scan, reads and writes go on)",
            "ROW EXCLUSIVE (row locks, one batch at a time)", "SHARE ROW EXCLUSIVE (brief)",
            "ACCESS EXCLUSIVE (brief, no scan) (the validated check spares the scan)", "ACCESS EXCLUSIVE (brief)",
            "ACCESS EXCLUSIVE (brief, no rewrite)",
            // COMMENT ON locks the relation SHARE UPDATE EXCLUSIVE: reads and writes go on
            "SHARE UPDATE EXCLUSIVE (brief, catalog only)");

    private static final RehearsalCatalog REHEARSAL = new PostgresRehearsalCatalog();

    private final Sessions session = new PostgresSessions(this);
    private final CatalogReader catalog = new PostgresCatalog(this);
    private final TableDdl tables = new PostgresTables(this);
    private final ConstraintDdl constraints = new PostgresConstraints(this);
    private final SequenceDdl sequences = new PostgresSequences(this);
    private final VersionViews views = new PostgresViews(this);
    private final SyncTriggers triggers = new PostgresTriggers(this);
    private final CopySql copy = new PostgresCopy(this);
    private final Checks checks = new PostgresChecks(this);
    private final Health health = new PostgresHealth(this);
    private final OperatorSignals signals = new PostgresSignals(this);

    @Override
    public String name() { return "postgresql"; }

    @Override
    public String quote(String identifier) {
        return PostgresRole.quoteName(identifier);
    }

    @Override
    public String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }

    @Override
    public Capabilities capabilities() {
        return CAPABILITIES;
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

    @Override
    public Optional<SequenceDdl> sequences() {
        return Optional.of(sequences);
    }

    /** None: DDL is transactional, so alter_column swaps its columns in one transaction. */
    @Override
    public Optional<ShadowTables> shadows() {
        return Optional.empty();
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

    @Override
    public Optional<RehearsalCatalog> rehearsal() {
        return Optional.of(REHEARSAL);
    }

    @Override
    public Locks locks() {
        return LOCKS;
    }

    @Override
    public StateSql stateSql() {
        return new PostgresStateSql();
    }
}
