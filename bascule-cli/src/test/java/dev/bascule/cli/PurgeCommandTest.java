package dev.bascule.cli;

import dev.bascule.testing.TestSchema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** complete --deprecate, purge and restore on the command line, against a real PostgreSQL. */
class PurgeCommandTest {
    @TempDir
    Path dir;

    TestSchema schema;
    Cli cli;

    @BeforeEach
    void setUp() throws IOException {
        schema = new TestSchema();
        schema.exec("CREATE TABLE users (id bigserial PRIMARY KEY, email text, legacy_flag boolean NOT NULL DEFAULT false)",
                "CREATE TABLE audit (id bigserial PRIMARY KEY, what text)",
                "INSERT INTO users (email, legacy_flag) SELECT 'u' || g || '@x.org', g % 3 = 0 FROM generate_series(1, 300) g",
                "INSERT INTO audit (what) SELECT 'w' || g FROM generate_series(1, 10) g");
        cli = Cli.on(schema).dir(dir);
        Files.writeString(dir.resolve("0001_cleanup.yaml"), """
                operations:
                  - drop_column: {table: users, column: legacy_flag}
                  - drop_table: {name: audit}
                """);
        Cli.Result start = cli.run("start", "0001_cleanup.yaml");
        assertThat(start.exit()).as(start.toString()).isZero();
    }

    @AfterEach
    void tearDown() {
        schema.close();
    }

    private List<String> deprecatedNames() {
        return schema.column("SELECT relname FROM pg_class WHERE relnamespace = '" + schema.name() + "'::regnamespace"
                + " AND relname LIKE '\\_bascule\\_deprecated\\_%' AND relkind = 'r'"
                + " UNION ALL SELECT attname FROM pg_attribute WHERE attrelid = '" + schema.name() + ".users'::regclass"
                + " AND attname LIKE '\\_bascule\\_deprecated\\_%' ORDER BY 1");
    }

    private Cli.Result completeDeprecating() {
        Cli.Result r = cli.run("complete", "--yes", "--deprecate");
        assertThat(r.exit()).as(r.toString()).isZero();
        return r;
    }

    @Test
    void completeDeprecateSaysWhatItKept() {
        Cli.Result r = completeDeprecating();
        assertThat(r.out()).contains("deprecate column users.legacy_flag as _bascule_deprecated_")
                .contains("deprecated, not dropped: ").contains("(was legacy_flag)").contains("(was audit)")
                .contains("bascule purge");
        assertThat(deprecatedNames()).hasSize(2);
        assertThat(schema.value("SELECT count(*) FROM users WHERE \"" + deprecatedNames().stream()
                .filter(n -> n.endsWith("legacy_flag")).findFirst().orElseThrow() + "\"")).isEqualTo("100");
    }

    @Test
    void purgeKeepsYoungObjectsAndDropsAllWithZero() {
        completeDeprecating();
        Cli.Result young = cli.run("purge", "--older-than", "7d", "--yes");
        assertThat(young.exit()).as(young.toString()).isZero();
        assertThat(young.out()).contains("nothing to purge");
        assertThat(deprecatedNames()).hasSize(2);

        Cli.Result dry = cli.run("purge", "--older-than", "0s", "--dry-run");
        assertThat(dry.exit()).as(dry.toString()).isZero();
        assertThat(dry.out()).contains("would drop 2 deprecated objects").contains("(was legacy_flag)")
                .contains("(was audit)").contains("dry run: nothing was dropped");
        assertThat(deprecatedNames()).hasSize(2);

        Cli.Result all = cli.run("purge", "--older-than", "0s", "--yes");
        assertThat(all.exit()).as(all.toString()).isZero();
        assertThat(all.out()).contains("purged 2 deprecated objects");
        assertThat(deprecatedNames()).isEmpty();
        assertThat(schema.value("SELECT count(*) FROM users")).isEqualTo("300");

        Cli.Result again = cli.run("purge", "--older-than", "0s", "--yes");
        assertThat(again.exit()).isZero();
        assertThat(again.out()).contains("nothing to purge");
    }

