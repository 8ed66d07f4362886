package dev.bascule.example.junit;

import dev.bascule.api.CompleteOutcome;
import dev.bascule.api.StartOutcome;
import dev.bascule.test.BasculeTest;
import dev.bascule.test.MigrationUnderTest;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The project's migrations (src/main/resources/db/bascule) are safe to deploy one release at a
 * time: while 0002 is started, release 1 (old code) and release 2 (new code) write and read the same
 * orders, each in its own shape; then 0002 completes, or rolls back leaving the schema as it was.
 */
@BasculeTest(locations = "classpath:db/bascule")
class OrdersMigrationTest {

    @Test
    void releaseOneAndReleaseTwoRunSideBySide(MigrationUnderTest migration) throws SQLException {
        assertThat(migration.start("0002_orders_cents.yaml")).isEqualTo(StartOutcome.STARTED);

        try (Connection releaseOne = migration.oldCode(); Connection releaseTwo = migration.newCode()) {
            // release 1's insert, unchanged: euros, no e-mail
            try (PreparedStatement ps = releaseOne.prepareStatement("INSERT INTO orders (id, customer, price) VALUES (?, ?, ?)")) {
                ps.setLong(1, 1);
                ps.setString(2, "Ada");
                ps.setBigDecimal(3, new java.math.BigDecimal("12.34"));
                ps.executeUpdate();
            }
            // release 2's insert: cents and an e-mail
            try (Statement s = releaseTwo.createStatement()) {
                s.executeUpdate("INSERT INTO orders (id, customer, price_cents, customer_email)"
                        + " VALUES (2, 'Grace', 999, 'grace@example.org')");
            }
            // each sees both orders, in its own units
            assertThat(column(releaseTwo, "SELECT price_cents FROM orders ORDER BY id")).containsExactly("1234", "999");
            assertThat(column(releaseOne, "SELECT price FROM orders ORDER BY id")).containsExactly("12.34", "9.99");
            // release 1 updates a price release 2 wrote; release 2 sees it in cents
            try (Statement s = releaseOne.createStatement()) {
                s.executeUpdate("UPDATE orders SET price = 10.50 WHERE id = 2");
            }
            assertThat(column(releaseTwo, "SELECT price_cents FROM orders WHERE id = 2")).containsExactly("1050");
        }

        assertThat(migration.complete()).isEqualTo(CompleteOutcome.COMPLETED);
        try (Connection releaseTwo = migration.newCode()) {
            assertThat(column(releaseTwo, "SELECT customer || ' ' || price_cents FROM orders ORDER BY id"))
                    .containsExactly("Ada 1234", "Grace 1050");
        }
    }

    @Test
    void rollingBackTwoLeavesReleaseOnesSchema(MigrationUnderTest migration) throws SQLException {
        migration.start("0002_orders_cents.yaml");
        try (Connection releaseTwo = migration.newCode(); Statement s = releaseTwo.createStatement()) {
            s.executeUpdate("INSERT INTO orders (id, customer, price_cents) VALUES (1, 'Ada', 500)");
        }
        migration.assertRollbackRestores();
        try (Connection releaseOne = migration.oldCode()) {
            assertThat(column(releaseOne, "SELECT price FROM orders")).containsExactly("5.00");
        }
    }

    private static List<String> column(Connection c, String query) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }
}
