package dev.bascule.api;

/** What complete did. */
public enum CompleteOutcome { COMPLETED, NOTHING_TO_COMPLETE }
