package dev.bascule.operations;

import dev.bascule.Bascule;
import dev.bascule.api.InvalidMigrationException;
import dev.bascule.testing.Scenario;
import dev.bascule.testing.Server;
import dev.bascule.testing.Servers;
import dev.bascule.testing.TestDb;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Foreign keys' on_update and match_type, and indexes' operator classes, INCLUDE columns and
 * storage parameters, on real servers: what start makes, what old and new code see through it, what
 * rollback puts back and complete keeps; and what MariaDB refuses at plan time, leaving nothing changed.
 */
class KeyAndIndexOptionsTest {

    private static final String[] SETUP = {
            "CREATE TABLE users (id int PRIMARY KEY, email varchar(100), name varchar(50))",
            "CREATE TABLE orders (id int PRIMARY KEY, user_id int, total int)",
            "INSERT INTO users (id, email, name) VALUES (1, 'a@x.org', 'a'), (2, 'b@x.org', 'b')",
            "INSERT INTO orders (id, user_id, total) VALUES (1, 1, 10), (2, 2, 20)"};

    /** A key that follows its parent's key, and a new column whose key clears itself when the parent's key changes. */
    private static final String KEYS = """
            operations:
              - add_foreign_key: {table: orders, name: orders_user_fk, columns: [user_id], references: {table: users, columns: [id]},
                                  on_delete: cascade, on_update: cascade}
              - add_column: {table: orders, column: {name: reviewer, type: int, references: {table: users, columns: [id],
                             on_update: set null, match_type: simple}}}
            """;

    private static boolean mariaDb(Supplier<TestDb> server) {
        return server instanceof Server s && s.dialect().equals("mariadb");
    }

    /** UPDATE_RULE, DELETE_RULE and MATCH_OPTION of constraint {@code name}, as information_schema has them. */
    private static String rules(TestDb db, String name) {
        return db.value("SELECT concat(update_rule, ' ', delete_rule, ' ', match_option) FROM information_schema.referential_constraints"
                + " WHERE constraint_schema = '" + db.name() + "' AND constraint_name = '" + name + "'");
    }

    @ParameterizedTest
    @MethodSource(Servers.MATRIX)
    void onUpdateActsForOldAndNewCodeAndCompleteKeepsIt(Supplier<TestDb> server) throws Exception {
        new Scenario(server, KEYS, SETUP).completes(v -> {
            assertThat(rules(v.db(), "orders_user_fk")).startsWith("CASCADE CASCADE");
            assertThat(rules(v.db(), "orders_reviewer_fkey")).startsWith("SET NULL ");
            v.neu("UPDATE orders SET reviewer = 2 WHERE id = 1");
            // old code renumbers a user: the orders follow, and the reviewer's key is cleared
            v.old("UPDATE users SET id = 20 WHERE id = 2");
            assertThat(v.newValue("SELECT user_id FROM orders WHERE id = 2")).isEqualTo("20");
            assertThat(v.oldValue("SELECT user_id FROM orders WHERE id = 2")).isEqualTo("20");
            assertThat(v.newValue("SELECT reviewer FROM orders WHERE id = 1")).isNull();
            // new code's too
            v.neu("UPDATE orders SET reviewer = 1 WHERE id = 2", "UPDATE users SET id = 10 WHERE id = 1");
            assertThat(v.oldValue("SELECT user_id FROM orders WHERE id = 1")).isEqualTo("10");
            assertThat(v.newValue("SELECT reviewer FROM orders WHERE id = 2")).isNull();
        }, v -> {
            assertThat(rules(v.db(), "orders_user_fk")).startsWith("CASCADE CASCADE");
            assertThat(rules(v.db(), "orders_reviewer_fkey")).startsWith("SET NULL ");
            v.neu("UPDATE users SET id = 30 WHERE id = 20");
            assertThat(v.newValue("SELECT user_id FROM orders WHERE id = 2")).isEqualTo("30");
        });
    }

    @ParameterizedTest
    @MethodSource(Servers.MATRIX)
    void rollbackTakesTheKeysAway(Supplier<TestDb> server) throws Exception {
        new Scenario(server, KEYS, SETUP).rollsBack(v -> {
            v.old("UPDATE users SET id = 20 WHERE id = 2");
            assertThat(v.newValue("SELECT user_id FROM orders WHERE id = 2")).isEqualTo("20");
            v.old("UPDATE users SET id = 2 WHERE id = 20");
        });
    }

