package dev.bascule.dialect.postgresql;

import dev.bascule.dialect.OwnerMarker;
import dev.bascule.dialect.VersionViews;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;

/** PostgreSQL's version schemas: views with {@code security_invoker}, guarded against foreign objects. */
final class PostgresViews extends PostgresRole implements VersionViews {

    PostgresViews(PostgresDialect dialect) {
        super(dialect);
    }

    @Override
    public List<String> replaceVersionSchema(String versionSchema, OwnerMarker marker, Collection<String> views) {
        List<String> statements = new ArrayList<>(dropVersionSchema(versionSchema, marker, views));
        statements.add(dialect.tables().createSchema(versionSchema));
        statements.add("COMMENT ON SCHEMA " + quote(versionSchema) + " IS " + literal(marker.text()));
        return statements;
    }

    /** Without CASCADE (RESTRICT): the server itself refuses to drop what anything else depends on. */
    @Override
    public List<String> dropVersionSchema(String versionSchema, OwnerMarker marker, Collection<String> views) {
        List<String> statements = new ArrayList<>();
        if (marker != null) {
            statements.add(requireOwnSchema(versionSchema, marker));
        }
        statements.add(versionSchemaGuard(versionSchema, views));
        if (!views.isEmpty()) {
            statements.add("DROP VIEW IF EXISTS " + views.stream().map(v -> qualify(versionSchema, v))
                    .collect(Collectors.joining(", ")));
        }
        statements.add("DROP TABLE IF EXISTS " + qualify(versionSchema, READ_MARKER));
        statements.add("DROP SCHEMA IF EXISTS " + quote(versionSchema));
        return statements;
    }

    /**
     * Every object of a schema depends on it in pg_depend (what DROP SCHEMA CASCADE would drop);
     * every object that would go with Bascule's views or read marker depends on them. Left out:
     * Bascule's own objects and their parts (a view's rewrite rule, the marker's constraints).
     */
    @Override
    public String versionSchemaGuard(String versionSchema, Collection<String> views) {
        String names = views.isEmpty() ? "ARRAY[]::text[]"
                : views.stream().map(this::literal).collect(Collectors.joining(", ", "ARRAY[", "]::text[]"));
        String own = "SELECT c.oid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = "
                + literal(versionSchema) + " AND ((c.relkind = 'v' AND c.relname::text = ANY (" + names + "))"
                + " OR (c.relkind = 'r' AND c.relname = " + literal(READ_MARKER) + "))";
        String inside = "SELECT pg_describe_object(d.classid, d.objid, d.objsubid) FROM pg_depend d"
                + " WHERE d.refclassid = 'pg_namespace'::regclass AND d.refobjid = (SELECT oid FROM pg_namespace WHERE nspname = "
                + literal(versionSchema) + ") AND d.deptype = 'n' AND NOT (d.classid = 'pg_class'::regclass AND d.objid IN (own))";
        String outside = "SELECT pg_describe_object(CASE WHEN r.oid IS NULL THEN d.classid ELSE 'pg_class'::regclass END,"
                + " coalesce(r.ev_class, d.objid), CASE WHEN r.oid IS NULL THEN d.objsubid ELSE 0 END) || ' (it depends on '"
                + " || pg_describe_object(d.refclassid, d.refobjid, 0) || ')' FROM pg_depend d"
                + " LEFT JOIN pg_rewrite r ON d.classid = 'pg_rewrite'::regclass AND r.oid = d.objid"
                + " LEFT JOIN pg_constraint k ON d.classid = 'pg_constraint'::regclass AND k.oid = d.objid"
                + " LEFT JOIN pg_attrdef a ON d.classid = 'pg_attrdef'::regclass AND a.oid = d.objid"
                + " WHERE d.refclassid = 'pg_class'::regclass AND d.refobjid IN (own) AND d.deptype IN ('n', 'a')"
                + " AND coalesce(r.ev_class, k.conrelid, a.adrelid, 0::oid) NOT IN (own)";
        return VERSION_SCHEMA_GUARD + "DO " + BODY_TAG + "DECLARE strangers text; path text := current_setting('search_path'); BEGIN"
                // pg_describe_object qualifies only names outside the search path
                + " PERFORM set_config('search_path', 'pg_catalog', true);"
                + " WITH own AS (" + own + ") SELECT string_agg(DISTINCT o, ', ') INTO strangers FROM ("
                + inside.replace("IN (own)", "IN (SELECT oid FROM own)") + " UNION ALL "
                + outside.replace("IN (own)", "IN (SELECT oid FROM own)") + ") AS found_objects(o);"
                + " PERFORM set_config('search_path', path, true);"
                + " IF strangers IS NOT NULL THEN RAISE EXCEPTION USING ERRCODE = '" + VERSION_SCHEMA_GUARD_STATE + "', MESSAGE = "
                + literal(OwnerMarker.foreignInVersion("schema", versionSchema)) + " || strangers; END IF; END" + BODY_TAG;
    }

    /** Fails, before anything is dropped, when {@code schema} exists without {@code marker}: Bascule did not make it. */
    private String requireOwnSchema(String schema, OwnerMarker marker) {
        return retagged("DO " + BODY_TAG + "BEGIN IF EXISTS (SELECT FROM pg_namespace WHERE nspname = " + literal(schema)
                + " AND coalesce(obj_description(oid, 'pg_namespace'), '') <> " + literal(marker.text()) + ") THEN"
                + " RAISE EXCEPTION USING ERRCODE = '42P06', MESSAGE = " + literal(OwnerMarker.notOurs("schema", schema))
                + "; END IF; END" + BODY_TAG);
    }

    @Override
    public String createVersionView(String versionSchema, String view, String schema, String table,
                                    List<ColumnMapping> columns) {
        String select = columns.stream()
                .map(c -> c.physical().equals(c.logical()) ? quote(c.physical()) : quote(c.physical()) + " AS " + quote(c.logical()))
                .collect(Collectors.joining(", "));
        // an uncorrelated EXISTS is an InitPlan: one scan of the one-row marker per query, and the
        // view stays automatically updatable and its quals still reach the table's indexes
        return "CREATE OR REPLACE VIEW " + qualify(versionSchema, view) + " WITH (security_invoker = true) AS SELECT "
                + select + " FROM " + qualify(schema, table) + " WHERE EXISTS (SELECT FROM " + qualify(versionSchema, READ_MARKER) + ")";
    }

    @Override
    public List<String> createReadMarker(String versionSchema) {
        String marker = qualify(versionSchema, READ_MARKER);
        return List.of("CREATE TABLE IF NOT EXISTS " + marker + " (read boolean PRIMARY KEY DEFAULT true CHECK (read))",
                "INSERT INTO " + marker + " DEFAULT VALUES ON CONFLICT DO NOTHING",
                "GRANT SELECT ON " + marker + " TO PUBLIC");
    }

    @Override
    public long versionReads(Connection c, String versionSchema) throws SQLException {
        try (java.sql.Statement s = c.createStatement()) {
            s.execute("SELECT pg_stat_clear_snapshot()"); // counts as they are now, not as this transaction first saw them
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT coalesce((SELECT seq_scan + coalesce(idx_scan, 0) FROM pg_stat_user_tables"
                + " WHERE relid = c.oid), 0) FROM pg_class c WHERE c.oid = to_regclass(?)")) {
            ps.setString(1, qualify(versionSchema, READ_MARKER));
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : -1;
            }
        }
    }
}
