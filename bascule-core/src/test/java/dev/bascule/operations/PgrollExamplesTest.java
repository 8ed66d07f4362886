package dev.bascule.operations;

import dev.bascule.Bascule;
import dev.bascule.Migrations;
import dev.bascule.api.Migration;
import dev.bascule.testing.CatalogSnapshot;
import dev.bascule.testing.Server;
import dev.bascule.testing.TestDb;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * pgroll's example migrations (test resources {@code pgroll-examples/}, translated from pgroll's
 * {@code examples/}, see the NOTICE there) replayed in order on one database of the test's own, as
 * pgroll's own suite replays them: each is started, written and read through the old and the new
 * version ({@code probes.txt}), rolled back (the catalog must be as before start), started again,
 * probed again and completed; the next one starts from there. Every example is expected to pass,
 * those translated in part included.
 *
 * <p>The first lines of each file say whether it is translated in full or in part, and why; a
 * {@code # needs: FEATURE} line marks an example that a field Bascule does not read yet keeps in
 * part. Its full translation is in {@code needs/}: it must still be refused by the reader, and the
 * number of such pending examples must be {@link #PENDING}. When a feature lands and its variant
 * reads, this test fails: make the variant the example's file (and its successors' names, where a
 * later example drops the constraint it names), and lower the count.
 */
class PgrollExamplesTest {
    private static final String DIR = "pgroll-examples";
    /** Examples translated in part for want of a feature other helpers are adding (see each file's needs: lines). */
    private static final int PENDING = 16;
    private static final int EXAMPLES = 56;

    record Example(String file, String name, boolean full, List<String> needs, Set<String> forcedGates) {}

    record Probe(List<String> seed, List<String> old, List<String> neu, List<String[]> newFails,
                 List<String[]> oldReads, List<String[]> newReads, List<String> same, List<String> hidden,
                 List<String> after, List<String[]> done) {
        static Probe empty() {
            return new Probe(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>(),
                    new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        }
    }

    @Test
    void replaysPgrollExamples() throws Exception {
        List<Example> examples = examples();
        Map<String, Probe> probes = probes();
        assertThat(examples).hasSize(EXAMPLES);
        assertThat(probes.keySet()).containsExactlyElementsOf(examples.stream().map(Example::name).toList());

        Map<String, String> results = new LinkedHashMap<>();
        long began = System.nanoTime();
        try (TestDb db = Server.POSTGRESQL.get()) {
            Bascule b = db.bascule().quietTime(Duration.ZERO).load();
            b.baseline();
            String oldVersion = b.latest();
            for (Example e : examples) {
                try {
                    Migration m = Migrations.fromResource(DIR + "/" + e.file());
                    replay(db, b, m, e, probes.get(e.name()), oldVersion, db.name() + "_" + m.name());
                    results.put(e.name(), "pass");
                } catch (Exception | AssertionError failure) {
                    results.put(e.name(), "FAIL " + oneLine(failure));
                    try {
                        b.rollback();
                    } catch (RuntimeException nothingStarted) {
                        // the failure left no migration under way
                    }
                }
                oldVersion = b.latest();
            }
        }
        long seconds = Duration.ofNanos(System.nanoTime() - began).toSeconds();

        Map<String, Integer> byFeature = new TreeMap<>();
        StringBuilder report = new StringBuilder("pgroll examples, replayed in " + seconds + " s:\n");
        for (Example e : examples) {
            report.append(String.format("  %-52s %-4s %s%n", e.name(), e.full() ? "full" : "part", results.get(e.name())));
            for (String need : e.needs()) {
                report.append(String.format("  %-52s      pending: needs %s%n", "", need));
                byFeature.merge(need, 1, Integer::sum);
            }
            if (!e.needs().isEmpty()) {
                report.append(String.format("  %-52s      needs/%s: %s%n", "", e.file(), readerRefusal(DIR + "/needs/" + e.file())));
            }
        }
        long passing = results.values().stream().filter("pass"::equals).count();
        long full = examples.stream().filter(Example::full).count();
        List<String> pending = examples.stream().filter(e -> !e.needs().isEmpty()).map(Example::name).toList();
        report.append(String.format("passing %d of %d; translated in full %d, in part %d; pending %d: %s%n",
                passing, examples.size(), full, examples.size() - full, pending.size(), pending));
        report.append("pending by feature: ").append(byFeature).append('\n');
        System.out.print(report);

        assertThat(results).as(report.toString()).allSatisfy((name, result) -> assertThat(result).isEqualTo("pass"));
        assertThat(pending).as("examples pending a feature (each file's needs: lines)").hasSize(PENDING);
        for (String name : pending) {
            assertThat(readerRefusal(DIR + "/needs/" + name + ".yaml"))
                    .as("needs/%s.yaml now reads: its feature landed; make it the example's file and lower PENDING", name)
                    .isNotEqualTo("reads");
        }
    }

    /** start, probe, rollback (catalog as before), start, probe, complete, final checks. */
    private static void replay(TestDb db, Bascule b, Migration m, Example e, Probe p, String oldVersion, String newVersion)
            throws Exception {
        for (String sql : p.seed()) {
            exec(db, oldVersion, sql, 0);
        }
        List<String> before = catalog(db);

        b.start(m);
        assertThat(b.latest()).as("version after start").isEqualTo(newVersion);
        probe(db, p, oldVersion, newVersion, 1);
        b.rollback();
        assertThat(b.latest()).as("version after rollback").isEqualTo(oldVersion);
        assertThat(db.versions()).as("version schemas after rollback").doesNotContain(newVersion);
        assertThat(catalog(db)).as("catalog after rollback").containsExactlyElementsOf(before);
        for (String[] read : p.oldReads()) {
            assertThat(value(db, oldVersion, read[0], 1)).as("after rollback, old: " + read[0]).isEqualTo(expand(read[1], db, 1));
        }

        b.start(m);
        probe(db, p, oldVersion, newVersion, 2);
        b.complete(e.forcedGates());
        assertThat(b.latest()).as("version after complete").isEqualTo(newVersion);
        assertThat(db.versions()).as("version schemas after complete").containsExactly(newVersion);
        for (String[] read : p.newReads()) {
            assertThat(value(db, newVersion, read[0], 2)).as("after complete, new: " + read[0]).isEqualTo(expand(read[1], db, 2));
        }
        for (String sql : p.after()) {
            exec(db, newVersion, sql, 2);
        }
        for (String[] read : p.done()) {
            assertThat(value(db, db.name(), read[0], 2)).as("after complete: " + read[0]).isEqualTo(expand(read[1], db, 2));
        }
    }

    /**
     * Writes through both versions, then reads through both, on one connection per version (closed
     * before complete, whose old_version_idle gate counts reads); every view of both versions must read.
     */
    private static void probe(TestDb db, Probe p, String oldVersion, String newVersion, int round) throws SQLException {
        try (Connection old = db.connect(oldVersion); Connection neu = db.connect(newVersion)) {
            for (String view : db.views(oldVersion)) {
                value(old, "SELECT count(*) FROM \"" + view + "\"");
            }
            for (String view : db.views(newVersion)) {
                value(neu, "SELECT count(*) FROM \"" + view + "\"");
            }
            for (String sql : p.old()) {
                exec(old, expand(sql, db, round));
            }
            for (String sql : p.neu()) {
                exec(neu, expand(sql, db, round));
            }
            for (String[] refused : p.newFails()) {
                String sql = expand(refused[0], db, round);
                String state = null;
                try {
                    exec(neu, sql);
                } catch (SQLException expected) {
                    state = expected.getSQLState() + " " + expected.getMessage().lines().findFirst().orElse("");
                }
                assertThat(state).as("round %d, the new version must refuse with SQLSTATE %s: %s", round, refused[1], sql)
                        .startsWith(refused[1] + " ");
            }
            for (String[] read : p.oldReads()) {
                assertThat(value(old, expand(read[0], db, round))).as("round %d, old: %s", round, read[0])
                        .isEqualTo(expand(read[1], db, round));
            }
            for (String[] read : p.newReads()) {
                assertThat(value(neu, expand(read[0], db, round))).as("round %d, new: %s", round, read[0])
                        .isEqualTo(expand(read[1], db, round));
            }
            for (String query : p.same()) {
                assertThat(value(neu, query)).as("round %d, same through both: %s", round, query).isEqualTo(value(old, query));
            }
        }
        for (String name : p.hidden()) {
            assertThat(db.views(newVersion)).as("round %d, views of the new version", round).doesNotContain(name);
        }
    }

    /** The failure's message on one line, cut at 400 characters. */
    private static String oneLine(Throwable failure) {
        String text = String.valueOf(failure.getMessage()).replaceAll("\\s+", " ").trim();
        return text.length() > 400 ? text.substring(0, 400) + "..." : text;
    }

    private static String expand(String text, TestDb db, int round) {
        return text.replace("{r}", Integer.toString(round)).replace("{schema}", db.name());
    }

    private static void exec(TestDb db, String version, String sql, int round) throws SQLException {
        try (Connection c = db.connect(version)) {
            exec(c, expand(sql, db, round));
        }
    }

    private static String value(TestDb db, String version, String query, int round) throws SQLException {
        try (Connection c = db.connect(version)) {
            return value(c, expand(query, db, round));
        }
    }

    private static void exec(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static String value(Connection c, String query) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    /** The base schema's catalog (tables, constraints, indexes, triggers, views, functions) without its data. */
    private static List<String> catalog(TestDb db) throws SQLException {
        try (Connection c = db.connect(db.name())) {
            return CatalogSnapshot.catalog(c, db.name(), db.stateSchema());
        }
    }

    /** Why the reader refuses {@code resource} (its message, without the file name), or {@code reads}. */
    private static String readerRefusal(String resource) {
        try {
            Migrations.fromResource(resource);
            return "reads";
        } catch (RuntimeException refused) {
            String message = oneLine(refused);
            return message.startsWith(resource + ":") ? "refused at " + message.substring(resource.length() + 1) : "refused: " + message;
        }
    }

    private static Path dir() {
        URL url = PgrollExamplesTest.class.getClassLoader().getResource(DIR);
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The examples in file order, with what each file's first comment lines say of its translation. */
    static List<Example> examples() throws IOException {
        List<Example> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir())) {
            for (Path f : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                String file = f.getFileName().toString();
                Boolean full = null;
                List<String> needs = new ArrayList<>();
                Set<String> gates = new java.util.TreeSet<>();
                for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
                    if (!line.startsWith("#")) {
                        break;
                    }
                    String text = line.substring(1).trim();
                    if (text.startsWith("translation:")) {
                        full = text.endsWith("full");
                    } else if (text.startsWith("needs:")) {
                        String need = text.substring("needs:".length());
                        needs.add((need.contains(";") ? need.substring(0, need.indexOf(';')) : need).trim());
                    } else if (text.startsWith("complete-force-gate:")) {
                        gates.add(text.substring("complete-force-gate:".length()).trim());
                    }
                }
                assertThat(full).as(file + " says whether it is translated in full or in part").isNotNull();
                out.add(new Example(file, file.substring(0, file.length() - ".yaml".length()), full, needs, gates));
            }
        }
        return out;
    }

    /** probes.txt, by example. */
    static Map<String, Probe> probes() throws IOException {
        Map<String, Probe> out = new LinkedHashMap<>();
        Probe current = null;
        for (String line : Files.readAllLines(dir().resolve("probes.txt"), StandardCharsets.UTF_8)) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("[")) {
                current = Probe.empty();
                out.put(line.substring(1, line.indexOf(']')), current);
                continue;
            }
            int colon = line.indexOf(' ');
            String kind = line.substring(0, colon);
            String rest = line.substring(colon + 1).trim();
            switch (kind) {
                case "seed:" -> current.seed().add(rest);
                case "old:" -> current.old().add(rest);
                case "new:" -> current.neu().add(rest);
                case "new!" -> current.newFails().add(read(rest));
                case "old?" -> current.oldReads().add(read(rest));
                case "new?" -> current.newReads().add(read(rest));
                case "same?" -> current.same().add(rest);
                case "hidden:" -> current.hidden().add(rest);
                case "after:" -> current.after().add(rest);
                case "done?" -> current.done().add(read(rest));
                default -> throw new UncheckedIOException(new IOException("probes.txt: unknown line " + line));
            }
        }
        return out;
    }

    private static String[] read(String text) {
        int arrow = text.lastIndexOf(" => ");
        return new String[] {text.substring(0, arrow), text.substring(arrow + 4)};
    }
}
