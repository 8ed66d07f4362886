package dev.bascule.test;

import dev.bascule.api.CompleteOutcome;
import dev.bascule.api.StartOutcome;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The extension on PostgreSQL: the migrations of src/test/resources/db/bascule, old code and new code during start. */
@BasculeTest(locations = "db/bascule")
class BasculeExtensionTest {

    static List<String> rows(Connection c, String query) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    @Test
    void oldAndNewCodeWorkSideBySideThenComplete(MigrationUnderTest m) throws SQLException {
        assertThat(m.files()).containsExactly("0001_users.yaml", "0002_users_full_name.yaml");
        assertThat(m.start("0002_users_full_name.yaml")).isEqualTo(StartOutcome.STARTED);
        try (Connection old = m.oldCode(); Connection neu = m.newCode(); Statement o = old.createStatement();
             Statement n = neu.createStatement()) {
            o.execute("INSERT INTO users (id, name, email) VALUES (1, 'Ada', 'ada@example.org')");
            n.execute("INSERT INTO users (id, full_name, email, email_domain) VALUES (2, 'Grace', 'grace@navy.mil', 'navy.mil')");
            // each release sees the other's rows in its own shape
            assertThat(rows(neu, "SELECT full_name || ' ' || email_domain FROM users ORDER BY id"))
                    .containsExactly("Ada example.org", "Grace navy.mil");
            assertThat(rows(old, "SELECT name FROM users ORDER BY id")).containsExactly("Ada", "Grace");
            assertThatThrownBy(() -> o.executeQuery("SELECT full_name FROM users")).isInstanceOf(SQLException.class);
        }
        assertThat(m.complete()).isEqualTo(CompleteOutcome.COMPLETED);
        try (Connection neu = m.newCode()) {
            assertThat(rows(neu, "SELECT email_domain FROM users ORDER BY id")).containsExactly("example.org", "navy.mil");
        }
    }

    @Test
    void rollbackRestoresTheSchema(MigrationUnderTest m) throws SQLException {
        m.start("0002_users_full_name.yaml");
        try (Connection neu = m.newCode(); Statement n = neu.createStatement()) {
            n.execute("INSERT INTO users (id, full_name, email, email_domain) VALUES (1, 'Ada', 'ada@example.org', 'example.org')");
        }
        m.assertRollbackRestores();
        try (Connection old = m.oldCode()) {
            assertThat(rows(old, "SELECT name FROM users")).containsExactly("Ada");
        }
    }

    @Test
    void aMigrationThatLeavesSomethingBehindFailsTheRollbackCheck(MigrationUnderTest m) {
        m.start("0002_users_full_name.yaml");
        // what a migration's missing down would leave: an object rollback does not drop
        m.exec("CREATE INDEX users_email_left_behind ON users (email)");
        assertThatThrownBy(m::assertRollbackRestores).isInstanceOf(AssertionError.class)
                .hasMessageContaining("users_email_left_behind");
    }

    @Test
    void migrateRunsTheWholeFolderAndAnUnknownFileIsNamed(MigrationUnderTest m) throws SQLException {
        assertThat(m.migrate()).hasSize(2);
        try (Connection neu = m.newCode()) {
            assertThat(rows(neu, "SELECT count(*) FROM users")).containsExactly("0");
        }
        assertThatThrownBy(() -> m.start("0009_nope.yaml")).hasMessageContaining("0009_nope.yaml");
    }
}