    @ParameterizedTest
    @MethodSource(Servers.MATRIX)
    void matchFullRefusesAHalfNullKeyOnPostgresAndIsRefusedOnMariaDb(Supplier<TestDb> server) throws Exception {
        String yaml = """
                operations:
                  - create_table:
                      name: accounts
                      columns: [{name: region, type: int, nullable: false}, {name: num, type: int, nullable: false}]
                      primary_key: [region, num]
                  - create_table:
                      name: payments
                      columns:
                        - {name: id, type: int, nullable: false}
                        - {name: region, type: int}
                        - {name: num, type: int}
                        - {name: user_id, type: int, references: {table: users, columns: [id], match_type: full, on_update: cascade}}
                      primary_key: [id]
                  - add_foreign_key: {table: payments, name: payments_account_fk, columns: [region, num],
                                      references: {table: accounts, columns: [region, num]}, match_type: full}
                """;
        if (mariaDb(server)) {
            try (TestDb db = server.get()) {
                db.exec(SETUP);
                List<String> before = db.snapshot();
                Bascule b = db.bascule().load();
                assertThatThrownBy(() -> b.start(Scenario.migration(yaml))).isInstanceOf(InvalidMigrationException.class)
                        .hasMessageContaining(dev.bascule.testing.Server.named(server) + " parses MATCH FULL and ignores it")
                        .satisfies(e -> assertThat(((InvalidMigrationException) e).exitCode()).isEqualTo(2));
                assertThat(db.snapshot()).containsExactlyElementsOf(before);
            }
            return;
        }
        new Scenario(server, yaml, SETUP).completes(v -> {
            v.neu("INSERT INTO accounts VALUES (1, 1)", "INSERT INTO payments (id, region, num) VALUES (1, 1, 1), (2, NULL, NULL)");
            assertThatThrownBy(() -> v.neu("INSERT INTO payments (id, region, num) VALUES (3, 1, NULL)"))
                    .hasMessageContaining("payments_account_fk");
            assertThatThrownBy(() -> v.old("INSERT INTO payments (id, region, num) VALUES (3, 7, NULL)"))
                    .hasMessageContaining("payments_account_fk");
            assertThat(rules(v.db(), "payments_account_fk")).isEqualTo("NO ACTION NO ACTION FULL");
        }, v -> {
            assertThat(rules(v.db(), "payments_account_fk")).isEqualTo("NO ACTION NO ACTION FULL");
            assertThat(v.db().value("SELECT confmatchtype::text || confupdtype::text FROM pg_constraint WHERE conrelid = to_regclass('"
                    + v.db().name() + ".payments') AND contype = 'f' AND conkey = '{4}'")).isEqualTo("fc");
            assertThat(v.newValue("SELECT count(*) FROM payments")).isEqualTo("2");
        });
    }

    private static final String INDEX = """
            operations:
              - create_index:
                  name: users_email_idx
                  table: users
                  columns: [{name: email, opclass: varchar_pattern_ops}, id]
                  include: [name]
                  storage_parameters: {fillfactor: 70, deduplicate_items: false}
            """;

    private static String indexDef(TestDb db) {
        return db.value("SELECT indexdef FROM pg_indexes WHERE schemaname = '" + db.name() + "' AND indexname = 'users_email_idx'");
    }

    @ParameterizedTest
    @MethodSource(Servers.MATRIX)
    void indexOptionsOnPostgresThroughStartAndComplete(Supplier<TestDb> server) throws Exception {
        Assumptions.assumeFalse(mariaDb(server), "MariaDB refuses index options: see mariaDbRefusesIndexOptions");
        new Scenario(server, INDEX, SETUP).completes(v -> {
            assertThat(indexDef(v.db())).contains("(email varchar_pattern_ops, id) INCLUDE (name)")
                    .contains("WITH (fillfactor='70', deduplicate_items='false')");
            assertThat(v.db().value("SELECT indisvalid FROM pg_index WHERE indexrelid = to_regclass('" + v.db().name()
                    + ".users_email_idx')")).isEqualTo("t");
            v.neu("INSERT INTO users (id, email, name) VALUES (3, 'c@x.org', 'c')");
            assertThat(v.oldValue("SELECT name FROM users WHERE email LIKE 'c@%'")).isEqualTo("c");
        }, v -> assertThat(indexDef(v.db())).contains("INCLUDE (name)").contains("fillfactor='70'"));
    }

