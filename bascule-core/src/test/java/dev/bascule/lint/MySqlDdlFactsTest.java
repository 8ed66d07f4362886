package dev.bascule.lint;

import dev.bascule.lint.MySqlDdlFacts.Algorithm;
import dev.bascule.lint.MySqlDdlFacts.Column;
import dev.bascule.lint.MySqlDdlFacts.Facts;
import dev.bascule.lint.MySqlDdlFacts.Given;
import dev.bascule.lint.MySqlDdlFacts.Lock;
import dev.bascule.lint.MySqlDdlFacts.Server;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The online DDL table: algorithm, lock and rebuild of each statement on MySQL 8.0 (8.0.29+) and MariaDB 10.11. */
class MySqlDdlFactsTest {
    private static String show(Facts f) {
        return f.algorithm() + " " + f.lock() + (f.rebuildsTable() ? " rebuild" : "") + (f.refusal() != null ? " refused" : "");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '#', value = {
            // statement                                                        # MySQL 8.0.29+        # MariaDB 10.11
            "ALTER TABLE t ADD COLUMN c int                                     # INSTANT NONE         # INSTANT NONE",
            "ALTER TABLE t ADD COLUMN c int AFTER a                             # INSTANT NONE         # INSTANT NONE",
            "ALTER TABLE t ADD COLUMN c bigint NOT NULL AUTO_INCREMENT UNIQUE   # INPLACE SHARED rebuild # INPLACE SHARED rebuild",
            "ALTER TABLE t ADD COLUMN v int AS (a + 1) VIRTUAL                  # INSTANT NONE         # INSTANT NONE",
            "ALTER TABLE t ADD COLUMN s int AS (a + 1) STORED                   # COPY SHARED rebuild  # COPY SHARED rebuild",
            "ALTER TABLE t DROP COLUMN c                                        # INSTANT NONE         # INSTANT NONE",
            "ALTER TABLE t RENAME COLUMN a TO b                                 # INSTANT NONE         # INSTANT NONE",
            "ALTER TABLE t ALTER COLUMN a SET DEFAULT 5                         # INSTANT NONE         # INSTANT NONE",
            "ALTER TABLE t MODIFY a bigint                                      # COPY SHARED rebuild  # COPY SHARED rebuild",
            "ALTER TABLE t ADD INDEX ia (a)                                     # INPLACE NONE         # NOCOPY NONE",
            "CREATE UNIQUE INDEX ua ON t (a)                                    # INPLACE NONE         # NOCOPY NONE",
            "DROP INDEX ia ON t                                                 # INPLACE NONE         # NOCOPY NONE",
            "ALTER TABLE t RENAME INDEX ia TO ib                                # INPLACE NONE         # INSTANT NONE",
            "ALTER TABLE t ADD FULLTEXT INDEX fd (doc)                          # INPLACE SHARED rebuild # INPLACE SHARED rebuild",
            "ALTER TABLE t ADD SPATIAL INDEX sg (g)                             # INPLACE SHARED       # NOCOPY SHARED",
            "ALTER TABLE t ADD PRIMARY KEY (id)                                 # INPLACE NONE rebuild # INPLACE NONE rebuild",
            "ALTER TABLE t DROP PRIMARY KEY                                     # COPY SHARED rebuild  # COPY SHARED rebuild",
            "ALTER TABLE t DROP PRIMARY KEY, ADD PRIMARY KEY (id, a)            # INPLACE NONE rebuild # INPLACE NONE rebuild",
            "ALTER TABLE t ADD CONSTRAINT fk FOREIGN KEY (p_id) REFERENCES p (id) # COPY SHARED rebuild # COPY SHARED rebuild",
            "ALTER TABLE t DROP FOREIGN KEY fk                                  # INPLACE NONE         # INSTANT NONE",
            "ALTER TABLE t ADD CONSTRAINT ck CHECK (a > 0)                      # COPY SHARED rebuild  # COPY SHARED rebuild",
            "ALTER TABLE t CONVERT TO CHARACTER SET utf8mb4                     # COPY SHARED rebuild  # COPY SHARED rebuild",
            "ALTER TABLE t DEFAULT CHARSET=utf8mb4                              # INPLACE NONE rebuild # INSTANT NONE",
            "ALTER TABLE t ENGINE=InnoDB                                        # INPLACE NONE rebuild # INPLACE NONE rebuild",
            "OPTIMIZE TABLE t                                                   # INPLACE NONE rebuild # INPLACE NONE rebuild",
            "ALTER TABLE t AUTO_INCREMENT = 1000                                # INPLACE NONE         # INSTANT NONE",
            "RENAME TABLE t TO t_old, t_new TO t                                # INSTANT EXCLUSIVE    # INSTANT EXCLUSIVE",
            "ALTER TABLE t ADD COLUMN c int, ADD INDEX ic (c)                   # INPLACE NONE rebuild # INPLACE NONE rebuild",
            "ALTER TABLE t ADD COLUMN c int, ALGORITHM=INPLACE                  # INPLACE NONE rebuild # INSTANT NONE",
            "ALTER TABLE t ADD COLUMN c int, ALGORITHM=COPY                     # COPY SHARED rebuild  # COPY SHARED rebuild",
            "ALTER TABLE t MODIFY a bigint, ALGORITHM=INPLACE                   # COPY SHARED rebuild refused # COPY SHARED rebuild refused",
            "ALTER TABLE t ADD FULLTEXT INDEX fd (doc), LOCK=NONE               # INPLACE SHARED rebuild refused # INPLACE SHARED rebuild refused",
            "ALTER TABLE t ADD COLUMN c int, ALGORITHM=INSTANT, LOCK=NONE       # INSTANT NONE refused # INSTANT NONE",
            "ALTER TABLE t ADD INDEX ia (a), ALGORITHM=NOCOPY, LOCK=NONE        # INPLACE NONE refused # NOCOPY NONE",
    })
    void eachStatementOnEachServer(String statement, String mysql, String mariadb) {
        assertThat(show(MySqlDdlFacts.facts(statement, Server.MYSQL_8_0).orElseThrow())).as("MySQL: " + statement).isEqualTo(mysql.trim());
        assertThat(show(MySqlDdlFacts.facts(statement, Server.MARIADB_10_11).orElseThrow())).as("MariaDB: " + statement).isEqualTo(mariadb.trim());
    }

