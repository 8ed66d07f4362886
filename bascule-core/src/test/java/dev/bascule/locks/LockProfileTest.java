package dev.bascule.locks;

import dev.bascule.testing.Scenario;
import dev.bascule.Bascule;
import dev.bascule.api.BasculeListener;
import dev.bascule.command.Session;
import dev.bascule.testing.TestSchema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Records, through pg_locks, the strongest lock each operation's start and complete take on the
 * table, and for how long it is held. Written to target/lock-profile.md. The guarantee checked:
 * ACCESS EXCLUSIVE is only ever held briefly (no scan or rewrite under it).
 */
class LockProfileTest {
    static final List<String> MODES = List.of("AccessShareLock", "RowShareLock", "RowExclusiveLock",
            "ShareUpdateExclusiveLock", "ShareLock", "ShareRowExclusiveLock", "ExclusiveLock", "AccessExclusiveLock");
    static final Map<String, String> REPORT = new ConcurrentSkipListMap<>();
    static final int ROWS = 100_000;

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "add_column NOT NULL + up + unique | add_column: {table: big, column: {name: c, type: text, nullable: false, unique: true}, up: \"md5(payload)\"}",
            "add_column with constant default | add_column: {table: big, column: {name: c, type: int, nullable: false, default: '0'}}",
            "add_column with check and references | add_column: {table: big, column: {name: c, type: bigint, check: 'c > 0', references: {table: other}}}",
            "drop_column with down | drop_column: {table: big, column: payload, down: \"'p'\"}",
            "rename_column | rename_column: {table: big, from: payload, to: body}",
            "rename_table | rename_table: {from: big, to: huge}",
            "drop_table | drop_table: {name: big}",
            "create_index | create_index: {name: big_payload_idx, table: big, columns: [payload]}",
            "drop_index | drop_index: {name: big_n_idx}",
            "add_check | add_check: {table: big, name: big_n_positive, expression: 'n >= 0'}",
            "add_foreign_key | add_foreign_key: {table: big, columns: [n], references: {table: other}}",
            "drop_constraint | drop_constraint: {table: big, name: big_n_check}",
            "alter_column bigint primary key | alter_column: {table: big, column: id, type: bigint}",
            "alter_column type + NOT NULL | alter_column: {table: big, column: payload, type: varchar(64), nullable: false, up: \"coalesce(payload, '')\", down: payload}",
            "split_table | split_table: {from: big, into: [{name: big_payload, columns: [id, payload]}]}",
    })
    void locksAreBrief(String name, String operation) throws Exception {
        try (TestSchema s = new TestSchema()) {
            s.exec("CREATE TABLE other (id bigint PRIMARY KEY)", "INSERT INTO other SELECT g FROM generate_series(0, 10) g",
                    "CREATE TABLE big (id bigserial PRIMARY KEY, n int CONSTRAINT big_n_check CHECK (n >= 0), payload text)",
                    "INSERT INTO big (n, payload) SELECT g % 10, md5(g::text) FROM generate_series(1, " + ROWS + ") g",
                    "CREATE INDEX big_n_idx ON big (n)", "ANALYZE big");
            long oid = Long.parseLong(s.value("SELECT 'big'::regclass::oid"));
            Reported reported = new Reported();
            Bascule b = s.bascule().listener(reported).load();
            Profile start;
            try (Monitor m = new Monitor(s, oid)) {
                b.start(Scenario.migration("operations:\n  - " + operation + "\n"));
                start = m.profile().strongest(reported.strongest("start"));
            }
            Profile complete;
            try (Monitor m = new Monitor(s, oid)) {
                b.complete(Set.of());
                complete = m.profile().strongest(reported.strongest("complete")).strongest(reported.strongest("validate"));
            }
            REPORT.put(name, "| " + name + " | " + start + " | " + complete + " |");
            for (Profile p : List.of(start, complete)) {
                if (p.strongest.equals("AccessExclusiveLock")) {
                    assertThat(p.longestMillis).as("%s held ACCESS EXCLUSIVE", name).isLessThan(500);
                }
            }
        }
    }

    @AfterAll
    static void writeReport() throws Exception {
        List<String> lines = new ArrayList<>();
        lines.add("Strongest lock Bascule holds on the migrated table (" + ROWS + " rows) in each phase, and the longest it"
                + " holds it: from pg_locks read by each DDL transaction just before it commits (hold = first statement to"
                + " commit), and from polling pg_locks for the statements that run outside a transaction.");
        lines.add("");
        lines.add("| operation | start | complete |");
        lines.add("|---|---|---|");
        lines.addAll(REPORT.values());
        Path out = Path.of("target", "lock-profile.md");
        Files.createDirectories(out.getParent());
        Files.write(out, lines);
        lines.forEach(System.out::println);
    }

    /** Locks the steps report from pg_locks just before they commit: exact for brief DDL, which polling misses. */
    static final class Reported implements BasculeListener {
        final Map<String, Profile> byPhase = new ConcurrentSkipListMap<>();

        @Override
        public void locksHeld(String phase, String description, Map<String, String> locks, Duration held) {
            locks.forEach((table, mode) -> {
                if (table.equals("big") || table.equals("huge")) {
                    byPhase.merge(phase, new Profile(mode, held.toMillis()), Profile::strongest);
                }
            });
        }

        Profile strongest(String phase) {
            return byPhase.getOrDefault(phase, new Profile("", 0));
        }
    }

    record Profile(String strongest, long longestMillis) {
        Profile strongest(Profile other) {
            int a = MODES.indexOf(strongest);
            int b = MODES.indexOf(other.strongest);
            if (a != b) return a > b ? this : other;
            return new Profile(strongest, Math.max(longestMillis, other.longestMillis));
        }

        @Override
        public String toString() {
            return strongest.isEmpty() ? "none observed" : strongest.replace("Lock", "") + ", " + longestMillis + " ms";
        }
    }

    /** Polls pg_locks for locks Bascule's connections hold on one relation. */
    static final class Monitor extends Thread implements AutoCloseable {
        private final TestSchema schema;
        private final long oid;
        private final AtomicBoolean stop = new AtomicBoolean();
        private volatile String strongest = "";
        private volatile long longestNanos;
        private volatile Exception failure;

        Monitor(TestSchema schema, long oid) {
            this.schema = schema;
            this.oid = oid;
            start();
        }

        @Override
        public void run() {
            try (Connection c = schema.dataSource().getConnection();
                 PreparedStatement ps = c.prepareStatement("SELECT l.mode FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid"
                         + " WHERE a.application_name = ? AND l.locktype = 'relation' AND l.relation = ? AND l.granted")) {
                ps.setString(1, Session.APPLICATION_NAME);
                ps.setLong(2, oid);
                String heldMode = null;
                long heldSince = 0;
                while (!stop.get()) {
                    String top = null;
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            String mode = rs.getString(1);
                            if (top == null || MODES.indexOf(mode) > MODES.indexOf(top)) top = mode;
                        }
                    }
                    long now = System.nanoTime();
                    if (top != null && (strongest.isEmpty() || MODES.indexOf(top) > MODES.indexOf(strongest))) {
                        strongest = top;
                        longestNanos = 0;
                    }
                    if (top != null && top.equals(heldMode)) {
                        if (top.equals(strongest)) longestNanos = Math.max(longestNanos, now - heldSince);
                    } else {
                        heldMode = top;
                        heldSince = now;
                    }
                }
            } catch (Exception e) {
                failure = e;
            }
        }

        Profile profile() throws Exception {
            close();
            if (failure != null) throw failure;
            return new Profile(strongest, longestNanos / 1_000_000);
        }

        @Override
        public void close() throws InterruptedException {
            stop.set(true);
            join();
        }
    }
}
