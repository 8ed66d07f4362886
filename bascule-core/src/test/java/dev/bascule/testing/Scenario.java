package dev.bascule.testing;

import dev.bascule.Bascule;
import dev.bascule.api.Migration;
import dev.bascule.model.MigrationReader;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One migration run on a fresh database of a test's own on the given server: start, checks through
 * the old and the new version, complete, checks of the final shape; or start, checks, rollback,
 * which must give back catalog and data as they were. A test parameterised over
 * {@link Servers#SUITE} or {@link Servers#MATRIX} writes the SQL of its checks to run on every server.
 */
public final class Scenario {
    /** The name of the migration a scenario runs; its version is {@code <base>_0001_change}. */
    public static final String MIGRATION = "0001_change";

    public interface Check {
        void run(Versions v) throws Exception;
    }

    /** Statements and queries through the old version (the base schema unless named) and the new one. */
    public record Versions(TestDb db, String oldVersion, String newVersion) {
        public Versions(TestDb db, String newVersion) {
            this(db, db.name(), newVersion);
        }

        public void old(String... sql) throws SQLException {
            exec(oldVersion, sql);
        }

        public void neu(String... sql) throws SQLException {
            exec(newVersion, sql);
        }

        public String oldValue(String query) throws SQLException {
            return value(oldVersion, query);
        }

        public String newValue(String query) throws SQLException {
            return value(newVersion, query);
        }

        private void exec(String version, String... sql) throws SQLException {
            try (Connection c = db.connect(version)) {
                db.exec(c, sql);
            }
        }

        private String value(String version, String query) throws SQLException {
            try (Connection c = db.connect(version); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query)) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    private final Supplier<TestDb> server;
    private final String yaml;
    private final String[] setup;

    /**
     * @param server a {@link Server}, or any source of fresh databases
     * @param yaml   the migration
     * @param setup  statements run on the base schema first
     */
    public Scenario(Supplier<TestDb> server, String yaml, String... setup) {
        this.server = server;
        this.yaml = yaml;
        this.setup = setup;
    }

    /** {@code yaml} read as migration {@link #MIGRATION}. */
    public static Migration migration(String yaml) {
        return MigrationReader.read(MIGRATION + ".yaml", yaml.getBytes(StandardCharsets.UTF_8));
    }

    /** The version a migration run by a scenario makes on {@code db}. */
    public static String version(TestDb db) {
        return db.name() + "_" + MIGRATION;
    }

    /** Catalog and data of a {@link TestSchema} and its state schema, as text lines. */
    public static List<String> snapshot(TestSchema s) throws SQLException {
        try (Connection c = s.dataSource().getConnection()) {
            return CatalogSnapshot.take(c, s.name(), s.stateSchema());
        }
    }

    /** start, {@code during}, complete, {@code after}. */
    public void completes(Check during, Check after) throws Exception {
        try (TestDb db = server.get()) {
            db.exec(setup);
            Bascule b = db.bascule().load();
            b.start(migration(yaml));
            String version = version(db);
            assertThat(b.latest()).isEqualTo(version);
            during.run(new Versions(db, version));
            b.complete(Set.of());
            after.run(new Versions(db, version));
            // the previous version is gone, the new one stays for new code, its views with it
            assertThat(db.versions()).containsExactly(version);
            assertThat(db.views(version)).isNotEmpty();
        }
    }

    /** start, {@code during}, rollback: catalog and data as before start, no version left. */
    public void rollsBack(Check during) throws Exception {
        try (TestDb db = server.get()) {
            db.exec(setup);
            List<String> before = db.snapshot();
            Bascule b = db.bascule().load();
            b.start(migration(yaml));
            during.run(new Versions(db, version(db)));
            b.rollback();
            assertThat(db.snapshot()).containsExactlyElementsOf(before);
            assertThat(db.versions()).isEmpty();
            assertThat(b.latest()).isEqualTo(db.name());
        }
    }
}
