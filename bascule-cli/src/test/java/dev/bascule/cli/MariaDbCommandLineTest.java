package dev.bascule.cli;

import dev.bascule.testing.TestDb;
import dev.bascule.testing.MariaDbServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The command line on a jdbc:mariadb: URL: plan shows the algorithm, a refusal is exit 2, a migration runs through. */
class MariaDbCommandLineTest {
    @TempDir
    Path dir;
    TestDb db;
    Cli cli;

    @BeforeEach
    void setUp() {
        db = TestDb.mariadb();
        db.exec("CREATE TABLE users (id int PRIMARY KEY, name varchar(50) NOT NULL)", "INSERT INTO users VALUES (1, 'ann'), (2, 'bob')");
        cli = new Cli().dir(dir).globals("--url", MariaDbServer.jdbcUrl(), "--schema", db.name(), "--state-schema", db.stateSchema());
    }

    @AfterEach
    void tearDown() {
        db.close();
    }

    @Test
    void planStartLatestCompleteOnMariaDb() throws IOException {
        Files.writeString(dir.resolve("0001_nick.yaml"), """
                operations:
                  - add_column: {table: users, column: {name: nick, type: varchar(50), nullable: false}, up: "upper(name)"}
                  - create_index: {name: users_nick_idx, table: users, columns: [nick]}
                """);
        Cli.Result plan = cli.run("plan", "0001_nick.yaml");
        assertThat(plan.exit()).as(plan.toString()).isEqualTo(0);
        assertThat(plan.out()).contains("ALGORITHM=INSTANT").contains("ALGORITHM=INPLACE, LOCK=NONE")
                .contains("lock: metadata lock, brief (ALGORITHM=INSTANT");
        Cli.Result start = cli.run("start", "0001_nick.yaml");
        assertThat(start.exit()).as(start.toString()).isEqualTo(0);
        assertThat(cli.run("latest").out().strip()).isEqualTo(db.name() + "_0001_nick");
        Cli.Result complete = cli.run("complete", "--yes");
        assertThat(complete.exit()).as(complete.toString()).isEqualTo(0);
        assertThat(db.column("SELECT nick FROM users ORDER BY id")).containsExactly("ANN", "BOB");
        assertThat(cli.run("history").out()).contains("0001_nick").contains("completed");
    }

    @Test
    void baselineThenAMigrationOnMariaDb() throws IOException {
        Cli.Result baseline = cli.run("baseline");
        assertThat(baseline.exit()).as(baseline.toString()).isEqualTo(0);
        String version = db.name() + "_baseline";
        assertThat(cli.run("latest").out().strip()).isEqualTo(version);
        assertThat(db.value("SELECT count(*) FROM information_schema.VIEWS WHERE TABLE_SCHEMA = '" + version + "'"
                + " AND TABLE_NAME = 'users'")).isEqualTo("1");
        assertThat(cli.run("baseline").out()).contains("already baselined");
        Files.writeString(dir.resolve("0001_nick.yaml"), "operations:\n  - add_column: {table: users, column: {name: nick, type: varchar(50)}}\n");
        assertThat(cli.run("start", "0001_nick.yaml").exit()).isEqualTo(0);
        Cli.Result complete = cli.run("complete", "--yes");
        assertThat(complete.exit()).as(complete.toString()).isEqualTo(0);
        assertThat(db.versions()).containsExactly(db.name() + "_0001_nick");
        assertThat(cli.run("history").out()).contains("(baseline)").contains("0001_nick");
    }

    @Test
    void aDatabaseWithTheVersionsNameIsExit2AndLeftAlone() throws IOException {
        String foreign = db.name() + "_coll";
        db.exec("CREATE DATABASE " + foreign, "CREATE TABLE " + foreign + ".important (id int PRIMARY KEY)",
                "INSERT INTO " + foreign + ".important VALUES (42)");
        Files.writeString(dir.resolve("coll.yaml"), """
                operations:
                  - add_column: {table: users, column: {name: nick, type: varchar(50)}}
                """);
        for (String command : java.util.List.of("plan", "start")) {
            Cli.Result r = cli.run(command, "coll.yaml");
            assertThat(r.exit()).as(r.toString()).isEqualTo(2);
            assertThat(r.err()).contains("coll.yaml").contains("database " + foreign + " exists and was not made by Bascule");
        }
        assertThat(db.value("SELECT id FROM " + foreign + ".important")).isEqualTo("42");
    }

    @Test
    void aTableAMigrationOfAnotherStateDatabaseChangesIsExit3() throws IOException {
        Files.writeString(dir.resolve("a_alter.yaml"), "operations:\n  - alter_column: {table: users, column: name, type: varchar(80)}\n");
        Files.writeString(dir.resolve("b_drop.yaml"), "operations:\n  - drop_column: {table: users, column: name}\n");
        assertThat(cli.run("start", "a_alter.yaml").exit()).isEqualTo(0);
        Cli other = new Cli().dir(dir).globals("--url", MariaDbServer.jdbcUrl(), "--schema", db.name(), "--state-schema",
                db.name() + "_other");
        Cli.Result plan = other.run("plan", "b_drop.yaml");
        assertThat(plan.exit()).as(plan.toString()).isEqualTo(3);
        assertThat(plan.err()).contains("migration a_alter").contains("state schema " + db.stateSchema());
        assertThat(other.run("start", "b_drop.yaml").exit()).isEqualTo(3);
        db.exec("INSERT INTO users (id, name) VALUES (3, 'cy')"); // a's trigger still works
        assertThat(cli.run("rollback").exit()).isEqualTo(0);
    }

