package dev.bascule.faults;

import dev.bascule.Bascule;
import dev.bascule.testing.CatalogSnapshot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * One trial's schema: table {@code accounts} with {@link #rows} rows whose values
 * {@link ExpectedRows} knows, a state schema of its own, and the migration under test, which
 * touches every kind of start step: a NOT NULL column filled by {@code up}, a type change through a
 * shadow column, a rename, an index built concurrently. A second table and migration serve the
 * trial of two different migrations at once.
 */
final class AccountsFixture implements AutoCloseable {
    static final String MIGRATION = "0001_accounts_v2";
    static final String OTHER_MIGRATION = "0001_ledger_note";

    final TrialServer db;
    final String schema;
    final String stateSchema;
    final int rows;
    final Path migration;
    final Path otherMigration;
    final ExpectedRows expected = new ExpectedRows();

    AccountsFixture(TrialServer db, int rows, Path dir) throws SQLException, IOException {
        this.db = db;
        this.rows = rows;
        String id = UUID.randomUUID().toString().replace("-", "").substring(0, 10).toLowerCase(Locale.ROOT);
        this.schema = "f_" + id;
        this.stateSchema = "bascule_" + id;
        Path own = Files.createDirectories(dir.resolve(schema));
        this.migration = Files.writeString(own.resolve(MIGRATION + ".yaml"), """
                operations:
                  - add_column:
                      table: accounts
                      column: {name: email_lower, type: text, nullable: false}
                      up: lower(email)
                  - alter_column: {table: accounts, column: balance, type: bigint}
                  - rename_column: {table: accounts, from: name, to: full_name}
                  - create_index: {name: accounts_email_lower_idx, table: accounts, columns: [email_lower]}
                """);
        this.otherMigration = Files.writeString(own.resolve(OTHER_MIGRATION + ".yaml"), """
                operations:
                  - add_column:
                      table: ledger
                      column: {name: note_upper, type: text}
                      up: upper(note)
                """);
        db.exec("CREATE SCHEMA " + schema,
                "CREATE TABLE " + schema + ".accounts (id bigint PRIMARY KEY, email text NOT NULL, name text NOT NULL, balance int NOT NULL)",
                "INSERT INTO " + schema + ".accounts SELECT g, 'User' || g || '@Example.COM', 'n' || g, g * 7"
                        + " FROM generate_series(1, " + rows + ") g",
                "CREATE TABLE " + schema + ".ledger (id bigint PRIMARY KEY, note text)",
                "INSERT INTO " + schema + ".ledger SELECT g, 'note ' || g FROM generate_series(1, 2000) g",
                "ANALYZE " + schema + ".accounts");
        for (long i = 1; i <= rows; i++) {
            expected.loaded(i);
        }
    }

    String versionSchema() {
        return schema + "_" + MIGRATION;
    }

    /** The in-process Bascule a harness reruns commands with. */
    Bascule bascule() {
        return Bascule.configure().dataSource(db.dataSource()).schema(schema).stateSchema(stateSchema)
                .quietTime(Duration.ofSeconds(1)).load();
    }

    /** The catalog of the base and version schemas, named so that two fixtures compare equal; data left out. */
    List<String> catalog() throws SQLException {
        try (Connection c = db.dataSource().getConnection()) {
            return CatalogSnapshot.take(c, schema, stateSchema).stream()
                    .filter(l -> !l.startsWith("data "))
                    .map(l -> l.replace(stateSchema, "STATE").replace(schema, "S"))
                    .toList();
        }
    }

    @Override
    public void close() throws SQLException {
        db.exec("DROP SCHEMA IF EXISTS " + versionSchema() + " CASCADE",
                "DROP SCHEMA IF EXISTS " + schema + "_" + OTHER_MIGRATION + " CASCADE",
                "DROP SCHEMA IF EXISTS " + schema + " CASCADE",
                "DROP SCHEMA IF EXISTS " + stateSchema + " CASCADE");
    }
}
