package dev.bascule.bench.traffic;

import dev.bascule.bench.traffic.RealClients.Group;
import dev.bascule.bench.traffic.RealClients.Profile;
import dev.bascule.dialect.mysql.MariaDbDialect;
import dev.bascule.testing.MariaDbServer;
import dev.bascule.testing.PostgresServer;
import dev.bascule.testing.TestDb;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static dev.bascule.bench.traffic.RealClients.CONNECTIONS;
import static dev.bascule.bench.traffic.RealClients.TABLE;
import static dev.bascule.bench.traffic.RealClients.withParameters;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The traffic harness's real-client profile ({@link RealClients}: pgjdbc with {@code prepareThreshold=1},
 * MariaDB Connector/J with {@code useServerPrepStmts=true}, {@code SELECT *} and inserts with generated
 * keys, through two consecutive migrations). Code on a version (the baseline's, then each
 * migration's) sees no error; code on the base tables sees what docs/reference/operations.md says. The
 * counts are printed for docs/BENCHMARKS.md.
 */
class RealClientsTest {
    private static final Duration PAUSE = Duration.ofMillis(400);

    @Test
    void postgresClientsOnAVersionSeeNoErrorAndOnTheBaseTablesOnlyWithoutAutosave() throws Exception {
        try (TestDb db = TestDb.postgres()) {
            db.exec(String.format(TABLE, "BIGSERIAL"), "INSERT INTO accounts (email) SELECT 'a' || g || '@x' FROM generate_series(1, 50) g");
            Map<String, Group> measured = run(db, RealClients.postgres(PostgresServer.jdbcUrl()),
                    List.of(Profile.TRANSACTIONS, Profile.TRANSACTIONS_AUTOSAVE, Profile.AUTOCOMMIT));
            Group base = measured.get("base tables, " + Profile.TRANSACTIONS);
            // a transaction's first statement fails once on each connection when start adds the column,
            // and once when complete renames it; the driver then prepares its statements again
            assertThat(base.errors).containsOnlyKeys("cached plan must not change result type");
            assertThat(base.failed.get()).isBetween((long) CONNECTIONS, CONNECTIONS * 2L * 2L);
            // autosave=conservative rolls back to a savepoint and runs the statement again; in
            // autocommit the driver runs it again by itself
            assertThat(measured.get("base tables, " + Profile.TRANSACTIONS_AUTOSAVE).failed.get()).isZero();
            assertThat(measured.get("base tables, " + Profile.AUTOCOMMIT).failed.get()).isZero();
        }
    }

    @Test
    void mariaDbClientsWithServerPreparedStatements() throws Exception {
        try (TestDb db = TestDb.mariadb()) {
            db.exec(String.format(TABLE, "BIGINT AUTO_INCREMENT"),
                    "INSERT INTO accounts (email) SELECT CONCAT('a', seq, '@x') FROM seq_1_to_50");
            Map<String, Group> measured = run(db, (version, profile) -> {
                Connection c = DriverManager.getConnection(withParameters(MariaDbServer.jdbcUrl(), "useServerPrepStmts=true"));
                try (Statement s = c.createStatement()) {
                    s.execute("SET SESSION sql_mode = 'STRICT_ALL_TABLES'");
                    s.execute("USE `" + version + "`");
                    if (!version.equals(db.name())) {
                        try (PreparedStatement ps = c.prepareStatement("SET " + MariaDbDialect.VERSION_VARIABLE + " = ?")) {
                            ps.setString(1, version);
                            ps.execute();
                        }
                    }
                }
                return c;
            }, List.of(Profile.TRANSACTIONS, Profile.AUTOCOMMIT));
            // MariaDB prepares a statement again when its table changed, and the column start adds is
            // invisible until complete: code on the base tables does not fail either
            assertThat(measured.get("base tables, " + Profile.TRANSACTIONS).failed.get()).isZero();
            assertThat(measured.get("base tables, " + Profile.AUTOCOMMIT).failed.get()).isZero();
        }
    }

    /** {@code traffic --profile real-clients}: its own schema, the same run, a report of failures per group, nothing left behind. */
    @Test
    void theTrafficCommandsRealClientProfileReportsEachGroupAndDropsWhatItMade() throws Exception {
        TrafficOptions options = new TrafficOptions(PostgresServer.jdbcUrl(), 50, 2, Duration.ofMillis(300), 10,
                Duration.ofSeconds(1), null);
        List<String> report = RealClients.runInOwnSchema(options);
        report.forEach(System.out::println);
        assertThat(report.get(0)).startsWith("### Real clients (PostgreSQL ").contains("prepareThreshold=1");
        assertThat(report).filteredOn(l -> l.startsWith("| version ")).hasSize(3).allMatch(l -> l.matches("\\| version \\S+ \\| 0 \\| [1-9][0-9]* \\|  \\|"));
        assertThat(report).filteredOn(l -> l.startsWith("| base tables, ")).hasSize(3);
        try (Connection c = DriverManager.getConnection(PostgresServer.jdbcUrl()); Statement s = c.createStatement();
             java.sql.ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'traffic\\_%\\_clients%'"
                     + " OR nspname LIKE 'bascule\\_traffic\\_%\\_clients'")) {
            rs.next();
            assertThat(rs.getInt(1)).isZero();
        }
    }

    /** The shared run, with what must hold for every client on a version. */
    private static Map<String, Group> run(TestDb db, RealClients.Connector connector, List<Profile> baseProfiles) throws Exception {
        Map<String, Group> all = RealClients.run(db.bascule().load(), db.name(), connector, baseProfiles, PAUSE);
        all.values().forEach(g -> System.out.println("[real clients " + db.dialect() + "] " + g));
        all.values().forEach(g -> assertThat(g.ok.get()).as(g.name).isPositive());
        all.values().stream().filter(g -> g.name.startsWith("version")).forEach(g ->
                assertThat(g.failed.get()).as(g + " " + g.errors).isZero());
        return all;
    }
}
