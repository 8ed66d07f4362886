package dev.bascule.operations;

import dev.bascule.testing.Scenario;
import dev.bascule.testing.Server;
import dev.bascule.testing.Servers;
import dev.bascule.testing.TestDb;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * alter_column with {@code default: null}: the new version's column has no default. Old code keeps
 * the old default through the rollout (it writes the old column, which keeps it until the swap);
 * new code's inserts get NULL at once, and every insert does after complete.
 */
class DropDefaultTest {
    static final String MIGRATION = """
            operations:
              - alter_column: {table: users, column: status, default: null}
            """;

    static Scenario scenario(Supplier<TestDb> server) {
        String text = server instanceof Server srv && srv.dialect().equals("mariadb") ? "varchar(20)" : "text";
        return new Scenario(server, MIGRATION,
                "CREATE TABLE users (id int PRIMARY KEY, status " + text + " DEFAULT 'active', name varchar(20))",
                "INSERT INTO users (id, name) VALUES (1, 'a')");
    }

    @ParameterizedTest
    @MethodSource(Servers.MATRIX)
    void oldCodeKeepsTheDefaultUntilCompleteAndNewCodeGetsNull(Supplier<TestDb> server) throws Exception {
        scenario(server).completes(v -> {
            assertThat(v.newValue("SELECT status FROM users WHERE id = 1")).isEqualTo("active");
            v.old("INSERT INTO users (id, name) VALUES (2, 'old')");
            assertThat(v.oldValue("SELECT status FROM users WHERE id = 2")).isEqualTo("active");
            assertThat(v.newValue("SELECT status FROM users WHERE id = 2")).isEqualTo("active");
            v.neu("INSERT INTO users (id, name) VALUES (3, 'new')");
            assertThat(v.newValue("SELECT status FROM users WHERE id = 3")).isNull();
            assertThat(v.oldValue("SELECT status FROM users WHERE id = 3")).isNull();
        }, v -> {
            v.neu("INSERT INTO users (id, name) VALUES (4, 'after')");
            assertThat(v.newValue("SELECT status FROM users WHERE id = 4")).isNull();
            assertThat(v.newValue("SELECT count(*) FROM users WHERE status = 'active'")).isEqualTo("2");
        });
    }

    @ParameterizedTest
    @MethodSource(Servers.MATRIX)
    void rollbackKeepsTheDefault(Supplier<TestDb> server) throws Exception {
        scenario(server).rollsBack(v -> {
            v.neu("INSERT INTO users (id, name) VALUES (3, 'new')");
            assertThat(v.newValue("SELECT status FROM users WHERE id = 3")).isNull();
            v.neu("DELETE FROM users WHERE id = 3");
        });
    }
}
