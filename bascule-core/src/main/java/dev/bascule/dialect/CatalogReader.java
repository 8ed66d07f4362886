package dev.bascule.dialect;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Reads what is in the server: the catalog of a schema, table estimates, index validity, comments and Bascule's own objects, and the server's rules for names. */
public interface CatalogReader {

    Catalog readCatalog(Connection connection, String schema) throws SQLException;

    /**
     * Whether two identifiers name the same column as the server matches them: exactly here
     * (PostgreSQL folds only unquoted names, and Bascule quotes every one); MariaDB's column
     * names are case-insensitive.
     */
    boolean sameColumnName(String a, String b);

    /**
     * The planner's estimate of a table's size, from the statistics (no row is counted, so it is
     * cheap on any table), or empty when {@code schema.table} is not a table.
     */
    Optional<TableEstimate> estimateTable(Connection connection, String schema, String table) throws SQLException;

    /**
     * @param rows  estimated rows, or null when the table was never analyzed nor vacuumed
     * @param bytes the table's size on disk with its indexes and TOAST data
     */
    record TableEstimate(String schema, String table, Long rows, long bytes) {}

    boolean schemaExists(Connection c, String schema) throws SQLException;

    /**
     * How many columns {@code query} returns, as the server's parser and planner describe it without
     * running it: a server-side prepare (MariaDB Connector/J's {@code getMetaData} sends
     * COM_STMT_PREPARE, which takes exactly one statement and executes nothing). Fails as the server
     * does when the query does not compile.
     */
    default int describedColumns(Connection c, String query) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(query)) {
            ResultSetMetaData md = ps.getMetaData();
            return md == null ? 0 : md.getColumnCount();
        }
    }

    /**
     * Of the functions named {@code names} (lower case, without schema), those the server marks as
     * volatile (any overload); none where the server does not say (MariaDB: Bascule's own list serves).
     */
    default Set<String> volatileFunctions(Connection c, Collection<String> names) throws SQLException {
        return Set.of();
    }

    /** Whether index {@code index} of {@code table} is valid, invalid (an interrupted build: false), or absent (null). */
    Boolean indexValid(Connection c, String schema, String table, String index) throws SQLException;

    /** The statistics' row count of a table, or -1 when they have none. */
    long statisticsRows(Connection c, String schema, String table) throws SQLException;

    /**
     * Whether {@code expression} may read {@code column}, by this server's rules for names (a
     * false yes costs only work; a false no loses writes).
     */
    boolean mayRead(String expression, String column);

    /** An index element (a column or an expression, as {@link #readCatalog} gives it) with column {@code from} renamed. */
    String renameIndexElement(String element, String from, String to);

    /** The schemas (databases) whose name starts with {@code prefix}, with their comment ("" when none). */
    Map<String, String> schemaComments(Connection c, String prefix) throws SQLException;

    /**
     * The triggers of {@code schema}'s tables named like Bascule's ({@code _bascule...}), each with
     * the text its {@link OwnerMarker} is in (the trigger's body, or its function's).
     */
    List<NamedTrigger> basculeTriggers(Connection c, String schema) throws SQLException;

    /** @param definition where a trigger made by Bascule carries its {@link OwnerMarker} */
    record NamedTrigger(String table, String name, String definition) {}

    /** The functions of {@code schema} whose name ends with {@code nameSuffix}, with their source; none where triggers have no functions. */
    Map<String, String> functions(Connection c, String schema, String nameSuffix) throws SQLException;

    /** Tables and columns of {@code schema} whose name starts with {@code prefix}, with their comments. */
    List<CommentedObject> commentedObjects(Connection connection, String schema, String prefix) throws SQLException;

    /** @param column null for the table itself */
    record CommentedObject(String table, String column, String comment) {}

    /**
     * What keeps table {@code table} from being dropped cleanly: foreign keys of other tables (but
     * those of {@code droppedWithIt}, dropped first), views outside Bascule's version schemas
     * {@code versionSchema} and {@code previousViews}, functions recorded as using it; each as
     * "foreign key .. of ..", "view ..", "function ..", for the {@code no_references} gate.
     */
    List<String> tableUses(Connection c, String schema, String table, Collection<String> droppedWithIt,
                           String versionSchema, String previousViews) throws SQLException;

    /**
     * What keeps column {@code column} from being dropped cleanly: views outside Bascule's version
     * schemas, triggers, policies, other columns' expressions, and (unless {@code keysMoved}: the
     * swap of altered columns moves them) foreign keys referencing it.
     */
    List<String> columnUses(Connection c, String schema, String table, String column, String versionSchema,
                            String previousViews, boolean keysMoved) throws SQLException;
}
