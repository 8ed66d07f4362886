package dev.bascule.operations;

import dev.bascule.testing.Scenario;
import dev.bascule.Bascule;
import dev.bascule.api.BackfillOptions;
import dev.bascule.testing.TestSchema;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random operation sequences on random data, reproducible from the seed. For each: start then
 * rollback gives back the catalog and data exactly; start then complete gives the schema and rows a
 * model of the operations computes in Java, independently of the database.
 * {@code -Dbascule.randomized.seeds=N} runs more seeds.
 */
class RandomizedMigrationTest {

    static LongStream seeds() {
        return LongStream.range(1, 1 + Long.getLong("bascule.randomized.seeds", 10));
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void rollbackRestoresAndCompleteGivesTheModel(long seed) throws Exception {
        Model model = new Model(new SplittableRandom(seed));
        String yaml = model.migration();
        try (TestSchema s = new TestSchema()) {
            model.create(s);
            List<String> before = Scenario.snapshot(s);
            Bascule b = s.bascule().backfill(BackfillOptions.defaults().withBatchSize(1 + (int) (seed * 37 % 90))).load();

            b.start(Scenario.migration(yaml));
            b.rollback();
            assertThat(Scenario.snapshot(s)).as("rollback of\n%s", yaml).containsExactlyElementsOf(before);

            b.start(Scenario.migration(yaml));
            assertThat(b.verify()).as(yaml).allMatch(r -> r.ok());
            b.complete(Set.of());
            Map<String, String> types = new TreeMap<>();
            for (String row : s.column("SELECT attname || ' ' || format_type(atttypid, atttypmod) FROM pg_attribute"
                    + " WHERE attrelid = '" + model.table + "'::regclass AND attnum > 0 AND NOT attisdropped")) {
                types.put(row.substring(0, row.indexOf(' ')), row.substring(row.indexOf(' ') + 1));
            }
            assertThat(types).as("columns after\n%s", yaml).isEqualTo(model.expectedTypes());
            for (Col col : model.columns.values()) {
                assertThat(s.value("SELECT string_agg(coalesce(" + col.name + "::text, 'NULL'), '|' ORDER BY id) FROM " + model.table))
                        .as("values of %s after\n%s", col.name, yaml).isEqualTo(model.expectedValues(col));
            }
        }
    }

    /** A column of the table as the migration leaves it; {@code value} computes it from an original row. */
    record Col(String name, String type, String original, java.util.function.Function<Map<String, Object>, Object> value) {}

    /** The table, the rows, the operations drawn, and what they must give. */
    static final class Model {
        final SplittableRandom random;
        String table = "t";
        final Map<String, String> originalTypes = new LinkedHashMap<>();
        final List<Map<String, Object>> rows = new ArrayList<>();
        /** Columns as new code sees them, in order. */
        final Map<String, Col> columns = new LinkedHashMap<>();
        final Set<String> touched = new java.util.HashSet<>(); // added or altered: no further alter or drop
        int names;

        Model(SplittableRandom random) {
            this.random = random;
            originalTypes.put("id", "integer");
            int ints = 1 + random.nextInt(3);
            int texts = 1 + random.nextInt(3);
            for (int i = 0; i < ints; i++) originalTypes.put("i" + i, "integer");
            for (int i = 0; i < texts; i++) originalTypes.put("s" + i, "text");
            int n = 20 + random.nextInt(400);
            for (int r = 1; r <= n; r++) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("id", (long) r);
                originalTypes.forEach((c, type) -> {
                    if (c.equals("id")) return;
                    boolean nul = random.nextInt(6) == 0;
                    row.put(c, nul ? null : type.equals("integer") ? (Object) (long) (random.nextInt(2000) - 1000) : word());
                });
                rows.add(row);
            }
            originalTypes.forEach((c, type) -> columns.put(c, new Col(c, type, c, row -> row.get(c))));
        }

        private String word() {
            StringBuilder sb = new StringBuilder();
            int len = 1 + random.nextInt(12);
            for (int i = 0; i < len; i++) {
                char base = random.nextBoolean() ? 'a' : 'A';
                sb.append((char) (base + random.nextInt(26)));
            }
            return sb.toString();
        }

        void create(TestSchema s) throws Exception {
            s.exec("CREATE TABLE t (" + originalTypes.entrySet().stream()
                    .map(e -> e.getKey() + " " + e.getValue() + (e.getKey().equals("id") ? " PRIMARY KEY" : ""))
                    .collect(Collectors.joining(", ")) + ")");
            List<String> cols = List.copyOf(originalTypes.keySet());
            try (Connection c = s.connect(s.name()); PreparedStatement ps = c.prepareStatement("INSERT INTO t ("
                    + String.join(", ", cols) + ") VALUES (" + cols.stream().map(x -> "?").collect(Collectors.joining(", ")) + ")")) {
                for (Map<String, Object> row : rows) {
                    for (int i = 0; i < cols.size(); i++) ps.setObject(i + 1, row.get(cols.get(i)));
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }

        /** Draws 1 to 5 operations, applying each to the model. */
        String migration() {
            StringBuilder yaml = new StringBuilder("operations:\n");
            int count = 1 + random.nextInt(5);
            for (int k = 0; k < count; k++) {
                String op = draw();
                if (op != null) yaml.append(op);
            }
            if (yaml.toString().equals("operations:\n")) {
                yaml.append(addColumn());
            }
            return yaml.toString();
        }

        private String draw() {
            return switch (random.nextInt(8)) {
                case 0 -> addColumn();
                case 1, 2 -> alterColumn();
                case 3 -> renameColumn();
                case 4 -> dropColumn();
                case 5 -> {
                    Col col = anyColumn();
                    if (col.original != null) touched.add(col.original); // an index built before an alter is refused
                    yield "  - create_index: {name: ix" + names++ + ", table: " + table + ", columns: [" + col.name + "]}\n";
                }
                case 6 -> {
                    String newName = "t" + names++;
                    String yaml = "  - rename_table: {from: " + table + ", to: " + newName + "}\n";
                    table = newName;
                    yield yaml;
                }
                default -> originalOf("integer").filter(c -> touched.add(c)) // a check on a column an alter swaps is refused
                        .map(c -> "  - add_check: {table: " + table + ", name: ck" + names++
                        + ", expression: \"" + c + " IS NULL OR " + c + " > -5000\"}\n").orElse(null);
            };
        }

        private Col anyColumn() {
            List<Col> all = List.copyOf(columns.values());
            return all.get(random.nextInt(all.size()));
        }

        /** An original column still there (by its original name, which up expressions use). */
        private java.util.Optional<String> originalOf(String type) {
            List<String> found = columns.values().stream().filter(c -> c.original != null && type.equals(originalTypes.get(c.original)))
                    .map(Col::original).toList();
            return found.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(found.get(random.nextInt(found.size())));
        }

        private String addColumn() {
            String name = "a" + names++;
            boolean number = random.nextBoolean();
            String source = originalOf(number ? "integer" : "text").orElse(null);
            if (source == null) {
                number = true;
                source = "id";
            }
            String from = source;
            touched.add(name);
            if (number) {
                columns.put(name, new Col(name, "bigint", null, row -> row.get(from) == null ? 0L : (Long) row.get(from) * 2));
                return "  - add_column: {table: " + table + ", column: {name: " + name + ", type: bigint, nullable: false},"
                        + " up: \"coalesce(" + from + ", 0) * 2\"}\n";
            }
            columns.put(name, new Col(name, "text", null, row -> row.get(from) == null ? null
                    : ((String) row.get(from)).toUpperCase(Locale.ROOT)));
            return "  - add_column: {table: " + table + ", column: {name: " + name + ", type: text}, up: \"upper(" + from + ")\"}\n";
        }

        private String alterColumn() {
            List<Col> candidates = columns.values().stream().filter(c -> c.original != null && !touched.contains(c.original)).toList();
            if (candidates.isEmpty()) return null;
            Col col = candidates.get(random.nextInt(candidates.size()));
            touched.add(col.original);
            String orig = col.original;
            if (orig.equals("id")) {
                columns.put(col.name, new Col(col.name, "bigint", orig, col.value));
                return "  - alter_column: {table: " + table + ", column: " + col.name + ", type: bigint}\n";
            }
            if (originalTypes.get(orig).equals("integer")) {
                if (random.nextBoolean()) {
                    columns.put(col.name, new Col(col.name, "bigint", orig, row -> row.get(orig) == null ? null : (Long) row.get(orig) + 1));
                    return "  - alter_column: {table: " + table + ", column: " + col.name + ", type: bigint, up: \"" + orig
                            + " + 1\", down: \"" + col.name + " - 1\"}\n";
                }
                columns.put(col.name, new Col(col.name, "integer", orig, row -> row.get(orig) == null ? -1L : row.get(orig)));
                return "  - alter_column: {table: " + table + ", column: " + col.name + ", nullable: false, up: \"coalesce("
                        + orig + ", -1)\", down: \"" + col.name + "\"}\n";
            }
            columns.put(col.name, new Col(col.name, "character varying(60)", orig, row -> row.get(orig) == null ? null
                    : ((String) row.get(orig)).toLowerCase(Locale.ROOT)));
            return "  - alter_column: {table: " + table + ", column: " + col.name + ", type: varchar(60), up: \"lower(" + orig
                    + ")\", down: \"" + col.name + "\"}\n";
        }

        private String renameColumn() {
            List<Col> candidates = columns.values().stream().filter(c -> !c.name.equals("id")).toList();
            if (candidates.isEmpty()) return null;
            Col col = candidates.get(random.nextInt(candidates.size()));
            String to = "r" + names++;
            Map<String, Col> renamed = new LinkedHashMap<>();
            columns.forEach((k, v) -> renamed.put(k.equals(col.name) ? to : k, k.equals(col.name) ? new Col(to, v.type, v.original, v.value) : v));
            columns.clear();
            columns.putAll(renamed);
            return "  - rename_column: {table: " + table + ", from: " + col.name + ", to: " + to + "}\n";
        }

        private String dropColumn() {
            List<Col> candidates = columns.values().stream()
                    .filter(c -> !c.name.equals("id") && c.original != null && !touched.contains(c.original)).toList();
            if (candidates.isEmpty()) return null;
            Col col = candidates.get(random.nextInt(candidates.size()));
            columns.remove(col.name);
            touched.add(col.original);
            return "  - drop_column: {table: " + table + ", column: " + col.name + "}\n";
        }

        Map<String, String> expectedTypes() {
            Map<String, String> types = new TreeMap<>();
            columns.values().forEach(c -> types.put(c.name, c.type));
            return types;
        }

        String expectedValues(Col col) {
            return rows.stream().map(r -> {
                Object v = col.value.apply(r);
                return v == null ? "NULL" : v.toString();
            }).collect(Collectors.joining("|"));
        }
    }
}
