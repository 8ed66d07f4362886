package dev.bascule.lint;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * What lint knows across the files of one run, linted in order (a migration folder is the schema's history):
 * the PostgreSQL version the migrations target, the column types the files declared, and the columns a
 * validated {@code CHECK (col IS NOT NULL)} proves. Tables created by an earlier file are not new: they may
 * hold rows by the time a later file runs, so only what a file declares is carried, never "created here".
 */
public final class LintSession {
    /** The oldest PostgreSQL major release still supported upstream, taken when the target is not known. */
    public static final int DEFAULT_POSTGRESQL_VERSION = 14;

    private final int postgresqlVersion;
    /** {@code table.column} (last name part, folded as PostgreSQL folds) to its declared type, as written. */
    final Map<String, String> columnTypes = new HashMap<>();
    /** NOT VALID {@code CHECK (col IS NOT NULL)} constraints by name, to {@code table.column}. */
    final Map<String, String> notNullChecks = new HashMap<>();
    /** {@code table.column} proven not null by a validated check: SET NOT NULL skips its scan (PostgreSQL 12+). */
    final Set<String> provenNotNull = new HashSet<>();

    /** @param postgresqlVersion the major version the migrations run on (11, 12, ... 17), 0 for the default */
    public LintSession(int postgresqlVersion) {
        if (postgresqlVersion != 0 && (postgresqlVersion < 9 || postgresqlVersion > 99)) {
            throw new IllegalArgumentException("PostgreSQL version " + postgresqlVersion + " is not one lint knows: give a major"
                    + " version such as 13, 15 or 17");
        }
        this.postgresqlVersion = postgresqlVersion == 0 ? DEFAULT_POSTGRESQL_VERSION : postgresqlVersion;
    }

    public LintSession() {
        this(0);
    }

    public int postgresqlVersion() {
        return postgresqlVersion;
    }

    /**
     * The major version in a {@code --target-version} value or a server's {@code server_version}: {@code 15},
     * {@code 15.4}, {@code 9.6}, {@code 16beta2}.
     */
    public static int parseVersion(String text) {
        String s = text.trim();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+)(?:\\.(\\d+))?.*").matcher(s);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a PostgreSQL version: '" + text + "' (give a major version such as 15)");
        }
        int major = Integer.parseInt(m.group(1));
        return major == 9 && m.group(2) != null ? 9 : major;
    }
}
