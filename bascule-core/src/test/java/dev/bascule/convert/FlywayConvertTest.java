package dev.bascule.convert;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import dev.bascule.Bascule;
import dev.bascule.Convert;
import dev.bascule.api.InputLimits;
import dev.bascule.api.Migration;
import dev.bascule.testing.Server;
import dev.bascule.testing.TestDb;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Flyway scripts converted to Bascule migrations: each valid against the JSON Schema and started and completed on PostgreSQL. */
class FlywayConvertTest {
    static final YAMLMapper YAML = new YAMLMapper();
    static JsonSchema schema;

    @BeforeAll
    static void loadSchema() throws Exception {
        if (schema != null) return;
        try (InputStream in = FlywayConvertTest.class.getResourceAsStream("/dev/bascule/bascule-migration.schema.json")) {
            schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
        }
    }

    static List<Path> flywayFolder() throws URISyntaxException, java.io.IOException {
        Path dir = Path.of(FlywayConvertTest.class.getResource("/convert/flyway").toURI());
        try (Stream<Path> files = Files.list(dir)) {
            return files.sorted(Comparator.comparingInt(p -> Integer.parseInt(p.getFileName().toString().replaceAll("^V(\\d+)__.*", "$1"))))
                    .toList();
        }
    }

    static JsonNode tree(String yaml) throws Exception {
        return YAML.readTree(yaml);
    }

    @Test
    void unquotedNamesAreFoldedAndQuotedOnesKeepTheirCase() throws Exception {
        JsonNode op = tree(Convert.text("V1__x.sql", "ALTER TABLE Users ADD COLUMN \"NickName\" Text").yaml()).get("operations").get(0);
        assertThat(op.get("add_column").get("table").asText()).isEqualTo("users");
        assertThat(op.get("add_column").get("column").get("name").asText()).isEqualTo("NickName");
        assertThat(op.get("add_column").get("column").get("type").asText()).isEqualTo("Text");
    }

    @Test
    void anUnnamedTableKeyTakesTheNamePostgresqlWouldGiveIt() throws Exception {
        JsonNode create = tree(Convert.text("V1__x.sql", "CREATE TABLE seats (id int PRIMARY KEY, row_no int, seat_no int, code text,"
                + " UNIQUE (row_no, seat_no), UNIQUE (code))").yaml()).get("operations").get(0).get("create_table");
        assertThat(create.get("constraints").get(0).get("name").asText()).isEqualTo("seats_row_no_seat_no_key");
        assertThat(create.get("columns").get(3).get("unique").asBoolean()).isTrue();
    }

    @Test
    void whatNoOperationFitsStaysSqlWithItsLintFindings() throws Exception {
        Convert.Result r = Convert.text("V3__x.sql", """
                CREATE INDEX users_lower_email ON users (lower(email));
                ALTER TABLE IF EXISTS users DROP COLUMN legacy;
                ALTER TABLE users ADD COLUMN score int NOT NULL;
                """);
        assertThat(r.operations()).isZero();
        assertThat(r.sqlSteps()).isEqualTo(3);
        assertThat(r.yaml()).contains("# lint index-not-concurrent").contains("CREATE INDEX users_lower_email ON users (lower(email))");
        assertThat(schema.validate(tree(r.yaml()))).isEmpty();
    }

    /** Scripts cut anywhere (a statement half written, a string or parenthesis left open) still convert to valid files. */
    @Test
    void everyPrefixOfEveryScriptConvertsToAFileTheReaderAccepts() throws Exception {
        int checked = 0;
        for (Path f : flywayFolder()) {
            String sql = Files.readString(f);
            for (int end = 0; end <= sql.length(); end += 3) {
                String cut = sql.substring(0, end);
                Convert.Result r = Convert.text(f.getFileName().toString(), cut);
                assertThat(schema.validate(tree(r.yaml()))).as(cut + "\n" + r.yaml()).isEmpty();
                dev.bascule.model.MigrationReader.read(r.name() + ".yaml", r.yaml().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(1000);
    }

    @Test
    void everyConvertibleStatementKindBecomesItsOperation() throws Exception {
        Set<String> kinds = new TreeSet<>();
        for (Path f : flywayFolder()) {
            Iterator<JsonNode> ops = tree(Convert.file(f, InputLimits.DEFAULT).yaml()).get("operations").elements();
            ops.forEachRemaining(op -> {
                String kind = op.fieldNames().next();
                kinds.add(kind);
                if (kind.equals("alter_column")) op.get(kind).fieldNames().forEachRemaining(k -> kinds.add("alter_column." + k));
                if (kind.equals("create_index") && op.get(kind).has("unique")) kinds.add("create_index.unique");
            });
        }
        assertThat(kinds).contains("create_table", "drop_table", "rename_table", "add_column", "drop_column", "rename_column",
                "alter_column.type", "alter_column.up", "alter_column.nullable", "alter_column.default", "create_index",
                "create_index.unique", "drop_index", "add_foreign_key", "add_check", "rename_constraint", "sql");
    }

    @Test
    void aFolderOfFlywayMigrationsConvertsToFilesThatPlanStartAndComplete(@TempDir Path out) throws Exception {
        List<Path> sources = flywayFolder();
        assertThat(sources).hasSizeGreaterThanOrEqualTo(20);
        List<Migration> migrations = new ArrayList<>();
        int operations = 0;
        int sql = 0;
        for (Path f : sources) {
            Convert.Result r = Convert.file(f, InputLimits.DEFAULT);
            assertThat(schema.validate(tree(r.yaml()))).as(f.getFileName() + "\n" + r.yaml()).isEmpty();
            Path yaml = out.resolve(r.name() + ".yaml");
            Files.writeString(yaml, r.yaml());
            migrations.add(Bascule.read(yaml));
            operations += r.operations();
            sql += r.sqlSteps();
        }
        try (TestDb db = Server.POSTGRESQL.get()) {
            // nothing reads through the old versions here: no quiet time to wait out at each complete
            Bascule b = db.bascule().quietTime(java.time.Duration.ZERO).load();
            b.init();
            for (int i = 0; i < migrations.size(); i++) {
                Migration m = migrations.get(i);
                String source = sources.get(i).getFileName() + "\n" + Files.readString(out.resolve(m.name() + ".yaml"));
                try {
                    assertThat(b.plan(m).start()).as(source).isNotEmpty();
                    b.start(m);
                    b.complete();
                } catch (RuntimeException e) {
                    throw new AssertionError(source, e);
                }
            }
            assertThat(db.column("SELECT table_name FROM information_schema.tables WHERE table_schema = '" + db.name()
                    + "' AND table_type = 'BASE TABLE' ORDER BY 1")).containsExactly("customers", "invoices", "order_lines", "orders", "products");
            assertThat(db.column("SELECT column_name FROM information_schema.columns WHERE table_schema = '" + db.name()
                    + "' AND table_name = 'customers' ORDER BY ordinal_position"))
                    .containsExactly("id", "email", "display_name", "created_at", "loyalty_points");
            assertThat(db.value("SELECT data_type FROM information_schema.columns WHERE table_schema = '" + db.name()
                    + "' AND table_name = 'order_lines' AND column_name = 'quantity'")).isEqualTo("bigint");
            assertThat(db.value("SELECT count(*) FROM order_lines")).isEqualTo("2");
            assertThat(db.value("SELECT count(*) FROM pg_constraint WHERE conname = 'orders_total_not_negative'")).isEqualTo("1");
        }
        System.out.printf("converted %d Flyway files: %d operations, %d statements kept as sql%n", sources.size(), operations, sql);
    }
}