    @Test
    void olderServersRebuildForColumnsAddedAnywhereOrDropped() {
        Server mysql8028 = Server.parse("8.0.28");
        Server mariadb103 = Server.parse("10.3.39-MariaDB");
        assertThat(show(MySqlDdlFacts.facts("ALTER TABLE t ADD COLUMN c int FIRST", mysql8028).orElseThrow())).isEqualTo("INPLACE NONE rebuild");
        assertThat(show(MySqlDdlFacts.facts("ALTER TABLE t ADD COLUMN c int", mysql8028).orElseThrow())).isEqualTo("INSTANT NONE");
        assertThat(show(MySqlDdlFacts.facts("ALTER TABLE t DROP COLUMN c", mysql8028).orElseThrow())).isEqualTo("INPLACE NONE rebuild");
        assertThat(show(MySqlDdlFacts.facts("ALTER TABLE t ADD COLUMN c int AFTER a", mariadb103).orElseThrow())).isEqualTo("INPLACE NONE rebuild");
        assertThat(show(MySqlDdlFacts.facts("ALTER TABLE t ADD COLUMN c int", mariadb103).orElseThrow())).isEqualTo("INSTANT NONE");
    }

    @Test
    void serverVersionsAreParsed() {
        assertThat(Server.parse("10.11.19-MariaDB-0+deb12u1")).isEqualTo(new Server(Server.Product.MARIADB, 10, 11, 19));
        assertThat(Server.parse("8.0.36-28")).isEqualTo(new Server(Server.Product.MYSQL, 8, 0, 36));
        assertThat(Server.parse("8.0.36").atLeast(8, 0, 29)).isTrue();
    }

    @Test
    void modifyIsJudgedAgainstTheCurrentColumnWhenGiven() {
        Given given = new Given(Map.of(
                "name", new Column("varchar(50)", "utf8mb4", true),
                "code", new Column("varchar(20)", "utf8mb3", false),
                "status", new Column("enum('new','paid')", "utf8mb4", false),
                "n", new Column("int(11)", null, true)), true);
        // longer within one length byte (50 -> 60 characters of 4 bytes: 200 -> 240 bytes)
        assertThat(show(facts("ALTER TABLE t MODIFY name varchar(60)", Server.MYSQL_8_0, given))).isEqualTo("INPLACE NONE");
        assertThat(show(facts("ALTER TABLE t MODIFY name varchar(60)", Server.MARIADB_10_11, given))).isEqualTo("INSTANT NONE");
        // past 255 bytes the length takes 2 bytes: a copy
        assertThat(show(facts("ALTER TABLE t MODIFY name varchar(100)", Server.MARIADB_10_11, given))).isEqualTo("COPY SHARED rebuild");
        assertThat(show(facts("ALTER TABLE t MODIFY status enum('new','paid','refunded') NOT NULL", Server.MYSQL_8_0, given)))
                .isEqualTo("INSTANT NONE");
        assertThat(show(facts("ALTER TABLE t MODIFY status enum('paid','new') NOT NULL", Server.MARIADB_10_11, given)))
                .isEqualTo("COPY SHARED rebuild");
        assertThat(show(facts("ALTER TABLE t MODIFY n INT NOT NULL", Server.MARIADB_10_11, given))).isEqualTo("INPLACE NONE rebuild");
        assertThat(show(facts("ALTER TABLE t MODIFY n int COMMENT 'count'", Server.MYSQL_8_0, given))).isEqualTo("INSTANT NONE");
        assertThat(show(facts("ALTER TABLE t MODIFY code varchar(20) CHARACTER SET utf8mb4 NOT NULL", Server.MARIADB_10_11, given)))
                .isEqualTo("INSTANT NONE");
        assertThat(show(facts("ALTER TABLE t MODIFY code varchar(20) CHARACTER SET utf8mb4 NOT NULL", Server.MYSQL_8_0, given)))
                .isEqualTo("COPY SHARED rebuild");
        Facts unknown = MySqlDdlFacts.facts("ALTER TABLE t MODIFY name varchar(60)", Server.MYSQL_8_0).orElseThrow();
        assertThat(unknown.algorithm()).isEqualTo(Algorithm.COPY);
        assertThat(unknown.notes()).anyMatch(n -> n.contains("was not given"));
    }

