package dev.bascule.spring;

import dev.bascule.api.Identifiers;
import dev.bascule.api.InvalidMigrationException;

/** The statement that puts a connection on a version. */
final class VersionInitSql {
    private VersionInitSql() {}

    /**
     * PostgreSQL: the version first in {@code search_path}, the base schema after it (functions,
     * types, sequences). MariaDB: {@code @bascule_version} (the database is set as the connection's
     * catalog).
     */
    static String of(boolean mySql, String version, String schema) {
        for (String name : new String[] {version, schema}) {
            if (!Identifiers.isValid(name)) {
                throw new InvalidMigrationException("invalid schema name '" + name + "'");
            }
        }
        if (mySql) {
            return "SET @bascule_version = '" + version.replace("\\", "\\\\").replace("'", "''") + "'";
        }
        String path = version.equals(schema) ? quote(version) : quote(version) + ", " + quote(schema);
        return "SET search_path TO " + path;
    }

    private static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }
}
