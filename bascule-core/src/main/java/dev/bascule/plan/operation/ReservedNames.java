package dev.bascule.plan.operation;

import java.util.Locale;

/**
 * Bascule names its own objects with {@value #PREFIX}: shadow tables and columns
 * ({@code _bascule_new_*}), retired tables ({@code _bascule_old_*}), deprecated tables and columns,
 * triggers, and the {@code _bascule_reads} table of every version. A table, column, index or
 * constraint a migration names so could collide with one of them in the middle of start, or be
 * taken for one of them (and skipped, dropped) later; so no migration may create such a name.
 * Case is ignored: MariaDB compares column and index names without it.
 */
public final class ReservedNames {
    public static final String PREFIX = "_bascule";

    private ReservedNames() {}

    public static boolean reserved(String name) {
        return name.toLowerCase(Locale.ROOT).startsWith(PREFIX);
    }
}
