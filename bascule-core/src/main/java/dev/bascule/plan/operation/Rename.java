package dev.bascule.plan.operation;

/** An index or constraint built under a temporary name ({@code from}) and given its own ({@code to}) by the swap. */
record Rename(String from, String to) {}
