package dev.bascule.api;

/** What baseline did. */
public enum BaselineOutcome { BASELINED, ALREADY_BASELINED }
