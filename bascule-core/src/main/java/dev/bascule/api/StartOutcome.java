package dev.bascule.api;

/** What start did. */
public enum StartOutcome { STARTED, EXPANDED, ALREADY_STARTED, ALREADY_COMPLETED }
