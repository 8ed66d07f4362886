package dev.bascule.cli;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Progress output, password scrubbing and URL handling, without a database. */
class OutputTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final Secrets secrets = new Secrets();
    private final Io io = new Io(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(out, true, StandardCharsets.UTF_8));

    private String printed() {
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void withoutAConsoleBackfillProgressIsALogLineAtMostEveryTwoSecondsPlusOneAtTheEnd() {
        AtomicLong now = new AtomicLong();
        ProgressListener l = new ProgressListener(io, false, now::get);
        for (int i = 1; i <= 50; i++) {
            now.addAndGet(Duration.ofMillis(100).toNanos()); // 5 s in all
            l.backfill("users", i * 100L, 5000, 1000, Duration.ofSeconds(50 - i / 10), 100, "running");
        }
        l.backfill("users", 5000, 5000, 1000, Duration.ZERO, 100, "done");
        String text = printed();
        assertThat(text).doesNotContain("\r");
        assertThat(text.lines().toList()).hasSize(4) // at 0.1 s, 2.1 s, 4.1 s, and the end
                .allMatch(line -> line.startsWith("  backfill users: "));
        assertThat(text.lines().toList().get(0)).contains("100/5,000 rows (2%)", "1,000 rows/s", "ETA ");
        assertThat(text.lines().toList().get(3)).contains("5,000/5,000 rows (100%), done");
    }

    @Test
    void atAConsoleBackfillProgressIsOneLineRewrittenInPlace() {
        ProgressListener l = new ProgressListener(io, true, System::nanoTime);
        l.stepStarted("start", 4, 6, "backfill users", "ROW EXCLUSIVE");
        l.backfill("users", 1000, 3000, 5000.0, Duration.ofMillis(400), 1000, "running");
        l.backfill("users", 2000, 3000, 5000.0, Duration.ofMillis(200), 1000, "running");
        l.backfill("users", 3000, 3000, 5000.0, Duration.ZERO, 1000, "done");
        l.stepFinished("start", 4, 6, "backfill users", Duration.ofMillis(612), false);
        String text = printed();
        assertThat(text).contains("[start 4/6] backfill users (lock: ROW EXCLUSIVE)\n");
        assertThat(text).contains("\r  backfill users: 1,000/3,000 rows (33%), 5,000 rows/s, ETA 0:01, batch 1000");
        assertThat(text).contains("\r  backfill users: 3,000/3,000 rows (100%), done at 5,000 rows/s");
        assertThat(text).endsWith("\n[start 4/6] done in 612 ms\n");
        // String.lines() would split at \r too: a terminal line ends at \n only
        assertThat(java.util.Arrays.stream(text.split("\n")).filter(line -> line.contains("backfill users:")).count())
                .as("one terminal line").isEqualTo(1);
    }

    @Test
    void aMessageEndsAnOpenProgressLineFirst() {
        ProgressListener l = new ProgressListener(io, true, System::nanoTime);
        l.backfill("users", 10, 100, 5.0, null, 10, "running");
        l.lockRetry("add column users.x", 2, Duration.ofMillis(150));
        l.note("something");
        assertThat(printed()).contains("ETA ?, batch 10\n  lock busy: 'add column users.x'", "(attempt 2); retrying in 150 ms\nnote: something\n");
    }

    @Test
    void stepsShowLockAndDuration() {
        ProgressListener l = new ProgressListener(io, false);
        l.stepStarted("complete", 1, 2, "drop column users.legacy", "ACCESS EXCLUSIVE (brief)");
        l.stepFinished("complete", 1, 2, "drop column users.legacy", Duration.ofMillis(1500), false);
        l.stepStarted("complete", 2, 2, "validate c", null);
        l.stepFinished("complete", 2, 2, "validate c", Duration.ofMillis(3), true);
        assertThat(printed()).isEqualTo("""
                [complete 1/2] drop column users.legacy (lock: ACCESS EXCLUSIVE (brief))
                [complete 1/2] done in 1.5 s
                [complete 2/2] validate c (lock: none)
                [complete 2/2] already done, skipped in 3 ms
                """);
    }

    @Test
    void durationsAndEtas() {
        assertThat(Formats.duration(Duration.ofMillis(12))).isEqualTo("12 ms");
        assertThat(Formats.duration(Duration.ofSeconds(245))).isEqualTo("4m05s");
        assertThat(Formats.duration(Duration.ofMinutes(125))).isEqualTo("2h05m");
        assertThat(Formats.eta(Duration.ofSeconds(42))).isEqualTo("0:42");
        assertThat(Formats.eta(Duration.ofSeconds(3723))).isEqualTo("1:02:03");
        assertThat(Formats.eta(null)).isEqualTo("?");
        assertThat(Formats.percent(5, 0)).isEqualTo(100);
        assertThat(Formats.percent(120, 100)).isEqualTo(100);
    }

    @Test
    void passwordsAreScrubbed() {
        secrets.add("hunter22");
        assertThat(secrets.scrub("auth failed for hunter22 at jdbc:postgresql://h/db?user=u&password=other&ssl=true"))
                .isEqualTo("auth failed for *** at jdbc:postgresql://h/db?user=u&password=***&ssl=true");
        assertThat(secrets.scrub("postgres://u:pa55@host/db")).isEqualTo("postgres://u:***@host/db");
        // printed output is not searched for passwords: a schema named like the password stays readable
        io.out("latest: hunter22");
        assertThat(printed()).isEqualTo("latest: hunter22\n");
    }

    @Test
    void anErrorMasksPasswordsInTheDriversTextAndInUrlsOnly() {
        secrets.add("public");
        Exception driver = new java.sql.SQLException("FATAL: password public rejected for jdbc:postgresql://h/db?password=public");
        var error = new dev.bascule.api.BasculeException("schema public: plan failed: " + driver.getMessage(), driver);
        assertThat(secrets.scrubError(error))
                .isEqualTo("schema public: plan failed: FATAL: password *** rejected for jdbc:postgresql://h/db?password=***");
        assertThat(secrets.scrubError(new dev.bascule.api.InvalidMigrationException("schema public: see postgres://u:pw@h/db")))
                .isEqualTo("schema public: see postgres://u:***@h/db");
    }

    @Test
    void passwordsInRawArgumentsAreKnownBeforeParsing() {
        secrets.addFromArgs(new String[] {"--password", "a1", "--password=a2", "--passwd", "a3", "--pasword=a4", "--url", "u"});
        assertThat(secrets.scrub("a1 a2 a3 a4 u")).isEqualTo("*** *** *** *** u");
    }

    @Test
    void urls() {
        assertThat(DataSources.toJdbc("jdbc:postgresql://h:5433/db?sslmode=require", secrets))
                .isEqualTo("jdbc:postgresql://h:5433/db?sslmode=require");
        assertThat(DataSources.toJdbc("postgres://u:p%40ss@h:5433/db?sslmode=require", secrets))
                .isEqualTo("jdbc:postgresql://h:5433/db?sslmode=require&user=u&password=p%40ss");
        assertThat(secrets.scrub("p@ss")).isEqualTo("***");
        assertThat(DataSources.postgres("jdbc:postgresql://h/db?user=a&password=b", "c", null, secrets).getUser()).isEqualTo("c");
        assertThat(DataSources.toJdbc("jdbc:mariadb://h/db", secrets)).isEqualTo("jdbc:mariadb://h/db");
        assertThatThrownBy(() -> DataSources.toJdbc("jdbc:sqlserver://h", secrets)).hasMessageContaining("'sqlserver'");
        assertThatThrownBy(() -> DataSources.toJdbc("h:5432/db", secrets)).hasMessageContaining("not a JDBC URL");
    }
}
