package dev.bascule.operations;

import dev.bascule.Bascule;
import dev.bascule.api.RefusedException;
import dev.bascule.testing.Scenario;
import dev.bascule.testing.Server;
import dev.bascule.testing.Servers;
import dev.bascule.testing.TestDb;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * An up expression that changes from one call to the next: plan says so, naming the operation,
 * the field and the function, and the verified gate keeps refusing complete (it cannot tell such a
 * value from a lost write) until it is forced.
 */
class VolatileUpTest {

    @Test
    void onPostgresqlTheServerNamesAVolatileFunctionBasculeDoesNotKnow() throws Exception {
        try (TestDb db = Server.POSTGRESQL.get()) {
            db.exec("CREATE TABLE users (id int PRIMARY KEY, token text)",
                    "CREATE FUNCTION new_token() RETURNS text VOLATILE LANGUAGE sql AS $$ SELECT md5(random()::text) $$",
                    "CREATE FUNCTION same_token(t text) RETURNS text IMMUTABLE LANGUAGE sql AS $$ SELECT upper(t) $$");
            Bascule b = db.bascule().load();
            List<String> notes = b.plan(Scenario.migration("""
                    operations:
                      - alter_column: {table: users, column: token, type: varchar(64), up: "coalesce(token, new_token())"}
                    """)).notes();
            assertThat(notes).singleElement().asString()
                    .startsWith("operation 1 (alter_column) up calls new_token()")
                    .contains("verified gate");
            assertThat(b.plan(Scenario.migration("""
                    operations:
                      - alter_column: {table: users, column: token, type: varchar(64), up: "same_token(token)"}
                    """)).notes()).isEmpty();
        }
    }

    @ParameterizedTest
    @MethodSource(Servers.MATRIX)
    void theGateStillRefusesTheRowsUpFilledUntilItIsForced(Supplier<TestDb> server) throws Exception {
        boolean mariaDb = server instanceof Server srv && srv.dialect().equals("mariadb");
        try (TestDb db = server.get()) {
            db.exec("CREATE TABLE users (id int PRIMARY KEY, token varchar(40))",
                    "INSERT INTO users VALUES (1, NULL), (2, 'kept')");
            Bascule b = db.bascule().load();
            String yaml = "operations:\n  - alter_column: {table: users, column: token, type: varchar(64), up: \""
                    + (mariaDb ? "coalesce(token, concat('t', rand()))" : "coalesce(token, gen_random_uuid()::text)") + "\"}\n";
            assertThat(b.plan(Scenario.migration(yaml)).notes()).singleElement().asString()
                    .startsWith("operation 1 (alter_column) up calls " + (mariaDb ? "rand()" : "gen_random_uuid()"));
            b.start(Scenario.migration(yaml));
            assertThatThrownBy(() -> b.complete(Set.of())).isInstanceOf(RefusedException.class)
                    .hasMessageContaining("verified").hasMessageContaining("(1)");
            b.complete(Set.of("verified"));
            String version = Scenario.version(db);
            try (var c = db.connect(version); var s = c.createStatement();
                 var rs = s.executeQuery("SELECT count(*) FROM users WHERE token IS NOT NULL")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(2);
            }
        }
    }
}
