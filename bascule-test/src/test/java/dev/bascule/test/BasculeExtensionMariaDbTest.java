package dev.bascule.test;

import dev.bascule.api.CompleteOutcome;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import static dev.bascule.test.BasculeExtensionTest.rows;
import static org.assertj.core.api.Assertions.assertThat;

/** The extension on MariaDB: the same folder, old code on the previous version database, new code on the new one. */
@BasculeTest(locations = "classpath:db/bascule", server = TestServer.MARIADB)
class BasculeExtensionMariaDbTest {

    @Test
    void oldAndNewCodeWorkSideBySideThenComplete(MigrationUnderTest m) throws SQLException {
        m.start("0002_users_full_name.yaml");
        try (Connection old = m.oldCode(); Connection neu = m.newCode(); Statement o = old.createStatement();
             Statement n = neu.createStatement()) {
            o.execute("INSERT INTO users (id, name, email) VALUES (1, 'Ada', 'ada@example.org')");
            n.execute("INSERT INTO users (id, full_name, email, email_domain) VALUES (2, 'Grace', 'grace@navy.mil', 'navy.mil')");
            assertThat(rows(neu, "SELECT CONCAT(full_name, ' ', email_domain) FROM users ORDER BY id"))
                    .containsExactly("Ada example.org", "Grace navy.mil");
            assertThat(rows(old, "SELECT name FROM users ORDER BY id")).containsExactly("Ada", "Grace");
        }
        assertThat(m.complete()).isEqualTo(CompleteOutcome.COMPLETED);
    }

    @Test
    void rollbackRestoresTheSchema(MigrationUnderTest m) {
        m.start("0002_users_full_name.yaml");
        m.assertRollbackRestores();
    }
}
