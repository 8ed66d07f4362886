package dev.bascule.safety;

import dev.bascule.testing.Scenario;
import dev.bascule.Bascule;
import dev.bascule.api.RefusedException;
import dev.bascule.api.VerifyResult;
import dev.bascule.testing.TestSchema;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The verifier reads every row before complete; a row that breaks the migration's mapping blocks it. */
class VerifierTest {
    static final String ALTER = """
            operations:
              - alter_column:
                  table: users
                  column: email
                  type: varchar(100)
                  up: "lower(email)"
                  down: "email"
              - split_table:
                  from: users
                  into:
                    - {name: cities, columns: [id, city]}
            """;

    @Test
    void catchesACorruptedRowWithItsKeyAndBlocksComplete() throws Exception {
        try (TestSchema s = new TestSchema()) {
            s.exec("CREATE TABLE users (id int PRIMARY KEY, email text, city text)",
                    "INSERT INTO users SELECT g, 'U' || g || '@X.org', 'c' || g FROM generate_series(1, 25000) g");
            Bascule b = s.bascule().load();
            b.start(Scenario.migration(ALTER));
            assertThat(b.verify()).singleElement().satisfies(r -> {
                assertThat(r.ok()).isTrue();
                assertThat(r.rowsChecked()).isEqualTo(25000);
            });

            // writes that bypass the sync triggers, as a buggy script or a hand fix would
            s.exec("SET bascule.backfill = 'on'",
                    "UPDATE users SET _bascule_new_email = 'bogus' WHERE id = 17000",
                    "UPDATE cities SET city = 'elsewhere' WHERE id = 3");
            List<VerifyResult> results = b.verify();
            assertThat(results).singleElement().satisfies(r -> {
                assertThat(r.mismatched()).isEqualTo(2);
                assertThat(r.examples()).containsExactly("(3): part cities", "(17000): column email");
            });
            assertThatThrownBy(() -> b.complete(Set.of()))
                    .isInstanceOf(RefusedException.class)
                    .hasMessageContaining("verified: 2 of 25000 rows of users differ")
                    .hasMessageContaining("(17000): column email");

            // repaired by clearing the bad value and writing the row again through old code's trigger
            s.exec("SET bascule.backfill = 'on'", "UPDATE users SET _bascule_new_email = NULL WHERE id = 17000",
                    "RESET bascule.backfill", "UPDATE users SET email = email WHERE id IN (3, 17000)");
            assertThat(b.verify()).allMatch(VerifyResult::ok);
            b.complete(Set.of());
            assertThat(s.value("SELECT email FROM users WHERE id = 17000")).isEqualTo("u17000@x.org");
            assertThat(s.value("SELECT city FROM cities WHERE id = 3")).isEqualTo("c3");
        }
    }

    @Test
    void aRowNewCodeWroteCountsWhenDownGivesTheOldValue() throws Exception {
        try (TestSchema s = new TestSchema()) {
            s.exec("CREATE TABLE users (id int PRIMARY KEY, email text, city text)",
                    "INSERT INTO users SELECT g, 'U' || g || '@X.org', 'c' || g FROM generate_series(1, 10) g");
            Bascule b = s.bascule().load();
            b.start(Scenario.migration(ALTER));
            try (var c = s.connect(b.latest()); var st = c.createStatement()) {
                // lower(down(x)) = x does not hold for new code's mixed case: the down direction must count
                st.execute("UPDATE users SET email = 'Mixed@Case.org' WHERE id = 1");
                st.execute("INSERT INTO users (id, email) VALUES (11, 'Another@One.org')");
                st.execute("INSERT INTO cities VALUES (11, 'c11')");
            }
            assertThat(b.verify()).allMatch(VerifyResult::ok);
        }
    }
}
