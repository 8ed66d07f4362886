package dev.bascule.deprecation;

import dev.bascule.testing.Scenario;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bascule.Bascule;
import dev.bascule.api.BasculeException;
import dev.bascule.api.ContractMode;
import dev.bascule.api.DeprecatedObject;
import dev.bascule.api.InvalidMigrationException;
import dev.bascule.api.RefusedException;
import dev.bascule.api.RestoreTarget;
import dev.bascule.testing.TestSchema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** complete --deprecate keeps what complete would drop; restore gives it back; purge drops it when old enough. */
class DeprecateTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] SETUP = {
            "CREATE TABLE users (id bigserial PRIMARY KEY, email varchar(100) NOT NULL UNIQUE,"
                    + " legacy_flag boolean NOT NULL DEFAULT true CHECK (legacy_flag IS NOT NULL), nick text)",
            "CREATE INDEX users_legacy_idx ON users (legacy_flag, nick)",
            "CREATE TABLE orders (id bigserial PRIMARY KEY, user_id bigint NOT NULL REFERENCES users, total numeric)",
            "INSERT INTO users (email, legacy_flag, nick) SELECT 'User' || g || '@X.org', g % 2 = 0, 'n' || g"
                    + " FROM generate_series(1, 200) g",
            "INSERT INTO orders (user_id, total) SELECT 1 + g % 200, g FROM generate_series(1, 50) g"
    };

    TestSchema s;
    Bascule b;

    @BeforeEach
    void setUp() {
        s = new TestSchema();
        s.exec(SETUP);
        b = s.bascule().load();
    }

    @AfterEach
    void tearDown() {
        s.close();
    }

    private String version() {
        return s.name() + "_" + Scenario.MIGRATION + ", " + s.name();
    }

    private void newCode(String... sql) throws Exception {
        try (Connection c = s.connect(version()); Statement st = c.createStatement()) {
            for (String q : sql) st.execute(q);
        }
    }

    private List<String> columns(String table) {
        return s.column("SELECT attname FROM pg_attribute WHERE attrelid = '" + s.name() + "." + table
                + "'::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum");
    }

    private DeprecatedObject only(DeprecatedObject.Kind kind) {
        List<DeprecatedObject> all = b.deprecated().stream().filter(d -> d.kind() == kind).toList();
        assertThat(all).hasSize(1);
        return all.get(0);
    }

    private void startAndDeprecate(String operations) {
        b.start(Scenario.migration("operations:\n" + operations));
        b.complete(Set.of(), Set.of(), ContractMode.DEPRECATE);
    }

    /** Makes an object look deprecated {@code days} ago, as purge reads it: from its comment. */
    private void age(DeprecatedObject d, int days) {
        String on = d.kind() == DeprecatedObject.Kind.TABLE ? "TABLE \"" + d.deprecatedName() + "\""
                : "COLUMN \"" + d.table() + "\".\"" + d.deprecatedName() + "\"";
        String comment = d.kind() == DeprecatedObject.Kind.TABLE
                ? "obj_description('\"" + d.deprecatedName() + "\"'::regclass, 'pg_class')"
                : "col_description('\"" + d.table() + "\"'::regclass, (SELECT attnum FROM pg_attribute WHERE attrelid = '\""
                + d.table() + "\"'::regclass AND attname = '" + d.deprecatedName() + "'))";
        s.exec("DO $$ BEGIN EXECUTE 'COMMENT ON " + on.replace("'", "''") + " IS ' || quote_literal(jsonb_set((" + comment
                + ")::jsonb, '{deprecated_at}', to_jsonb(now() - interval '" + days + " days'))::text); END $$");
    }

    @Test
    void dropColumnKeepsTheValuesUnderAMarkedNameAndNewCodeInserts() throws Exception {
        startAndDeprecate("  - drop_column: {table: users, column: legacy_flag, down: \"false\"}\n");
        DeprecatedObject d = only(DeprecatedObject.Kind.COLUMN);
        assertThat(d.deprecatedName()).startsWith("_bascule_deprecated_").endsWith("_legacy_flag");
        assertThat(d.originalName()).isEqualTo("legacy_flag");
        assertThat(d.table()).isEqualTo("users");
        assertThat(d.migration()).isEqualTo(Scenario.MIGRATION);
        assertThat(columns("users")).doesNotContain("legacy_flag").contains(d.deprecatedName());
        String q = "\"" + d.deprecatedName() + "\"";
        assertThat(s.value("SELECT count(*) FROM users WHERE " + q + " = (id % 2 = 0)")).isEqualTo("200");
        JsonNode marker = JSON.readTree(s.value("SELECT col_description('users'::regclass, (SELECT attnum FROM pg_attribute"
                + " WHERE attrelid = 'users'::regclass AND attname = '" + d.deprecatedName() + "'))"));
        assertThat(marker.path("name").asText()).isEqualTo("legacy_flag");
        assertThat(marker.path("table").asText()).isEqualTo("users");
        assertThat(marker.path("migration").asText()).isEqualTo(Scenario.MIGRATION);
        assertThat(marker.path("deprecated_at").asText()).isNotEmpty();
        // nothing about it rejects or slows new rows: no NOT NULL, default, check or index
        assertThat(s.value("SELECT attnotnull::text || (atthasdef)::text FROM pg_attribute WHERE attrelid = 'users'::regclass"
                + " AND attname = '" + d.deprecatedName() + "'")).isEqualTo("falsefalse");
        assertThat(s.value("SELECT count(*) FROM pg_constraint WHERE conrelid = 'users'::regclass AND contype = 'c'")).isEqualTo("0");
        assertThat(s.value("SELECT count(*) FROM pg_indexes WHERE schemaname = current_schema() AND indexname = 'users_legacy_idx'"))
                .isEqualTo("0");
        newCode("INSERT INTO users (email, nick) VALUES ('new@x.org', 'new')");
        assertThat(s.value("SELECT " + q + " IS NULL FROM users WHERE email = 'new@x.org'")).isEqualTo("t");
        // the unique constraint on email, another column, is untouched
        assertThatThrownBy(() -> newCode("INSERT INTO users (email) VALUES ('new@x.org')")).hasMessageContaining("unique");
    }

    @Test
    void dropTableKeepsTheRowsAndItsForeignKeysNoLongerBlockNewCode() throws Exception {
        startAndDeprecate("  - drop_table: {name: orders}\n");
        DeprecatedObject d = only(DeprecatedObject.Kind.TABLE);
        assertThat(d.originalName()).isEqualTo("orders");
        assertThat(s.value("SELECT to_regclass('orders')::text")).isNull();
        assertThat(s.value("SELECT count(*) FROM \"" + d.deprecatedName() + "\"")).isEqualTo("50");
        assertThat(s.value("SELECT sum(total) FROM \"" + d.deprecatedName() + "\"")).isEqualTo(String.valueOf(50 * 51 / 2));
        // a user with orders can be deleted by new code: the deprecated table's foreign key is gone
        newCode("DELETE FROM users WHERE id = 2");
        assertThat(s.value("SELECT count(*) FROM \"" + d.deprecatedName() + "\" WHERE user_id = 2")).isNotEqualTo("0");
        assertThat(d.describe()).contains("was orders");
    }

    @Test
    void alterColumnKeepsTheOldColumnAndTheSwappedInOneTakesTheIndexNames() throws Exception {
        startAndDeprecate("""
                  - alter_column:
                      table: users
                      column: email
                      type: text
                      up: lower(email)
                      down: email
                """);
        DeprecatedObject d = only(DeprecatedObject.Kind.COLUMN);
        assertThat(d.originalName()).isEqualTo("email");
        String q = "\"" + d.deprecatedName() + "\"";
        assertThat(s.value("SELECT email || ' ' || " + q + " FROM users WHERE id = 7")).isEqualTo("user7@x.org User7@X.org");
        assertThat(s.value("SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'users'::regclass"
                + " AND attname = 'email'")).isEqualTo("text");
        // the unique constraint is the new column's, under its old name
        assertThat(s.value("SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = 'users_email_key'"
                + " AND connamespace = current_schema()::regnamespace")).isEqualTo("UNIQUE (email)");
        newCode("INSERT INTO users (email) VALUES ('n@x.org')");
        assertThat(s.value("SELECT " + q + " IS NULL FROM users WHERE email = 'n@x.org'")).isEqualTo("t");
    }

    @Test
    void alterColumnOfAPrimaryKeyKeepsTheOldKeysAndTheSequenceGoesOn() throws Exception {
        startAndDeprecate("  - alter_column: {table: orders, column: id, type: bigint}\n");
        DeprecatedObject d = only(DeprecatedObject.Kind.COLUMN);
        assertThat(d.table()).isEqualTo("orders");
        newCode("INSERT INTO orders (user_id, total) VALUES (1, 1)");
        assertThat(s.value("SELECT id FROM orders WHERE \"" + d.deprecatedName() + "\" IS NULL")).isEqualTo("51");
        assertThat(s.value("SELECT count(*) FROM orders WHERE id = \"" + d.deprecatedName() + "\"")).isEqualTo("50");
    }

    @Test
    void splitAndMergeKeepTheMovedColumnsAndTheSourceTables() throws Exception {
        s.exec("CREATE TABLE profiles (id bigint PRIMARY KEY REFERENCES users, bio text)",
                "INSERT INTO profiles SELECT id, 'bio ' || id FROM users");
        startAndDeprecate("""
                  - split_table: {from: users, into: [{name: user_nicks, columns: [id, nick]}]}
                  - merge_tables: {from: [orders], into: {name: purchases, columns: [id, user_id, total]}}
                """);
        assertThat(b.deprecated()).extracting(DeprecatedObject::originalName).containsExactlyInAnyOrder("nick", "orders");
        DeprecatedObject nick = only(DeprecatedObject.Kind.COLUMN);
        assertThat(s.value("SELECT count(*) FROM users WHERE \"" + nick.deprecatedName() + "\" = 'n' || id")).isEqualTo("200");
        assertThat(s.value("SELECT count(*) FROM purchases")).isEqualTo("50");
    }

    @Test
    void restoreBringsBackTheColumnWithItsValuesAndNullForNewerRows() throws Exception {
        startAndDeprecate("  - drop_column: {table: users, column: legacy_flag, down: \"false\"}\n");
        newCode("INSERT INTO users (email) VALUES ('later@x.org')");
        DeprecatedObject restored = b.restore(RestoreTarget.column("users", "legacy_flag")).orElseThrow();
        assertThat(restored.originalName()).isEqualTo("legacy_flag");
        assertThat(columns("users")).contains("legacy_flag").noneMatch(c -> c.startsWith("_bascule_deprecated_"));
        assertThat(s.value("SELECT count(*) FROM users WHERE legacy_flag = (id % 2 = 0)")).isEqualTo("200");
        assertThat(s.value("SELECT legacy_flag IS NULL FROM users WHERE email = 'later@x.org'")).isEqualTo("t");
        assertThat(s.value("SELECT col_description('users'::regclass, (SELECT attnum FROM pg_attribute"
                + " WHERE attrelid = 'users'::regclass AND attname = 'legacy_flag'))")).isNull();
        assertThat(b.deprecated()).isEmpty();
        // a rerun finds the name in place: nothing to do
        assertThat(b.restore(RestoreTarget.column("users", "legacy_flag"))).isEmpty();
    }

    @Test
    void restoreOfATable() {
        startAndDeprecate("  - drop_table: {name: orders}\n");
        assertThat(b.restore(RestoreTarget.table("orders"))).isPresent();
        assertThat(s.value("SELECT count(*) FROM orders")).isEqualTo("50");
    }

    @Test
    void restoreRefusesATakenNameAndUnknownObjects() {
        startAndDeprecate("  - drop_column: {table: users, column: legacy_flag, down: \"false\"}\n");
        s.exec("ALTER TABLE users ADD COLUMN legacy_flag text");
        assertThatThrownBy(() -> b.restore(RestoreTarget.column("users", "legacy_flag")))
                .isInstanceOf(RefusedException.class).hasMessageContaining("exists");
        assertThat(b.deprecated()).hasSize(1);
        assertThatThrownBy(() -> b.restore(RestoreTarget.column("users", "nope")))
                .isInstanceOf(InvalidMigrationException.class).hasMessageContaining("no deprecated column users.nope");
        assertThatThrownBy(() -> b.restore(RestoreTarget.table("users\"; DROP TABLE users; --")))
                .isInstanceOf(InvalidMigrationException.class).hasMessageContaining("invalid name");
        assertThat(b.deprecated()).hasSize(1);
    }

    @Test
    void purgeDropsWhatIsOlderThanTheThresholdAndKeepsTheRest() {
        startAndDeprecate("""
                  - drop_column: {table: users, column: legacy_flag, down: "false"}
                  - drop_table: {name: orders}
                """);
        DeprecatedObject table = only(DeprecatedObject.Kind.TABLE);
        DeprecatedObject column = only(DeprecatedObject.Kind.COLUMN);
        age(table, 10);
        assertThat(b.purge(Duration.ofDays(7), true)).extracting(DeprecatedObject::deprecatedName)
                .containsExactly(table.deprecatedName());
        assertThat(b.deprecated()).hasSize(2); // a dry run drops nothing
        assertThat(b.purge(Duration.ofDays(7), false)).extracting(DeprecatedObject::deprecatedName)
                .containsExactly(table.deprecatedName());
        assertThat(s.value("SELECT to_regclass('\"" + table.deprecatedName() + "\"')::text")).isNull();
        assertThat(b.deprecated()).extracting(DeprecatedObject::deprecatedName).containsExactly(column.deprecatedName());
        assertThat(b.purge(Duration.ofDays(7), false)).isEmpty(); // idempotent
        assertThat(b.purge(Duration.ZERO, false)).hasSize(1);
        assertThat(columns("users")).noneMatch(c -> c.startsWith("_bascule_deprecated_"));
        assertThatThrownBy(() -> b.purge(Duration.ofDays(-1), false)).isInstanceOf(InvalidMigrationException.class);
    }

    @Test
    void laterVersionsDoNotShowDeprecatedObjectsSoPurgeCanDropThem() {
        startAndDeprecate("""
                  - drop_column: {table: users, column: legacy_flag, down: "false"}
                  - drop_table: {name: orders}
                """);
        b.start(dev.bascule.model.MigrationReader.read("0002_next.yaml", """
                operations:
                  - add_column: {table: users, column: {name: note, type: text}}
                """.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        String next = s.name() + "_0002_next";
        assertThat(s.column("SELECT table_name || '.' || column_name FROM information_schema.columns WHERE table_schema = '"
                + next + "'")).noneMatch(c -> c.contains("_bascule_deprecated_")).contains("users.note");
        assertThat(b.purge(Duration.ZERO, false)).hasSize(2);
        b.complete(Set.of());
        assertThat(b.deprecated()).isEmpty();
    }

    @Test
    void purgeLeavesAloneWhatOnlyLooksDeprecated() {
        s.exec("CREATE TABLE _bascule_deprecated_mine (id int)", "COMMENT ON TABLE _bascule_deprecated_mine IS 'my own'");
        assertThat(b.purge(Duration.ZERO, false)).isEmpty();
        assertThat(s.value("SELECT to_regclass('_bascule_deprecated_mine')::text")).isNotNull();
    }

    @Test
    void anInterruptedCompleteDeprecateGoesOnDeprecatingWhenRerun() throws Exception {
        Bascule impatient = s.bascule().lockTimeout(Duration.ofMillis(50)).lockAttempts(2).load();
        impatient.start(Scenario.migration("""
                operations:
                  - drop_column: {table: users, column: legacy_flag, down: "false"}
                  - drop_table: {name: orders}
                """));
        try (Connection reader = s.connect(s.name()); Statement st = reader.createStatement()) {
            reader.setAutoCommit(false);
            st.execute("LOCK TABLE orders IN ACCESS SHARE MODE"); // a long transaction the rename cannot pass
            assertThatThrownBy(() -> impatient.complete(Set.of(), Set.of(), ContractMode.DEPRECATE))
                    .isInstanceOf(BasculeException.class);
            reader.rollback();
        }
        assertThat(impatient.status().active().phase()).isEqualTo("completing");
        assertThat(b.deprecated()).extracting(DeprecatedObject::originalName).containsExactly("legacy_flag");
        // asked to deprecate, a complete that began dropping would refuse; this one began deprecating,
        // and a rerun without the flag goes on deprecating
        impatient.complete(Set.of());
        assertThat(b.deprecated()).extracting(DeprecatedObject::originalName).containsExactlyInAnyOrder("legacy_flag", "orders");
        assertThat(b.status().active()).isNull();
    }

    @Test
    void aDeprecationThatCommittedButWasNotRecordedIsSkippedOnRerun() throws Exception {
        b.start(Scenario.migration("operations:\n  - drop_column: {table: users, column: legacy_flag, down: \"false\"}\n"));
        b.complete(Set.of(), Set.of(), ContractMode.DEPRECATE);
        DeprecatedObject before = only(DeprecatedObject.Kind.COLUMN);
        // as if the process died between the step's commit and its record
        s.exec("UPDATE " + s.stateSchema() + ".migrations SET phase = 'completing', completed_at = NULL",
                "DELETE FROM " + s.stateSchema() + ".steps WHERE phase = 'complete' AND description LIKE 'deprecate%'");
        b.complete(Set.of(), Set.of(), ContractMode.DEPRECATE);
        assertThat(only(DeprecatedObject.Kind.COLUMN)).isEqualTo(before);
        assertThat(b.history().get(0).phase()).isEqualTo("completed");
    }

    @Test
    void aCompleteThatBeganDroppingRefusesToDeprecate() {
        Bascule impatient = s.bascule().lockTimeout(Duration.ofMillis(50)).lockAttempts(2).load();
        impatient.start(Scenario.migration("""
                operations:
                  - drop_column: {table: users, column: legacy_flag, down: "false"}
                  - drop_table: {name: orders}
                """));
        try (Connection reader = s.connect(s.name()); Statement st = reader.createStatement()) {
            reader.setAutoCommit(false);
            st.execute("LOCK TABLE orders IN ACCESS SHARE MODE");
            assertThatThrownBy(() -> impatient.complete(Set.of())).isInstanceOf(BasculeException.class);
            reader.rollback();
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
        assertThatThrownBy(() -> impatient.complete(Set.of(), Set.of(), ContractMode.DEPRECATE))
                .isInstanceOf(InvalidMigrationException.class).hasMessageContaining("began without --deprecate");
        impatient.complete(Set.of());
        assertThat(b.deprecated()).isEmpty();
        assertThat(s.value("SELECT to_regclass('orders')::text")).isNull();
    }
}
