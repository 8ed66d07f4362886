package dev.bascule.plan.operation;

import java.util.Map;

/**
 * A contract step's renames of table {@code table} (physical, as at start): columns by physical
 * name, and the table's new name or null.
 */
record Renaming(String table, Map<String, String> columns, String tableTo) {}
