package dev.bascule.command;

import dev.bascule.api.StartOutcome;
import dev.bascule.Bascule;
import dev.bascule.api.BasculeException;
import dev.bascule.dialect.mysql.MariaDbDialect;
import dev.bascule.testing.MariaDbServer;
import dev.bascule.testing.TestDb;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static dev.bascule.testing.Scenario.migration;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The session settings a command changes on MariaDB go back as it found them: foreign_key_checks is
 * never left off, even when the ALTER it was turned off for fails, and a pooled connection gets the
 * pool's own settings back, not the server's defaults.
 */
class MariaDbSessionSettingsTest {
    static final String USERS = "CREATE TABLE users (id int PRIMARY KEY, name varchar(50) NOT NULL, email varchar(100) NOT NULL)";
    static final String ORDERS = "CREATE TABLE orders (id int PRIMARY KEY, user_id int, note varchar(20))";
    static final String ADD_FK = "operations:\n  - add_foreign_key: {table: orders, name: orders_user_fk, columns: [user_id],"
            + " references: {table: users, columns: [id]}}\n";

    @Test
    void foreignKeyChecksAreNeverLeftOffOnAConnectionEvenWhenTheAlterFails() throws Exception {
        try (TestDb db = TestDb.mariadb()) {
            db.exec(USERS, "INSERT INTO users VALUES (1, 'ann', 'a@x.org')", ORDERS, "INSERT INTO orders VALUES (1, 1, 'a')");
            List<String> before = db.snapshot();
            List<String> atClose = java.util.Collections.synchronizedList(new ArrayList<>());
            javax.sql.DataSource watched = checkingOnClose(MariaDbServer.dataSource(), atClose);
            Bascule b = Bascule.configure().dataSource(watched).schema(db.name()).stateSchema(db.stateSchema())
                    .lockTimeout(Duration.ofMillis(500)).lockAttempts(2).load();
            try (Connection holder = db.connect(db.name())) {
                holder.setAutoCommit(false);
                db.exec(holder, "SELECT * FROM orders"); // a shared metadata lock: the ALTER gives up
                assertThatThrownBy(() -> b.start(migration(ADD_FK))).isInstanceOf(BasculeException.class)
                        .hasMessageContaining("add constraint orders_user_fk").hasMessageContaining("2 attempts");
                holder.rollback();
            }
            assertThat(atClose).hasSizeGreaterThanOrEqualTo(2).containsOnly("1");
            assertThat(db.snapshot()).noneMatch(line -> line.contains("orders_user_fk"));
            // the same connection, after an ALTER that failed under SET STATEMENT
            try (Connection c = db.connect(db.name())) {
                assertThatThrownBy(() -> db.exec(c, new MariaDbDialect().constraints().addForeignKeyNotValid(db.name(), "orders", "x_fk",
                        List.of("note"), new dev.bascule.api.ForeignKeyRef("users", List.of("name"), java.util.Optional.empty()))))
                        .hasMessageContaining("x_fk"); // users.name has no index: refused by the server
                try (Statement s = c.createStatement(); var rs = s.executeQuery("SELECT @@session.foreign_key_checks")) {
                    rs.next();
                    assertThat(rs.getInt(1)).isEqualTo(1);
                }
            }
            atClose.clear();
            assertThat(b.start(migration(ADD_FK))).isEqualTo(StartOutcome.STARTED);
            b.rollback();
            assertThat(atClose).isNotEmpty().containsOnly("1");
            assertThat(db.snapshot()).containsExactlyElementsOf(before);
        }
    }

    /** The real data source; each connection reports its session's foreign_key_checks as it is closed. */
    private static javax.sql.DataSource checkingOnClose(javax.sql.DataSource real, List<String> atClose) {
        return reportingOnClose(real, List.of(), "SELECT @@session.foreign_key_checks", atClose);
    }

    /**
     * The real data source, whose connections first run {@code init} (as a pool's own set-up would)
     * and report {@code query}'s value as they are closed.
     */
    private static javax.sql.DataSource reportingOnClose(javax.sql.DataSource real, List<String> init, String query,
                                                         List<String> atClose) {
        return (javax.sql.DataSource) java.lang.reflect.Proxy.newProxyInstance(MariaDbSessionSettingsTest.class.getClassLoader(),
                new Class<?>[]{javax.sql.DataSource.class}, (proxy, method, args) -> {
                    Object result = method.invoke(real, args);
                    if (!(result instanceof Connection c)) {
                        return result;
                    }
                    try (Statement s = c.createStatement()) {
                        for (String statement : init) {
                            s.execute(statement);
                        }
                    }
                    return java.lang.reflect.Proxy.newProxyInstance(MariaDbSessionSettingsTest.class.getClassLoader(),
                            new Class<?>[]{Connection.class}, (p, m, a) -> {
                                if (m.getName().equals("close") && !c.isClosed()) {
                                    try (Statement s = c.createStatement();
                                         var rs = s.executeQuery(query)) {
                                        rs.next();
                                        atClose.add(rs.getString(1));
                                    }
                                }
                                try {
                                    return m.invoke(c, a);
                                } catch (java.lang.reflect.InvocationTargetException e) {
                                    throw e.getCause();
                                }
                            });
                });
    }

    @Test
    void aPooledConnectionGetsItsOwnSessionSettingsBackNotTheServerDefaults() throws Exception {
        try (TestDb db = TestDb.mariadb()) {
            db.exec(USERS, "INSERT INTO users VALUES (1, 'ann', 'a@x.org'), (2, 'bob', 'b@x.org')");
            List<String> atClose = java.util.Collections.synchronizedList(new ArrayList<>());
            String own = "ANSI_QUOTES,STRICT_TRANS_TABLES|+03:00|600|READ-COMMITTED|7";
            javax.sql.DataSource pool = reportingOnClose(MariaDbServer.dataSource(), List.of(
                    "SET SESSION sql_mode = 'STRICT_TRANS_TABLES,ANSI_QUOTES'", "SET SESSION time_zone = '+03:00'",
                    "SET SESSION wait_timeout = 600", "SET SESSION tx_isolation = 'READ-COMMITTED'",
                    "SET SESSION innodb_lock_wait_timeout = 7"),
                    "SELECT CONCAT_WS('|', @@session.sql_mode, @@session.time_zone, @@session.wait_timeout,"
                            + " @@session.tx_isolation, @@session.innodb_lock_wait_timeout)", atClose);
            Bascule b = Bascule.configure().dataSource(pool).schema(db.name()).stateSchema(db.stateSchema()).load();
            b.start(migration("operations:\n  - add_column: {table: users, column: {name: email_lower, type: varchar(100)},"
                    + " up: \"lower(email)\"}\n"));
            b.complete(Set.of());
            // the control, work, backfill and monitor connections all went back as the pool set them up
            assertThat(atClose).hasSizeGreaterThanOrEqualTo(3).containsOnly(own);
        }
    }
}
