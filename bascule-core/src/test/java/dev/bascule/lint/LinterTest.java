package dev.bascule.lint;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Each rule fires on the unsafe form and stays quiet on the safe one, on real migration text. */
class LinterTest {
    static final String SAFE_SESSION = "SET lock_timeout = '250ms'; SET statement_timeout = '30s';\n";

    private static List<String> rules(String sql) {
        return Linter.script("m.sql", SAFE_SESSION + sql, 1, false).stream().map(f -> f.rule().id()).toList();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '#', quoteCharacter = '^', value = {
            "index-not-concurrent # CREATE INDEX users_email ON users (email) # CREATE INDEX CONCURRENTLY users_email ON users (email)",
            "drop-index-not-concurrent # DROP INDEX users_email # DROP INDEX CONCURRENTLY users_email",
            "concurrent-in-transaction # BEGIN; CREATE INDEX CONCURRENTLY i ON users (email); COMMIT # CREATE INDEX CONCURRENTLY i ON users (email)",
            "foreign-key-not-valid # ALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (user_id) REFERENCES users (id) # ALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID",
            "check-not-valid # ALTER TABLE users ADD CONSTRAINT c CHECK (age > 0) # ALTER TABLE users ADD CONSTRAINT c CHECK (age > 0) NOT VALID",
            "set-not-null # ALTER TABLE users ALTER COLUMN email SET NOT NULL # ALTER TABLE users VALIDATE CONSTRAINT email_not_null",
            "unique-constraint # ALTER TABLE users ADD CONSTRAINT u UNIQUE (email) # ALTER TABLE users ADD CONSTRAINT u UNIQUE USING INDEX users_email",
            "column-type-change # ALTER TABLE users ALTER COLUMN id TYPE bigint # ALTER TABLE users ALTER COLUMN id SET DEFAULT 0",
            "volatile-default # ALTER TABLE users ADD COLUMN token uuid DEFAULT gen_random_uuid() # ALTER TABLE users ADD COLUMN created timestamptz DEFAULT now()",
            "not-null-without-default # ALTER TABLE users ADD COLUMN n int NOT NULL # ALTER TABLE users ADD COLUMN n int NOT NULL DEFAULT 0",
            "rename-column # ALTER TABLE users RENAME COLUMN name TO full_name # ALTER TABLE users RENAME CONSTRAINT a TO b",
            "rename-table # ALTER TABLE users RENAME TO people # ALTER INDEX users_email RENAME TO people_email",
            "drop-column # ALTER TABLE users DROP COLUMN legacy # ALTER TABLE users DROP CONSTRAINT legacy_check",
            "drop-table # DROP TABLE users # CREATE TABLE scratch (id bigint PRIMARY KEY); DROP TABLE scratch",
            "drop-database # DROP DATABASE app # DROP SCHEMA scratch",
            "truncate-cascade # TRUNCATE users CASCADE # DELETE FROM sessions WHERE id < 1000",
            "drop-not-null # ALTER TABLE users ALTER COLUMN email DROP NOT NULL # ALTER TABLE users ALTER COLUMN email DROP DEFAULT",
            "vacuum-full # VACUUM FULL users # VACUUM (ANALYZE) users",
            "cluster # CLUSTER users USING users_pkey # ANALYZE users",
            "reindex-not-concurrent # REINDEX TABLE users # REINDEX TABLE CONCURRENTLY users",
            "unbatched-update # UPDATE users SET active = true # UPDATE users SET active = true WHERE id BETWEEN 1 AND 1000",
            "int-primary-key # CREATE TABLE t (id serial PRIMARY KEY, n text) # CREATE TABLE t (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY)",
            "json-type # CREATE TABLE t (id bigint PRIMARY KEY, doc json) # CREATE TABLE t (id bigint PRIMARY KEY, doc jsonb)",
            "char-type # CREATE TABLE t (id bigint PRIMARY KEY, code char(3)) # CREATE TABLE t (id bigint PRIMARY KEY, code varchar(3))",
            "timestamp-without-time-zone # ALTER TABLE users ADD COLUMN seen timestamp # ALTER TABLE users ADD COLUMN seen timestamp with time zone",
    })
    void firesOnTheUnsafeFormOnly(String rule, String unsafe, String safe) {
        assertThat(rules(unsafe)).as(unsafe).contains(rule);
        assertThat(rules(safe)).as(safe).doesNotContain(rule);
    }

    @Test
    void timeoutsAreAskedForOnceWhenMissing() {
        List<String> found = Linter.script("m.sql", "ALTER TABLE a ADD COLUMN IF NOT EXISTS x text; ALTER TABLE b ADD COLUMN IF NOT EXISTS y text;", 1, false)
                .stream().map(f -> f.rule().id()).toList();
        assertThat(found).containsExactly("lock-timeout-missing", "statement-timeout-missing");
        assertThat(rules("ALTER TABLE a ADD COLUMN x text")).isEmpty();
    }

