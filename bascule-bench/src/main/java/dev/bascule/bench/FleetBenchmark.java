package dev.bascule.bench;

import dev.bascule.Bascule;
import dev.bascule.Migrations;
import dev.bascule.api.Migration;
import dev.bascule.fleet.Fleet;
import dev.bascule.fleet.FleetJournal;
import dev.bascule.fleet.FleetMember;
import dev.bascule.fleet.FleetSpec;
import org.postgresql.ds.PGSimpleDataSource;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Fleet throughput against the members run one after another, side by side in one run: the same
 * members (PostgreSQL databases, or schemas of one database), the same migration ({@code add_column}
 * with a backfill), timed for {@code start}; each member is rolled back (untimed) before the next
 * run, and the order of the two runs alternates across rounds.
 *
 * <pre>
 * java -jar bascule-bench/target/bascule-bench.jar fleet --url 'jdbc:postgresql://127.0.0.1:5432/test?user=postgres' \
 *     --members 16 --rows 20000 --concurrency 4 --rounds 2
 * </pre>
 */
public final class FleetBenchmark {
    private static final String MIGRATION = """
            operations:
              - add_column:
                  table: users
                  column: {name: email_lower, type: text, nullable: false}
                  up: lower(email)
            """;

    private final String url;
    private final String kind;
    private final int members;
    private final long rows;
    private final int concurrency;
    private final String prefix = "bench_fleet_" + Long.toHexString(System.nanoTime() & 0xffffffL);
    private final PGSimpleDataSource admin = new PGSimpleDataSource();

    private FleetBenchmark(String url, String kind, int members, long rows, int concurrency) {
        this.url = url;
        this.kind = kind;
        this.members = members;
        this.rows = rows;
        this.concurrency = concurrency;
        admin.setUrl(url);
    }

    /** Runs the benchmark as {@code command} describes it; the report starts with the command that reproduces it. */
    static List<String> run(FleetCommand command) throws Exception {
        List<String> report = new ArrayList<>(Reproduce.header(command.spec));
        report.addAll(new FleetBenchmark(command.url, command.kind, command.members, command.rows, command.concurrency).run(command.rounds));
        return report;
    }

    private List<String> run(int rounds) throws Exception {
        List<FleetMember> fleet = create();
        Migration migration = Migrations.fromText("0001_email.yaml", MIGRATION);
        Map<String, Bascule> facades = new ConcurrentHashMap<>();
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "fleet benchmark: %d members (%s), %,d rows each, start of add_column with a backfill;"
                + " %d cores", members, kind, rows, Runtime.getRuntime().availableProcessors()));
        lines.add("");
        lines.add("| round | run | seconds | members a minute | vs one after another |");
        lines.add("|---|---|---|---|---|");
        double seqTotal = 0;
        double fleetTotal = 0;
        Path journal = Files.createTempFile("bascule-bench-fleet", ".journal.json");
        try {
            for (int round = 1; round <= rounds; round++) {
                double seq = 0;
                double par = 0;
                // alternate which runs first: a warm cache or a busy autovacuum favours neither
                for (boolean sequential : round % 2 == 1 ? new boolean[] {true, false} : new boolean[] {false, true}) {
                    long t0 = System.nanoTime();
                    if (sequential) {
                        for (FleetMember m : fleet) {
                            facade(facades, m).start(migration);
                        }
                    } else {
                        Files.deleteIfExists(journal);
                        FleetSpec spec = new FleetSpec(journal, fleet, null, concurrency, 1, null, 0, concurrency);
                        Fleet.Report r = new Fleet(spec, fleet, m -> facade(facades, m), FleetJournal.open(journal)).start(migration);
                        if (r.failures() > 0 || r.stopped()) {
                            throw new IllegalStateException("the fleet run failed: " + r.members());
                        }
                    }
                    double s = (System.nanoTime() - t0) / 1e9;
                    if (sequential) {
                        seq = s;
                    } else {
                        par = s;
                    }
                    for (FleetMember m : fleet) {
                        facade(facades, m).rollback(); // untimed: the next run starts from the same tables
                    }
                }
                seqTotal += seq;
                fleetTotal += par;
                lines.add(String.format(Locale.ROOT, "| %d | one after another | %.1f | %.0f | 1.00 |", round, seq, members * 60 / seq));
                lines.add(String.format(Locale.ROOT, "| %d | fleet, concurrency %d, canary 1 | %.1f | %.0f | %.2f |", round, concurrency, par,
                        members * 60 / par, seq / par));
            }
            lines.add(String.format(Locale.ROOT, "| all | one after another | %.1f | %.0f | 1.00 |", seqTotal, rounds * members * 60 / seqTotal));
            lines.add(String.format(Locale.ROOT, "| all | fleet, concurrency %d, canary 1 | %.1f | %.0f | %.2f |", concurrency, fleetTotal,
                    rounds * members * 60 / fleetTotal, seqTotal / fleetTotal));
        } finally {
            Files.deleteIfExists(journal);
            Files.deleteIfExists(journal.resolveSibling(journal.getFileName() + ".lock"));
            drop();
        }
        return lines;
    }

    private Bascule facade(Map<String, Bascule> facades, FleetMember m) {
        return facades.computeIfAbsent(m.name(), k -> {
            PGSimpleDataSource ds = new PGSimpleDataSource();
            ds.setUrl(url);
            if (m.schema() == null) {
                ds.setDatabaseName(m.name());
            }
            Bascule.Builder b = Bascule.configure().dataSource(ds);
            if (m.schema() != null) {
                b.schema(m.schema()).stateSchema(m.stateSchema());
            }
            return b.load();
        });
    }

    /** The members, each with a table of {@link #rows} rows. */
    private List<FleetMember> create() throws SQLException {
        List<FleetMember> out = new ArrayList<>();
        String base = url.replaceFirst("\\?.*$", "");
        for (int i = 0; i < members; i++) {
            String name = prefix + "_" + i;
            String fill = "INSERT INTO %s (name, email) SELECT 'n' || g, 'E' || g || '@X.org' FROM generate_series(1, " + rows + ") g";
            if (kind.equals("databases")) {
                exec(admin, "CREATE DATABASE " + name);
                PGSimpleDataSource ds = new PGSimpleDataSource();
                ds.setUrl(url);
                ds.setDatabaseName(name);
                exec(ds, "CREATE TABLE users (id bigserial PRIMARY KEY, name text, email text)", fill.formatted("users"));
                out.add(new FleetMember(name, base.substring(0, base.lastIndexOf('/') + 1) + name, null, null));
            } else {
                exec(admin, "CREATE SCHEMA " + name, "CREATE TABLE " + name + ".users (id bigserial PRIMARY KEY, name text, email text)",
                        fill.formatted(name + ".users"));
                out.add(new FleetMember(name, base, name, "bascule_" + name));
            }
        }
        return out;
    }

    private void drop() throws SQLException {
        for (int i = 0; i < members; i++) {
            String name = prefix + "_" + i;
            if (kind.equals("databases")) {
                exec(admin, "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            } else {
                exec(admin, "DROP SCHEMA IF EXISTS " + name + " CASCADE", "DROP SCHEMA IF EXISTS bascule_" + name + " CASCADE",
                        "DROP SCHEMA IF EXISTS " + name + "_0001_email CASCADE");
            }
        }
    }

    private static void exec(PGSimpleDataSource ds, String... sql) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            for (String x : sql) {
                s.execute(x);
            }
        }
    }
}