    @Test
    void whatMariaDbCannotDoIsExit2WithTheReason() throws IOException {
        Files.writeString(dir.resolve("0001_check.yaml"), """
                operations:
                  - add_check: {table: users, name: users_name_len, expression: "length(name) > 0"}
                """);
        Cli.Result plan = cli.run("plan", "0001_check.yaml");
        assertThat(plan.exit()).isEqualTo(2);
        assertThat(plan.err()).contains("0001_check.yaml").contains("MariaDB has no NOT VALID constraints");
    }

    @Test
    void aTypeOrNameTheServerWouldRefuseInStartIsExit2AtPlan() throws Exception {
        java.util.List<String> before = db.snapshot();
        Files.writeString(dir.resolve("0001_serial.yaml"), """
                operations:
                  - create_table:
                      name: events
                      columns: [{name: id, type: bigserial, nullable: false}]
                      primary_key: [id]
                """);
        Files.writeString(dir.resolve("0001_reads.yaml"), """
                operations:
                  - add_column: {table: users, column: {name: nick, type: varchar(20)}}
                  - create_table: {name: _bascule_reads, columns: [{name: id, type: int}]}
                """);
        for (String command : java.util.List.of("plan", "start")) {
            Cli.Result serial = cli.run(command, "0001_serial.yaml");
            assertThat(serial.exit()).as(serial.toString()).isEqualTo(2);
            assertThat(serial.err()).contains("0001_serial.yaml:4:").contains("operations[0].create_table.columns[0].type")
                    .contains("not a valid type").contains("bigserial");
            Cli.Result reads = cli.run(command, "0001_reads.yaml");
            assertThat(reads.exit()).as(reads.toString()).isEqualTo(2);
            assertThat(reads.err()).contains("0001_reads.yaml:3:").contains("operations[1].create_table.name").contains("_bascule");
        }
        assertThat(db.snapshot()).containsExactlyElementsOf(before);
        assertThat(db.versions()).isEmpty();
    }

    @Test
    void replicaOptionsAreCheckedBeforeAnythingChanges() throws Exception {
        Files.writeString(dir.resolve("0001_nick.yaml"), """
                operations:
                  - add_column: {table: users, column: {name: nick, type: varchar(50)}}
                """);
        java.util.List<String> before = db.snapshot();
        Cli.Result noReplica = cli.run("start", "--heartbeat-table", "0001_nick.yaml");
        assertThat(noReplica.exit()).isEqualTo(2);
        assertThat(noReplica.err()).contains("--heartbeat-table needs --replica");
        Cli.Result noLimit = cli.run("start", "--replica", MariaDbServer.jdbcUrl(), "--max-replication-delay", "0", "0001_nick.yaml");
        assertThat(noLimit.exit()).isEqualTo(2);
        assertThat(noLimit.err()).contains("--replica needs --max-replication-delay above 0");
        Cli.Result notJdbc = cli.run("start", "--replica", "db2.example.com:3306", "0001_nick.yaml");
        assertThat(notJdbc.exit()).isEqualTo(2);
        assertThat(notJdbc.err()).contains("--replica db2.example.com:3306 is not a MariaDB/MySQL JDBC URL");
        Cli.Result postgres = new Cli().dir(dir).globals("--url", "jdbc:postgresql://127.0.0.1:1/x")
                .run("start", "--replica", MariaDbServer.jdbcUrl(), "0001_nick.yaml");
        assertThat(postgres.exit()).isEqualTo(2);
        assertThat(postgres.err()).contains("--replica is for a MariaDB or MySQL primary");
        assertThat(db.snapshot()).containsExactlyElementsOf(before);
        // accepted: with nothing to backfill, the replica is never asked
        Cli.Result start = cli.run("start", "--replica", MariaDbServer.jdbcUrl(), "--heartbeat-table", "0001_nick.yaml");
        assertThat(start.exit()).as(start.toString()).isEqualTo(0);
    }

    /** The test server's URL with {@code database} as its path (empty: none). */
    private static String urlWithDatabase(String database) {
        return MariaDbServer.jdbcUrl().replaceFirst("^(jdbc:(?:mariadb|mysql)://[^/?]+)/?[^?]*", "$1/" + database);
    }

    @Test
    void withoutSchemaTheUrlsDatabaseIsTheApplicationsOne() throws IOException {
        Files.writeString(dir.resolve("0001_nick.yaml"), """
                operations:
                  - add_column: {table: users, column: {name: nick, type: varchar(50)}, up: "upper(name)"}
                """);
        Cli url = new Cli().dir(dir).globals("--url", urlWithDatabase(db.name()), "--state-schema", db.stateSchema());
        Cli.Result start = url.run("start", "0001_nick.yaml");
        assertThat(start.exit()).as(start.toString()).isEqualTo(0);
        assertThat(url.run("latest").out().strip()).isEqualTo(db.name() + "_0001_nick");
        Cli.Result complete = url.run("complete", "--yes");
        assertThat(complete.exit()).as(complete.toString()).isEqualTo(0);
        assertThat(db.column("SELECT nick FROM users ORDER BY id")).containsExactly("ANN", "BOB");
    }

    @Test
    void withoutSchemaNorADatabaseInTheUrlIsExit2SayingToNameOne() throws Exception {
        Files.writeString(dir.resolve("0001_nick.yaml"), """
                operations:
                  - add_column: {table: users, column: {name: nick, type: varchar(50)}}
                """);
        java.util.List<String> before = db.snapshot();
        Cli.Result plan = new Cli().dir(dir).globals("--url", urlWithDatabase(""), "--state-schema", db.stateSchema())
                .run("start", "0001_nick.yaml");
        assertThat(plan.exit()).as(plan.toString()).isEqualTo(2);
        assertThat(plan.err()).contains("no current database").contains("--schema");
        assertThat(db.snapshot()).containsExactlyElementsOf(before);
    }
}
