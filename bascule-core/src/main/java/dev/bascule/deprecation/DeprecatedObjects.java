package dev.bascule.deprecation;

import dev.bascule.api.DeprecatedObject;
import dev.bascule.dialect.Dialect;
import dev.bascule.dialect.CatalogReader;
import dev.bascule.deprecation.DeprecatedName;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The deprecated tables and columns of a schema, read from the catalog: a name with Bascule's
 * prefix and a comment that is a complete marker. An object with only one of the two is not
 * Bascule's to drop or rename.
 */
public final class DeprecatedObjects {
    private DeprecatedObjects() {}

    public static List<DeprecatedObject> read(Connection c, Dialect dialect, String schema) throws SQLException {
        List<DeprecatedObject> out = new ArrayList<>();
        for (CatalogReader.CommentedObject o : dialect.catalog().commentedObjects(c, schema, DeprecatedName.PREFIX)) {
            String name = o.column() == null ? o.table() : o.column();
            DeprecationMarker.parse(schema, o.table(), name, o.comment())
                    .filter(d -> (d.kind() == DeprecatedObject.Kind.TABLE) == (o.column() == null))
                    .ifPresent(out::add);
        }
        return out;
    }
}
