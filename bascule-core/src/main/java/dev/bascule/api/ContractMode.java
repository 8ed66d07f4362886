package dev.bascule.api;

/**
 * What complete does with the tables and columns only old code used. Chosen when complete begins
 * and recorded with the migration: a rerun of an interrupted complete goes on the same way.
 */
public enum ContractMode {
    /** Drop them. */
    DROP,
    /**
     * Keep them under a marked name ({@code _bascule_deprecated_...}), recorded in a comment, until
     * {@code purge} drops them or {@code restore} gives them back their name.
     */
    DEPRECATE
}
