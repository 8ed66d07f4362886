package dev.bascule.operations;

import dev.bascule.Bascule;
import dev.bascule.api.ContractMode;
import dev.bascule.api.InvalidMigrationException;
import dev.bascule.api.RefusedException;
import dev.bascule.testing.Scenario;
import dev.bascule.testing.TestDb;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Set;

import static dev.bascule.testing.Scenario.migration;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A column made NOT NULL on MariaDB: at once when it has an implicit value, else at complete, which refuses a NULL first. */
class MariaDbNotNullTest {
    static final String USERS = "CREATE TABLE users (id int PRIMARY KEY, name varchar(50) NOT NULL, email varchar(100) NOT NULL)";

    @Test
    void completeRefusesANullInANotNullColumnAndChangesNothing() throws Exception {
        try (TestDb db = TestDb.mariadb()) {
            db.exec(USERS, "INSERT INTO users VALUES (1, 'ann', 'a@x.org')");
            Bascule b = db.bascule().load();
            b.start(migration("""
                    operations:
                      - add_column: {table: users, column: {name: nick, type: varchar(20), nullable: false}, up: "name"}
                      - add_column: {table: users, column: {name: seen, type: datetime, nullable: false}, up: "now()"}
                    """));
            String version = db.name() + "_" + Scenario.MIGRATION;
            try (Connection c = db.connect(version)) {
                // a column with an implicit value is NOT NULL from start on: new code's NULL is refused at once
                assertThatThrownBy(() -> db.exec(c, "INSERT INTO users (id, name, email, nick, seen) VALUES (2, 'bob',"
                        + " 'b@x.org', NULL, now())")).isInstanceOf(java.sql.SQLException.class);
                // a datetime has none: NOT NULL waits for complete, which finds the NULL first
                db.exec(c, "INSERT INTO users (id, name, email, nick, seen) VALUES (2, 'bob', 'b@x.org', 'b', NULL)");
            }
            List<String> before = db.snapshot();
            assertThatThrownBy(() -> b.complete(Set.of())).isInstanceOf(RefusedException.class).hasMessageContaining("NULL");
            assertThat(db.snapshot()).containsExactlyElementsOf(before);
            assertThatThrownBy(() -> b.complete(Set.of(), Set.of(), ContractMode.DEPRECATE))
                    .isInstanceOf(InvalidMigrationException.class).hasMessageContaining("--deprecate");
            try (Connection c = db.connect(version)) {
                db.exec(c, "UPDATE users SET seen = now() WHERE id = 2");
            }
            b.complete(Set.of());
            assertThat(db.column("SELECT IS_NULLABLE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE()"
                    + " AND TABLE_NAME = 'users' AND COLUMN_NAME IN ('nick', 'seen')")).containsExactly("NO", "NO");
        }
    }
}
