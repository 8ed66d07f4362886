package dev.bascule.operations;

import dev.bascule.Bascule;
import dev.bascule.api.Migration;
import dev.bascule.model.MigrationReader;
import dev.bascule.testing.TestSchema;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class SmokeTest {
    @Test
    void renameAddNotNullAndIndex() throws Exception {
        try (TestSchema s = new TestSchema()) {
            s.exec("CREATE TABLE users (id bigserial PRIMARY KEY, name text, email text)",
                    "INSERT INTO users (name, email) SELECT 'n' || g, 'E' || g || '@X.org' FROM generate_series(1, 5000) g");
            Migration m = MigrationReader.read("0001_users.yaml", ("""
                    operations:
                      - rename_column: {table: users, from: name, to: full_name}
                      - add_column:
                          table: users
                          column: {name: email_lower, type: text, nullable: false}
                          up: lower(email)
                      - create_index: {name: users_email_lower_idx, table: users, columns: [email_lower]}
                    """).getBytes(StandardCharsets.UTF_8));
            Bascule b = s.bascule().load();
            b.start(m);
            String v = s.name() + "_0001_users";
            assertThat(b.latest()).isEqualTo(v);
            assertThat(s.value("SELECT email_lower FROM " + v + ".users WHERE id = 1")).isEqualTo("e1@x.org");
            assertThat(s.value("SELECT full_name FROM " + v + ".users WHERE id = 1")).isEqualTo("n1");
            // old code writes through the base schema, new code through the view
            s.exec("INSERT INTO users (name, email) VALUES ('old', 'OLD@X')");
            try (var c = s.connect(v + ", " + s.name()); var st = c.createStatement()) {
                st.execute("INSERT INTO users (full_name, email, email_lower) VALUES ('new', 'NEW@X', 'new@x')");
            }
            assertThat(s.value("SELECT email_lower FROM " + v + ".users WHERE full_name = 'old'")).isEqualTo("old@x");
            assertThat(s.value("SELECT name FROM users WHERE email = 'NEW@X'")).isEqualTo("new");
            b.complete(Set.of());
            assertThat(s.value("SELECT count(*) FROM users WHERE email_lower IS NULL")).isEqualTo("0");
            assertThat(s.value("SELECT attnotnull::text FROM pg_attribute WHERE attrelid = 'users'::regclass AND attname = 'email_lower'")).isEqualTo("true");
            assertThat(s.value("SELECT full_name FROM users WHERE id = 1")).isEqualTo("n1");
        }
    }
}