    @Test
    void tablesCreatedInTheSameScriptAreNew() {
        assertThat(rules("BEGIN; CREATE TABLE t (id bigint PRIMARY KEY, email text); CREATE INDEX t_email ON t (email);"
                + " ALTER TABLE t ADD CONSTRAINT u UNIQUE (email); ALTER TABLE t ALTER COLUMN email SET NOT NULL; COMMIT")).isEmpty();
    }

    @Test
    void stringsCommentsAndDollarQuotesAreNotCode() {
        assertThat(rules("INSERT INTO notes VALUES ('DROP TABLE users; VACUUM FULL users');"
                + " CREATE FUNCTION f() RETURNS void LANGUAGE sql AS $$ TRUNCATE users CASCADE $$;"
                + " /* DROP TABLE users; */ SELECT 1")).isEmpty();
    }

    @Test
    void suppressionCommentsOnAStatementOrAFile() {
        assertThat(rules("-- bascule-lint: ignore rename-column\nALTER TABLE users RENAME COLUMN a TO b;\n"
                + "ALTER TABLE users RENAME COLUMN c TO d")).containsExactly("rename-column");
        assertThat(rules("-- bascule-lint: ignore-file rename-column, drop-column\nALTER TABLE users RENAME COLUMN a TO b;"
                + " ALTER TABLE users DROP COLUMN IF EXISTS e")).isEmpty();
    }

    @Test
    void findingsNameFileAndLine() {
        List<Finding> found = Linter.script("V3__x.sql", "SELECT 1;\n\nDROP TABLE users;\n", 1, false);
        assertThat(found).anySatisfy(f -> {
            assertThat(f.rule()).isEqualTo(Rule.DROP_TABLE);
            assertThat(f.line()).isEqualTo(3);
            assertThat(f.statement()).isEqualTo("DROP TABLE users");
            assertThat(f.message()).contains("instead: Bascule's drop_table");
        });
    }

    @Test
    void flywayRunsInATransactionUnlessConfigured(@TempDir Path dir) throws Exception {
        Path v = Files.writeString(dir.resolve("V4__index.sql"), "CREATE INDEX CONCURRENTLY i ON users (email);\n");
        assertThat(Linter.lint(v)).extracting(f -> f.rule().id()).contains("concurrent-in-transaction");
        Files.writeString(dir.resolve("V4__index.sql.conf"), "executeInTransaction=false\n");
        assertThat(Linter.lint(v)).extracting(f -> f.rule().id()).doesNotContain("concurrent-in-transaction");
        Path plain = Files.writeString(dir.resolve("index.sql"), "CREATE INDEX CONCURRENTLY i ON users (email);\n");
        assertThat(Linter.lint(plain)).extracting(f -> f.rule().id()).doesNotContain("concurrent-in-transaction");
    }

    @Test
    void liquibaseChangesetsEachWithTheirTransaction(@TempDir Path dir) throws Exception {
        Path f = Files.writeString(dir.resolve("changelog.sql"), String.join("\n", Arrays.asList(
                "--liquibase formatted sql",
                "--changeset ann:1",
                "CREATE INDEX CONCURRENTLY a ON users (email);",
                "--rollback DROP TABLE users;",
                "--changeset ann:2 runInTransaction:false",
                "CREATE INDEX CONCURRENTLY b ON users (name);",
                "")));
        List<Finding> found = Linter.lint(f);
        assertThat(found).filteredOn(x -> x.rule() == Rule.CONCURRENT_IN_TRANSACTION).extracting(Finding::line).containsExactly(3);
        assertThat(found).noneMatch(x -> x.rule() == Rule.DROP_TABLE);
    }

    @Test
    void bascule_sqlOperationsOfAMigrationFile(@TempDir Path dir) throws Exception {
        Path f = Files.writeString(dir.resolve("0001_x.yaml"), """
                operations:
                  - sql:
                      up: |
                        SET lock_timeout = '1s';
                        ALTER TABLE users ALTER COLUMN email SET NOT NULL;
                      down: SELECT 1
                  - add_column: {table: users, column: {name: c, type: text}}
                """);
        List<Finding> found = Linter.lint(f);
        assertThat(found).extracting(x -> x.rule().id()).contains("set-not-null");
        assertThat(found).filteredOn(x -> x.rule() == Rule.SET_NOT_NULL).extracting(Finding::line).containsExactly(5);
    }

    @Test
    void bascule_onCompleteSqlIsLintedLikeAnyOther(@TempDir Path dir) throws Exception {
        Path f = Files.writeString(dir.resolve("0001_x.yaml"), """
                operations:
                  - add_column: {table: users, column: {name: c, type: text}}
                  - sql:
                      on_complete: true
                      up: |
                        SET lock_timeout = '1s';
                        ALTER TABLE users ALTER COLUMN email SET NOT NULL;
                """);
        assertThat(Linter.lint(f)).filteredOn(x -> x.rule() == Rule.SET_NOT_NULL).extracting(Finding::line).containsExactly(7);
    }
}
