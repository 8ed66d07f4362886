package dev.bascule.plan;

/**
 * The order of the expand phase. Sync triggers go in before constraints so that a NOT VALID
 * check on a new column never rejects an old-version write; indexes are built after the backfill
 * so each is built once, over final values; views come last so new code sees filled rows only.
 */
public enum Stage {
    SCHEMA, TRIGGERS, CONSTRAINTS, BACKFILL, INDEXES, VIEWS
}
