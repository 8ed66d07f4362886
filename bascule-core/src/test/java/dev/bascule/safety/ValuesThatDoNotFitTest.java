package dev.bascule.safety;

import dev.bascule.testing.Servers;
import dev.bascule.testing.Scenario;
import dev.bascule.Bascule;
import dev.bascule.api.BasculeException;
import dev.bascule.api.RefusedException;
import dev.bascule.testing.TestDb;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static dev.bascule.testing.Scenario.migration;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * An alter_column whose new type cannot hold values the table already has (longer than the new
 * varchar, out of the new integer type's range) is refused before start changes anything: exit 3
 * with how many rows and a sample, instead of a backfill batch failing again and again in start.
 */
class ValuesThatDoNotFitTest {

    static final String[] BASE = {
            "CREATE TABLE items (id int PRIMARY KEY, name varchar(100), qty int, price numeric(10,2))",
            "INSERT INTO items VALUES (1, 'short', 5, 1.50), (2, 'a name much longer than twenty', 40000, 2.00),"
                    + " (3, 'another name longer than twenty', -40000, 3.00), (4, NULL, NULL, NULL)"};

    private static void refused(Supplier<TestDb> dialect, String alter, String... message) throws Exception {
        try (TestDb db = dialect.get()) {
            db.exec(BASE);
            List<String> before = db.snapshot();
            Bascule b = db.bascule().load();
            assertThatThrownBy(() -> b.start(migration("operations:\n  - alter_column: " + alter + "\n")))
                    .isInstanceOf(RefusedException.class)
                    .hasMessageContainingAll(message)
                    .satisfies(e -> assertThat(((BasculeException) e).exitCode()).isEqualTo(3));
            assertThat(db.snapshot()).containsExactlyElementsOf(before);
            assertThat(db.versions()).isEmpty();
        }
    }

    @ParameterizedTest
    @MethodSource(Servers.SUITE)
    void aShorterVarcharThanTheValuesIsRefused(Supplier<TestDb> db) throws Exception {
        refused(db, "{table: items, column: name, type: varchar(20)}",
                "operations[0].alter_column", "2 row(s) of items", "longer than 20", "id=2");
    }

    @ParameterizedTest
    @MethodSource(Servers.SUITE)
    void aShorterVarcharWithUpTheValuesIsRefused(Supplier<TestDb> db) throws Exception {
        refused(db, "{table: items, column: name, type: varchar(20), up: name, down: name}",
                "2 row(s) of items", "longer than 20");
    }

    @ParameterizedTest
    @MethodSource(Servers.SUITE)
    void aNarrowerIntegerThanTheValuesIsRefused(Supplier<TestDb> db) throws Exception {
        refused(db, "{table: items, column: qty, type: smallint}",
                "2 row(s) of items", "-32768..32767", "qty=40000");
    }

    @ParameterizedTest
    @MethodSource(Servers.SUITE)
    void aNarrowerDecimalThanTheValuesIsRefused(Supplier<TestDb> db) throws Exception {
        refused(db, "{table: items, column: qty, type: 'numeric(4,1)'}", "2 row(s) of items", "numeric(4,1)");
    }

    @ParameterizedTest
    @MethodSource(Servers.SUITE)
    void valuesThatFitStartAndComplete(Supplier<TestDb> dialect) throws Exception {
        try (TestDb db = dialect.get()) {
            db.exec(BASE);
            Bascule b = db.bascule().load();
            b.start(migration("operations:\n  - alter_column: {table: items, column: name, type: varchar(40)}\n"
                    + "  - alter_column: {table: items, column: price, type: 'numeric(4,2)'}\n"));
            b.complete(Set.of());
            assertThat(db.value("SELECT name FROM items WHERE id = 3")).isEqualTo("another name longer than twenty");
        }
    }

    /**
     * A value written by old code during start that the new varchar cannot hold is an error for
     * that write, as on MariaDB: PostgreSQL's explicit cast to varchar(n) would cut it short, and
     * the verifier, comparing with the same cast, would let complete keep the shortened value.
     */
    @ParameterizedTest
    @MethodSource(Servers.SUITE)
    void aLongerValueWrittenDuringStartIsAnErrorNotATruncation(Supplier<TestDb> dialect) throws Exception {
        try (TestDb db = dialect.get()) {
            db.exec("CREATE TABLE items (id int PRIMARY KEY, name varchar(100))", "INSERT INTO items VALUES (1, 'short')");
            Bascule b = db.bascule().load();
            b.start(migration("operations:\n  - alter_column: {table: items, column: name, type: varchar(20)}\n"));
            assertThatThrownBy(() -> db.exec("INSERT INTO items VALUES (2, 'a name much longer than twenty')"))
                    .hasMessageContaining("too long");
            db.exec("INSERT INTO items VALUES (3, 'fits')");
            b.complete(Set.of());
            assertThat(db.column("SELECT name FROM items ORDER BY id")).containsExactly("short", "fits");
        }
    }
}
