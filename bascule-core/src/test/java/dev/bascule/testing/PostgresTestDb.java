package dev.bascule.testing;

import dev.bascule.Bascule;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** {@link TestDb} on PostgreSQL: a {@link TestSchema}, new code putting the version schema first in its search_path. */
final class PostgresTestDb implements TestDb {
    private final TestSchema schema;

    PostgresTestDb(javax.sql.DataSource server) {
        this.schema = new TestSchema(server);
    }

    @Override
    public String dialect() {
        return "postgresql";
    }

    @Override
    public String name() {
        return schema.name();
    }

    @Override
    public String stateSchema() {
        return schema.stateSchema();
    }

    @Override
    public Bascule.Builder bascule() {
        return schema.bascule();
    }

    @Override
    public void exec(String... statements) {
        schema.exec(statements);
    }

    @Override
    public List<String> column(String query) {
        return schema.column(query);
    }

    @Override
    public Connection connect(String version) throws SQLException {
        return schema.connect(version.equals(schema.name()) ? version : version + ", " + schema.name());
    }

    @Override
    public List<String> snapshot() throws SQLException {
        List<String> lines = new ArrayList<>();
        try (Connection c = schema.dataSource().getConnection()) {
            lines.addAll(CatalogSnapshot.take(c, schema.name(), schema.stateSchema()));
        }
        return lines;
    }

    @Override
    public List<String> versions() {
        return schema.column("SELECT nspname FROM pg_namespace WHERE nspname LIKE '" + schema.name() + "\\_%' ORDER BY 1");
    }

    @Override
    public List<String> views(String version) {
        return schema.column("SELECT viewname FROM pg_views WHERE schemaname = '" + version.replace("'", "''") + "' ORDER BY 1");
    }

    @Override
    public void close() {
        schema.close();
    }
}
