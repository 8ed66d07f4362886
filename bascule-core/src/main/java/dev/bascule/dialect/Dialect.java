package dev.bascule.dialect;

import java.util.Optional;

/**
 * A database server as Bascule works with it: its name and how it quotes, what it can do
 * ({@link #capabilities}), and the SQL of each role, from the small interfaces its accessors return.
 * The planner composes their primitives; it never writes SQL itself, and every identifier it
 * passes in is quoted by the dialect.
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

    /** What this server can do safely; planning refuses what it cannot. */
    Capabilities capabilities();

    /** Session set-up, the lock that keeps Bascule's commands apart, timeouts. */
    Sessions session();

    /** The catalog and the server's rules for names. */
    CatalogReader catalog();

    /** Schemas, tables and columns. */
    TableDdl tables();

    /** Constraints and indexes. */
    ConstraintDdl constraints();

    /** Sequences apart from tables (identity columns); empty where the server keeps the counter in the table. */
    Optional<SequenceDdl> sequences();

    /** alter_column by shadow columns and tables where DDL is not transactional; empty where it is. */
    Optional<ShadowTables> shadows();

    /** Version schemas and their views. */
    VersionViews views();

    /** The triggers that keep both versions' columns and tables in step. */
    SyncTriggers triggers();

    /** The backfill's statements. */
    CopySql copy();

    /** Guards and checks: queries that change nothing. */
    Checks checks();

    /** Throttling signals, probes, preflight checks, statistics the gates read. */
    Health health();

    /** What an operator watches. */
    OperatorSignals signals();

    /** What rehearse reads from the real database; empty where rehearse cannot copy tables (it reads PostgreSQL's catalog). */
    Optional<RehearsalCatalog> rehearsal();

    /** What each kind of statement locks, as plan prints it. */
    Locks locks();

    /** The state tables' SQL on this server. */
    StateSql stateSql();

    /**
     * The start of every statement Bascule runs on the application's rows (backfill, verifier, plan
     * checks), so that the gates reading the server's statement statistics can leave them out.
     */
    String OWN_STATEMENT = "/* bascule */ ";
}