    @Test
    void purgeAsksUnlessYes() {
        completeDeprecating();
        Cli.Result noConsole = cli.run("purge", "--older-than", "0s");
        assertThat(noConsole.exit()).as(noConsole.toString()).isEqualTo(2);
        assertThat(noConsole.err()).contains("--yes");
        Cli.FakeConsole no = new Cli.FakeConsole("n");
        Cli.Result refused = Cli.on(schema).dir(dir).terminal(no).run("purge", "--older-than", "0s");
        assertThat(refused.exit()).as(refused.toString()).isEqualTo(1);
        assertThat(refused.err()).contains("purge cancelled; nothing was changed");
        assertThat(no.asked).singleElement().asString().contains("Drop 2 deprecated objects");
        assertThat(deprecatedNames()).hasSize(2);
        Cli.Result yes = Cli.on(schema).dir(dir).terminal(new Cli.FakeConsole("y")).run("purge", "--older-than", "0s");
        assertThat(yes.exit()).as(yes.toString()).isZero();
        assertThat(deprecatedNames()).isEmpty();
    }

    @Test
    void badDurationsAreExit2AndChangeNothing() {
        completeDeprecating();
        for (String bad : List.of("7", "7x", "-1d", "1.5d", "d", "")) {
            Cli.Result r = cli.run("purge", "--older-than", bad, "--yes");
            assertThat(r.exit()).as(bad + ": " + r).isEqualTo(2);
            assertThat(r.err()).contains("invalid duration");
        }
        Cli.Result missing = cli.run("purge", "--yes");
        assertThat(missing.exit()).as(missing.toString()).isEqualTo(2);
        assertThat(missing.err()).contains("--older-than");
        assertThat(deprecatedNames()).hasSize(2);
    }

    @Test
    void restoreBringsBackTheColumnWithItsValues() {
        completeDeprecating();
        schema.exec("INSERT INTO users (email) VALUES ('later@x.org')");
        Cli.Result r = cli.run("restore", "--table", "users", "--column", "legacy_flag");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("restored column users._bascule_deprecated_").contains("rows written since");
        assertThat(schema.value("SELECT count(*) FROM users WHERE legacy_flag")).isEqualTo("100");
        assertThat(schema.value("SELECT legacy_flag IS NULL FROM users WHERE email = 'later@x.org'")).isEqualTo("t");
        Cli.Result table = cli.run("restore", "--table", "audit");
        assertThat(table.exit()).as(table.toString()).isZero();
        assertThat(schema.value("SELECT count(*) FROM audit")).isEqualTo("10");
        Cli.Result again = cli.run("restore", "--table", "audit");
        assertThat(again.exit()).isZero();
        assertThat(again.out()).contains("nothing to restore");
    }

    @Test
    void restoreOfUnknownObjectsIsExit2AndOfATakenNameExit3() {
        completeDeprecating();
        Cli.Result unknown = cli.run("restore", "--table", "users", "--column", "nope");
        assertThat(unknown.exit()).as(unknown.toString()).isEqualTo(2);
        assertThat(unknown.err()).contains("no deprecated column users.nope").contains("(was legacy_flag)");
        Cli.Result hostile = cli.run("restore", "--table", "users; drop table users");
        assertThat(hostile.exit()).as(hostile.toString()).isEqualTo(2);
        assertThat(hostile.err()).contains("invalid name");
        Cli.Result noTable = cli.run("restore", "--column", "legacy_flag");
        assertThat(noTable.exit()).isEqualTo(2);

        schema.exec("CREATE TABLE audit (id int)");
        Cli.Result taken = cli.run("restore", "--table", "audit");
        assertThat(taken.exit()).as(taken.toString()).isEqualTo(3);
        assertThat(taken.err()).contains("cannot restore table").contains("table audit exists");
        assertThat(deprecatedNames()).hasSize(2);
    }
}
