package dev.bascule.plan.operation;

/** A {@code down} expression, checked once every operation has shaped the new version it reads. */
record DownCheck(String path, TableShape table, String expression) {}