    @Test
    void foreignKeysWithChecksOffAreInPlace() {
        Given off = new Given(Map.of(), false);
        String fk = "ALTER TABLE t ADD CONSTRAINT fk FOREIGN KEY (p_id) REFERENCES p (id), ALGORITHM=INPLACE, LOCK=NONE";
        assertThat(show(facts(fk, Server.MYSQL_8_0, off))).isEqualTo("INPLACE NONE");
        assertThat(show(facts(fk, Server.MARIADB_10_11, off))).isEqualTo("NOCOPY NONE"); // INPLACE asks for at least INPLACE
        assertThat(facts(fk, Server.MARIADB_10_11, Given.NOTHING).refusal()).contains("ALGORITHM=INPLACE");
    }

    @Test
    void mariaDb112AndLaterCopyWithoutBlockingWrites() {
        Server mariadb114 = Server.parse("11.4.5-MariaDB");
        String check = "ALTER TABLE t ADD CONSTRAINT ck CHECK (a > 0)";
        assertThat(show(facts(check, Server.MARIADB_10_11, Given.NOTHING))).isEqualTo("COPY SHARED rebuild");
        Facts online = facts(check, mariadb114, Given.NOTHING);
        assertThat(show(online)).isEqualTo("COPY NONE rebuild");
        // still a whole copy of the table: not what Bascule calls online
        assertThat(online.online()).isFalse();
        assertThat(online.notes()).anyMatch(n -> n.contains("11.2"));
        assertThat(show(facts(check + ", ALGORITHM=COPY, LOCK=NONE", mariadb114, Given.NOTHING))).isEqualTo("COPY NONE rebuild");
        assertThat(facts(check + ", ALGORITHM=COPY, LOCK=NONE", Server.MARIADB_10_11, Given.NOTHING).refusal()).contains("LOCK=SHARED");
        // what is not a copy keeps its lock: an AUTO_INCREMENT column blocks writes while it rebuilds
        assertThat(show(facts("ALTER TABLE t ADD COLUMN n BIGINT NOT NULL AUTO_INCREMENT UNIQUE", mariadb114, Given.NOTHING)))
                .isEqualTo(show(facts("ALTER TABLE t ADD COLUMN n BIGINT NOT NULL AUTO_INCREMENT UNIQUE", Server.MARIADB_10_11, Given.NOTHING)));
        // without a server the facts stay the worst of MySQL 8.0 and MariaDB 10.11
        assertThat(MySqlDdlFacts.facts(check).orElseThrow().lock()).isEqualTo(Lock.SHARED);
    }

    @Test
    void eitherServerTakesTheWorstOfBoth() {
        Facts f = MySqlDdlFacts.facts("ALTER TABLE t RENAME INDEX a TO b").orElseThrow();
        assertThat(f.algorithm()).isEqualTo(Algorithm.INPLACE);
        assertThat(f.lock()).isEqualTo(Lock.NONE);
        assertThat(f.online()).isTrue();
        assertThat(MySqlDdlFacts.facts("ALTER TABLE t ADD INDEX i (a), ALGORITHM=NOCOPY").orElseThrow().refusal()).startsWith("MySQL:");
        assertThat(MySqlDdlFacts.facts("ALTER TABLE t DROP PRIMARY KEY").orElseThrow().online()).isFalse();
    }

    @Test
    void statementsThatChangeNoExistingTableHaveNoFacts() {
        assertThat(MySqlDdlFacts.facts("CREATE TABLE t (id bigint PRIMARY KEY)")).isEmpty();
        assertThat(MySqlDdlFacts.facts("UPDATE t SET a = 1")).isEmpty();
        assertThat(MySqlDdlFacts.facts("-- ALTER TABLE t DROP PRIMARY KEY\nSELECT 1")).isEmpty();
    }

    private static Facts facts(String statement, Server server, Given given) {
        return MySqlDdlFacts.facts(statement, server, given).orElseThrow();
    }
}
