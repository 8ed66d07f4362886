package dev.bascule.cli.fuzz;

import dev.bascule.cli.CliAccess;
import dev.bascule.sql.SqlSyntax;
import dev.bascule.model.Expressions;
import dev.bascule.testing.CatalogSnapshot;
import dev.bascule.testing.TestDb;
import dev.bascule.testing.MariaDbServer;
import dev.bascule.testing.TestSchema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Generated malformed and hostile migration files given to {@code bascule start}: each must be
 * exit 2 with a message naming the file, print no stack trace nor more than an excerpt of the file
 * (at most 4 000 characters in all), and change nothing in the database
 * (catalog compared after every file, state schema never created). 300 files in the default build;
 * {@code -Dbascule.fuzz.cases=N -Dbascule.fuzz.seed=S} for more, or another draw. The expression
 * families run on MariaDB too: 60 files, {@code -Dbascule.fuzz.mariadb.cases=N} for more.
 */
class HostileFilesTest {
    private static final int CASES = Integer.getInteger("bascule.fuzz.cases", 300);
    private static final long SEED = Long.getLong("bascule.fuzz.seed", 20261130L);
    private static final int MARIADB_CASES = Integer.getInteger("bascule.fuzz.mariadb.cases", 60);
    /** The longest output a refused file may give: errors quote at most an excerpt of the input. */
    private static final int MAX_OUTPUT = 4_000;

    static TestSchema schema;

    @TempDir
    Path dir;

    @BeforeAll
    static void createSchema() {
        schema = new TestSchema();
        schema.exec("CREATE TABLE users (id bigserial PRIMARY KEY, name text, email text)",
                "CREATE TABLE orders (id bigserial PRIMARY KEY, user_id bigint REFERENCES users, total int)",
                "INSERT INTO users (name, email) SELECT 'n' || g, 'e' || g || '@x' FROM generate_series(1, 100) g");
    }

    @AfterAll
    static void dropSchema() {
        schema.close();
    }

    @Test
    void everyHostileFileIsRefusedWithExit2AndNothingChanges() throws Exception {
        List<String> before = catalog();
        List<String> failures = new ArrayList<>();
        Map<String, Integer> kinds = new LinkedHashMap<>();
        for (HostileMigrations.Case c : new HostileMigrations(SEED).generate(CASES)) {
            Path file = dir.resolve(c.fileName());
            Files.write(file, c.content());
            CliAccess.Result r = CliAccess.run(schema, dir, "start", c.fileName());
            String output = r.out() + r.err();
            String problem = null;
            if (r.exit() != 2) {
                problem = "exit " + r.exit();
            } else if (!r.err().contains(c.fileName())) {
                problem = "the message does not name the file";
            } else if (output.contains("\tat ") || output.matches("(?s).*\\b(java|javax|com|org)\\.[a-z]+\\.[A-Za-z.]*(Exception|Error)\\b.*")) {
                problem = "a stack trace or exception class in the output";
            } else if (output.length() > MAX_OUTPUT) {
                problem = "an error of " + output.length() + " characters: it quotes more than an excerpt of the file";
            } else if (!catalog().equals(before)) {
                problem = "the catalog changed";
                before = catalog(); // report this case, and keep checking the next ones from here
            }
            kinds.merge(c.kind().replaceAll(" \\d+$", "").replaceAll(" in \\w+$", ""), 1, Integer::sum);
            if (problem != null) {
                failures.add(problem + " for " + c + "\n    -> " + abbreviate(output));
            }
            Files.delete(file);
        }
        System.out.printf("hostile files: %d (seed %d), refused as required: %d; by kind %s%n", CASES, SEED,
                CASES - failures.size(), kinds);
        assertThat(failures).as("cases that were not refused cleanly").isEmpty();
        assertThat(schema.value("SELECT to_regnamespace('" + schema.stateSchema() + "')")).as("no state schema").isNull();
    }

    /**
     * Every expression the two expression families can draw is refused by the text check of both
     * dialects, whatever the seed: a create_table default or check has no table to compile against
     * at plan, so the text check alone must refuse it there.
     */
    @Test
    void everyDrawableExpressionIsRefusedByBothDialectsTextCheck() {
        List<String> drawable = new ArrayList<>(HostileMigrations.LEXER_TRICKS);
        for (String opener : HostileMigrations.BREAKOUT_OPENERS) {
            for (String payload : HostileMigrations.BREAKOUT_PAYLOADS) {
                drawable.add(opener + payload);
            }
        }
        for (String valid : HostileMigrations.PLAIN_EXPRESSIONS) {
            for (String token : HostileMigrations.BREAKING_TOKENS) {
                for (int at = 0; at <= valid.length(); at++) {
                    drawable.add(valid.substring(0, at) + token + valid.substring(at));
                }
            }
        }
        for (SqlSyntax dialect : SqlSyntax.values()) {
            assertThat(drawable).as(dialect.label()).allSatisfy(e -> assertThat(Expressions.problem(e, dialect)).as(e).isPresent());
        }
    }

