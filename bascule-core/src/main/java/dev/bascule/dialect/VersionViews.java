package dev.bascule.dialect;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;

/** Version schemas: the views through which each version of the application reads its tables, and their guard. */
public interface VersionViews {

    /** What {@link #swapColumns} holds, for the plan's output. */
    /**
     * The statements of a step that renames table {@code table} or its columns, made so that the
     * version's view {@code view}, which names them, is {@code createView} again with no moment in
     * between in which a query through it sees it name what is gone. Here (views that do not
     * follow renames are the only reason to call it) the view simply comes after the statements.
     */
    default List<String> holdingView(String schema, String table, List<String> statements, String versionSchema,
                                     String view, String createView) {
        List<String> all = new java.util.ArrayList<>(statements);
        all.add(createView);
        return all;
    }

    /**
     * Makes {@code versionSchema} anew, marked with {@code marker}. The first statements fail, before
     * anything is dropped, when a schema (database) of that name exists without that marker, or
     * holds anything but {@code views} and Bascule's helper objects ({@link #versionSchemaGuard}):
     * only what this migration made is dropped, and a start cut off midway finds its own marker again.
     */
    List<String> replaceVersionSchema(String versionSchema, OwnerMarker marker, Collection<String> views);

    /**
     * Drops {@code versionSchema}: its views named {@code views} and Bascule's helper objects one by
     * one, never with CASCADE, then the schema (database) only if it is empty. The first statements
     * fail, before anything is dropped, when it exists without {@code marker} (not checked when
     * null: a version made by an earlier release may carry none), or when {@link #versionSchemaGuard} fails.
     */
    List<String> dropVersionSchema(String versionSchema, OwnerMarker marker, Collection<String> views);

    /** How every {@link #versionSchemaGuard} statement begins: the commands run it again before they change anything. */
    String VERSION_SCHEMA_GUARD = "/* bascule: only its own objects */ ";

    /**
     * A statement, beginning with {@link #VERSION_SCHEMA_GUARD}, that changes nothing and fails with
     * SQLSTATE {@link #VERSION_SCHEMA_GUARD_STATE} naming each object when {@code versionSchema}
     * holds anything but its views named {@code views} and Bascule's helper objects, or when
     * anything outside it depends on those (a view elsewhere reading a version view).
     */
    String versionSchemaGuard(String versionSchema, Collection<String> views);

    /** The SQLSTATE a failed {@link #versionSchemaGuard} raises. */
    String VERSION_SCHEMA_GUARD_STATE = "2BP01";

    /**
     * The table of one row, {@value #READ_MARKER}, that every view of a version reads once per query
     * (a one-row scan the server's statistics count): how the {@code old_version_idle} gate
     * tells that old code still reads through a version.
     */
    String READ_MARKER = "_bascule_reads";

    /** Creates the version's {@link #READ_MARKER}, readable by every role that can read the views. */
    List<String> createReadMarker(String versionSchema);

    /** How many queries have read through the version's views since the server's statistics began, or -1 if it has no marker. */
    long versionReads(Connection c, String versionSchema) throws SQLException;

    /**
     * A view exposing {@code table} under {@code view}, column by column (physical AS logical), that
     * reads the version's {@link #READ_MARKER} once per query.
     */
    String createVersionView(String versionSchema, String view, String schema, String table,
                             List<ColumnMapping> columns);

    /** physical AS logical */
    record ColumnMapping(String physical, String logical) {}
}
