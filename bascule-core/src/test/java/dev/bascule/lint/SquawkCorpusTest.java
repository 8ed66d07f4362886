package dev.bascule.lint;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * squawk's own rule tests (src/test/resources/lint/squawk, see its README.md and NOTICE), each labelled with the
 * Bascule rule it must trigger or must not: every case runs through the linter as its file, and the score is
 * printed. A case is {@code -- case: name}, then {@code -- expect: rule} or {@code -- expect: none rule}, and
 * optionally {@code -- with: transaction} (the tool wraps the file in a transaction, as Flyway does) and
 * {@code -- version: N} (the target PostgreSQL major version), then its SQL up to the next case.
 */
class SquawkCorpusTest {
    record Case(String file, String name, String rule, boolean positive, boolean transactional, int version, String sql) {}

    static List<Case> corpus() throws IOException, URISyntaxException {
        Path dir = Path.of(SquawkCorpusTest.class.getResource("/lint/squawk").toURI());
        List<Case> cases = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.toString().endsWith(".sql")).sorted().toList();
        }
        for (Path f : files) {
            String name = null;
            String rule = null;
            boolean positive = false;
            boolean transactional = false;
            int version = 0;
            StringBuilder sql = new StringBuilder();
            for (String line : (Files.readString(f, StandardCharsets.UTF_8) + "\n-- case: end").split("\n", -1)) {
                if (line.startsWith("-- case: ")) {
                    if (name != null) {
                        assertThat(rule).as(f.getFileName() + ": " + name + " has no expect line").isNotNull();
                        assertThat(Rule.valueOf(rule.toUpperCase().replace('-', '_'))).isNotNull();
                        cases.add(new Case(f.getFileName().toString(), name, rule, positive, transactional, version, sql.toString()));
                    }
                    name = line.substring(9).trim();
                    rule = null;
                    transactional = false;
                    version = 0;
                    sql.setLength(0);
                } else if (name != null && line.startsWith("-- expect: ")) {
                    String[] e = line.substring(11).trim().split("\\s+");
                    positive = !e[0].equals("none");
                    rule = positive ? e[0] : e[1];
                } else if (name != null && line.startsWith("-- with: transaction")) {
                    transactional = true;
                } else if (name != null && line.startsWith("-- version: ")) {
                    version = Integer.parseInt(line.substring(12).trim());
                } else if (name != null) {
                    sql.append(line).append('\n');
                }
            }
        }
        return cases;
    }

    @Test
    void everyCaseAsLabelled() throws Exception {
        List<Case> cases = corpus();
        int truePositives = 0;
        int trueNegatives = 0;
        List<String> misses = new ArrayList<>();
        List<String> falseAlarms = new ArrayList<>();
        for (Case c : cases) {
            Set<String> fired = Linter.script(c.file(), c.sql(), 1, c.transactional(), new LintSession(c.version())).stream()
                    .map(f -> f.rule().id()).collect(Collectors.toSet());
            boolean hit = fired.contains(c.rule());
            String where = c.file() + " / " + c.name() + " [" + c.rule() + "] fired: " + fired;
            if (Boolean.getBoolean("squawk.corpus.verbose")) System.out.println((c.positive() ? "+ " : "- ") + where);
            if (c.positive() && hit) truePositives++;
            else if (c.positive()) misses.add(where);
            else if (!hit) trueNegatives++;
            else falseAlarms.add(where);
        }
        System.out.printf("squawk corpus: %d cases (%d to trigger a rule, %d not to): %d true positives, %d misses,"
                        + " %d true negatives, %d false alarms%n", cases.size(), truePositives + misses.size(),
                trueNegatives + falseAlarms.size(), truePositives, misses.size(), trueNegatives, falseAlarms.size());
        misses.forEach(m -> System.out.println("  miss: " + m));
        falseAlarms.forEach(m -> System.out.println("  false alarm: " + m));
        assertThat(cases).hasSizeGreaterThan(200);
        assertThat(misses).as("misses").isEmpty();
        assertThat(falseAlarms).as("false alarms").isEmpty();
    }

    /** Cut anywhere (an unfinished statement, a file ending mid-clause), no case makes the linter fail. */
    @Test
    void everyCutOfEveryCaseLints() throws Exception {
        int cuts = 0;
        for (Case c : corpus()) {
            String sql = c.sql();
            for (int i = 0; i <= sql.length(); i++) {
                if (i == sql.length() || Character.isWhitespace(sql.charAt(i)) || sql.charAt(i) == '(' || sql.charAt(i) == ',') {
                    String cut = sql.substring(0, i);
                    assertThat(Linter.script(c.file(), cut, 1, c.transactional(), new LintSession(c.version()))).as(cut).isNotNull();
                    cuts++;
                }
            }
        }
        assertThat(cuts).isGreaterThan(1000);
    }
}