    @ParameterizedTest
    @MethodSource(Servers.MATRIX)
    void indexOptionsRollBack(Supplier<TestDb> server) throws Exception {
        Assumptions.assumeFalse(mariaDb(server), "MariaDB refuses index options: see mariaDbRefusesIndexOptions");
        new Scenario(server, INDEX, SETUP).rollsBack(v -> assertThat(indexDef(v.db())).contains("varchar_pattern_ops"));
    }

    @ParameterizedTest
    @MethodSource(Servers.MATRIX)
    void mariaDbRefusesIndexOptions(Supplier<TestDb> server) throws Exception {
        Assumptions.assumeTrue(mariaDb(server), "PostgreSQL builds them");
        try (TestDb db = server.get()) {
            db.exec(SETUP);
            List<String> before = db.snapshot();
            Bascule b = db.bascule().load();
            assertThatThrownBy(() -> b.start(Scenario.migration(INDEX))).isInstanceOf(InvalidMigrationException.class)
                    .hasMessageContaining(dev.bascule.testing.Server.named(server) + " has no INCLUDE columns");
            assertThat(db.snapshot()).containsExactlyElementsOf(before);
        }
    }

    /** An operator class or storage parameter the server does not know fails the build at start: no index is left. */
    @ParameterizedTest
    @MethodSource(Servers.MATRIX)
    void anUnknownOperatorClassFailsStartWithNoIndexLeft(Supplier<TestDb> server) throws Exception {
        Assumptions.assumeFalse(mariaDb(server), "MariaDB refuses index options at plan time");
        try (TestDb db = server.get()) {
            db.exec(SETUP);
            List<String> before = db.snapshot();
            Bascule b = db.bascule().load();
            assertThatThrownBy(() -> b.start(Scenario.migration(INDEX.replace("fillfactor: 70", "fillfactorr: 70"))))
                    .hasMessageContaining("fillfactorr");
            assertThat(indexDef(db)).isNull();
            assertThat(db.versions()).isEmpty();
            b.rollback();
            assertThat(db.snapshot()).containsExactlyElementsOf(before);
        }
    }

    /** alter_column's new key, on the shadow column, keeps its match type and actions through the swap. */
    @ParameterizedTest
    @MethodSource(Servers.MATRIX)
    void alterColumnsReferencesKeepItsOptionsThroughTheSwap(Supplier<TestDb> server) throws Exception {
        Assumptions.assumeFalse(mariaDb(server), "MariaDB refuses references on alter_column");
        new Scenario(server, """
                operations:
                  - alter_column: {table: orders, column: user_id, type: bigint,
                                   references: {table: users, columns: [id], on_update: restrict, match_type: full}}
                """, SETUP).completes(v -> {
            assertThatThrownBy(() -> v.old("UPDATE users SET id = 20 WHERE id = 2")).hasMessageContaining("fkey");
        }, v -> {
            assertThat(rules(v.db(), "orders_user_id_fkey")).isEqualTo("RESTRICT NO ACTION FULL");
            assertThatThrownBy(() -> v.neu("UPDATE users SET id = 20 WHERE id = 2")).hasMessageContaining("orders_user_id_fkey");
        });
    }

    /**
     * An on_update that writes (CASCADE, SET NULL, SET DEFAULT) would change the shadow column alone
     * while both versions are live: refused at plan time, nothing changed.
     */
    @ParameterizedTest
    @MethodSource(Servers.MATRIX)
    void alterColumnRefusesAnOnUpdateThatWritesTheShadowAlone(Supplier<TestDb> server) throws Exception {
        Assumptions.assumeFalse(mariaDb(server), "MariaDB refuses references on alter_column");
        try (TestDb db = server.get()) {
            db.exec(SETUP);
            List<String> before = db.snapshot();
            Bascule b = db.bascule().load();
            assertThatThrownBy(() -> b.start(Scenario.migration("""
                    operations:
                      - alter_column: {table: orders, column: user_id, type: bigint,
                                       references: {table: users, columns: [id], on_update: cascade}}
                    """))).isInstanceOf(InvalidMigrationException.class)
                    .hasMessageContaining("references.on_update: on_update CASCADE would write the new column only");
            assertThat(db.snapshot()).containsExactlyElementsOf(before);
        }
    }
}
