package dev.bascule.engine;

import dev.bascule.Bascule;
import dev.bascule.api.Migration;
import dev.bascule.model.MigrationReader;
import dev.bascule.testing.CatalogSnapshot;
import dev.bascule.testing.TestSchema;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs one migration twice on a fresh schema each time: start, checks through both versions, then
 * complete and checks of the final shape; and start then rollback, which must restore catalog and data.
 */
final class Scenario {
    static final String MIGRATION = "0001_change";

    interface Check {
        void run(Versions v) throws Exception;
    }

    /** Connections speaking the old version (base schema) and the new one (version schema first). */
    record Versions(TestSchema schema, String oldPath, String newPath) {
        void old(String... sql) throws SQLException {
            exec(oldPath, sql);
        }

        void neu(String... sql) throws SQLException {
            exec(newPath, sql);
        }

        String oldValue(String query) throws SQLException {
            return value(oldPath, query);
        }

        String newValue(String query) throws SQLException {
            return value(newPath, query);
        }

        private void exec(String path, String... sql) throws SQLException {
            try (Connection c = schema.connect(path); Statement s = c.createStatement()) {
                for (String q : sql) s.execute(q);
            }
        }

        private String value(String path, String query) throws SQLException {
            try (Connection c = schema.connect(path); Statement s = c.createStatement();
                 var rs = s.executeQuery(query)) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    private final String[] setup;
    private final String yaml;

    Scenario(String yaml, String... setup) {
        this.yaml = yaml;
        this.setup = setup;
    }

    static Migration migration(String yaml) {
        return MigrationReader.read(MIGRATION + ".yaml", yaml.getBytes(StandardCharsets.UTF_8));
    }

    /** start, {@code during}, complete, {@code after}. */
    void completes(Check during, Check after) throws Exception {
        try (TestSchema s = new TestSchema()) {
            s.exec(setup);
            Bascule b = s.bascule().load();
            b.start(migration(yaml));
            String version = s.name() + "_" + MIGRATION;
            assertThat(b.latest()).isEqualTo(version);
            Versions v = new Versions(s, s.name(), version + ", " + s.name());
            during.run(v);
            b.complete(Set.of());
            after.run(new Versions(s, s.name(), version + ", " + s.name()));
            // the new version's views survive the contract
            assertThat(s.value("SELECT count(*) FROM pg_views WHERE schemaname = '" + version + "'")).isNotEqualTo("0");
        }
    }

    /** start, {@code during} (reads only), rollback: catalog and data as before start. */
    void rollsBack(Check during) throws Exception {
        try (TestSchema s = new TestSchema()) {
            s.exec(setup);
            List<String> before = snapshot(s);
            Bascule b = s.bascule().load();
            b.start(migration(yaml));
            during.run(new Versions(s, s.name(), s.name() + "_" + MIGRATION + ", " + s.name()));
            b.rollback();
            assertThat(snapshot(s)).containsExactlyElementsOf(before);
            assertThat(b.latest()).isEqualTo(s.name());
        }
    }

    static List<String> snapshot(TestSchema s) throws SQLException {
        try (Connection c = s.dataSource().getConnection()) {
            return CatalogSnapshot.take(c, s.name(), s.stateSchema());
        }
    }
}
