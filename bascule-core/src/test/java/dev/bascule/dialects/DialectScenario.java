package dev.bascule.dialects;

import dev.bascule.Bascule;
import dev.bascule.api.Migration;
import dev.bascule.model.MigrationReader;
import dev.bascule.testing.TestDb;

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
 * One migration run on a fresh database of the given dialect: start, checks through the old and
 * the new version, complete, checks of the final shape; or start, checks, rollback, which must
 * give back catalog and data as they were. The SQL of the checks is written to run on every
 * dialect.
 */
final class DialectScenario {
    static final String MIGRATION = "0001_change";

    interface Check {
        void run(Versions v) throws Exception;
    }

    /** Statements and queries through the old version (the base schema) and the new one. */
    record Versions(TestDb db, String newVersion) {
        void old(String... sql) throws SQLException {
            exec(db.name(), sql);
        }

        void neu(String... sql) throws SQLException {
            exec(newVersion, sql);
        }

        String oldValue(String query) throws SQLException {
            return value(db.name(), query);
        }

        String newValue(String query) throws SQLException {
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

    private final Supplier<TestDb> dialect;
    private final String yaml;
    private final String[] setup;

    DialectScenario(Supplier<TestDb> dialect, String yaml, String... setup) {
        this.dialect = dialect;
        this.yaml = yaml;
        this.setup = setup;
    }

    static Migration migration(String yaml) {
        return MigrationReader.read(MIGRATION + ".yaml", yaml.getBytes(StandardCharsets.UTF_8));
    }

    /** start, {@code during}, complete, {@code after}. */
    void completes(Check during, Check after) throws Exception {
        try (TestDb db = dialect.get()) {
            db.exec(setup);
            Bascule b = db.bascule().load();
            b.start(migration(yaml));
            String version = db.name() + "_" + MIGRATION;
            assertThat(b.latest()).isEqualTo(version);
            during.run(new Versions(db, version));
            b.complete(Set.of());
            after.run(new Versions(db, version));
            // the previous version is gone, the new one stays for new code
            assertThat(db.versions()).containsExactly(version);
        }
    }

    /** start, {@code during}, rollback: catalog and data as before start, no version left. */
    void rollsBack(Check during) throws Exception {
        try (TestDb db = dialect.get()) {
            db.exec(setup);
            List<String> before = db.snapshot();
            Bascule b = db.bascule().load();
            b.start(migration(yaml));
            during.run(new Versions(db, db.name() + "_" + MIGRATION));
            b.rollback();
            assertThat(db.snapshot()).containsExactlyElementsOf(before);
            assertThat(db.versions()).isEmpty();
            assertThat(b.latest()).isEqualTo(db.name());
        }
    }
}