    /**
     * The expression families on MariaDB, whose lexer differs ({@code #} and {@code -- } comments,
     * backslash escapes, double-quoted strings, backticks, executable {@code /*!} comments): each file
     * exit 2, the database's tables, columns, triggers and rows unchanged, no state database created.
     */
    @Test
    void everyHostileExpressionIsRefusedOnMariaDb() throws Exception {
        try (TestDb db = TestDb.mariadb()) {
            db.exec("CREATE TABLE users (id bigint AUTO_INCREMENT PRIMARY KEY, name text, email text)",
                    "CREATE TABLE orders (id bigint AUTO_INCREMENT PRIMARY KEY, user_id bigint REFERENCES users (id), total int)",
                    "INSERT INTO users (name, email) SELECT concat('n', seq), concat('e', seq, '@x') FROM seq_1_to_100");
            List<String> globals = List.of("--url", MariaDbServer.jdbcUrl(), "--schema", db.name(), "--state-schema", db.stateSchema());
            List<String> before = db.snapshot();
            List<String> failures = new ArrayList<>();
            for (HostileMigrations.Case c : new HostileMigrations(SEED).generateExpressions(MARIADB_CASES)) {
                Path file = dir.resolve(c.fileName());
                Files.write(file, c.content());
                CliAccess.Result r = CliAccess.run(dir, globals, "start", c.fileName());
                String problem = r.exit() != 2 ? "exit " + r.exit()
                        : !r.err().contains(c.fileName()) ? "the message does not name the file"
                        : (r.out() + r.err()).length() > MAX_OUTPUT ? "an error of " + (r.out() + r.err()).length() + " characters"
                        : !db.snapshot().equals(before) ? "the database changed" : null;
                if (problem != null) {
                    failures.add(problem + " for " + c + "\n    -> " + abbreviate(r.out() + r.err()));
                    before = db.snapshot();
                }
                Files.delete(file);
            }
            System.out.printf("hostile expressions on MariaDB: %d (seed %d), refused as required: %d%n", MARIADB_CASES, SEED,
                    MARIADB_CASES - failures.size());
            assertThat(failures).as("cases that were not refused cleanly").isEmpty();
            assertThat(db.value("SELECT count(*) FROM information_schema.schemata WHERE schema_name = '" + db.stateSchema() + "'"))
                    .as("no state database").isEqualTo("0");
        }
    }

    /**
     * Valid files meeting objects named like Bascule's that it did not make (a schema with the
     * version's name, a trigger or function with its names, shadow-named columns and tables) or that
     * say another migration owns the table: each exit 2 or 3, naming the object, and nothing changed.
     */
    @Test
    void everyNameCollisionIsRefusedWithExit2Or3AndNothingChanges() throws Exception {
        List<String> failures = new ArrayList<>();
        int count = Math.max(27, CASES / 10);
        for (HostileMigrations.Collision c : new HostileMigrations(SEED).collisions(count, schema.name(), schema.stateSchema())) {
            schema.exec(c.setup().toArray(String[]::new));
            CliAccess.Result r = null;
            try {
                List<String> before = catalog();
                List<String> watched = c.watched() == null ? List.of() : catalog(c.watched());
                Path file = dir.resolve(c.fileName());
                Files.write(file, c.content());
                r = CliAccess.run(schema, dir, "start", c.fileName());
                String problem = null;
                if (r.exit() != 2 && r.exit() != 3) {
                    problem = "exit " + r.exit();
                } else if (!r.err().contains(c.expected())) {
                    problem = "the message does not name " + c.expected();
                } else if (!catalog().equals(before)) {
                    problem = "the catalog changed";
                } else if (c.watched() != null && !catalog(c.watched()).equals(watched)) {
                    problem = c.watched() + " changed";
                }
                if (problem != null) {
                    failures.add(problem + " for " + c + "\n    -> " + abbreviate(r.out() + r.err()));
                }
            } finally {
                if (r != null && r.exit() == 0) {
                    CliAccess.run(schema, dir, "rollback"); // not refused: undo it, so the next case starts clean
                }
                Files.deleteIfExists(dir.resolve(c.fileName()));
                schema.exec(c.cleanup().toArray(String[]::new));
            }
        }
        System.out.printf("name collisions: %d (seed %d), refused as required: %d%n", count, SEED, count - failures.size());
        assertThat(failures).as("collisions that were not refused cleanly").isEmpty();
    }

    private static List<String> catalog(String other) throws Exception {
        try (Connection c = schema.dataSource().getConnection()) {
            return CatalogSnapshot.take(c, other, schema.stateSchema());
        }
    }

    private static List<String> catalog() throws Exception {
        try (Connection c = schema.dataSource().getConnection()) {
            return CatalogSnapshot.take(c, schema.name(), schema.stateSchema());
        }
    }

    private static String abbreviate(String s) {
        String flat = s.replace("\n", " | ");
        return flat.length() <= 400 ? flat : flat.substring(0, 400) + "... (" + s.length() + " chars)";
    }
}
