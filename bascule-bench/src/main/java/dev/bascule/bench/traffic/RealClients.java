package dev.bascule.bench.traffic;

import dev.bascule.Bascule;
import dev.bascule.Migrations;
import dev.bascule.api.BaselineOutcome;
import dev.bascule.api.Migration;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The traffic harness's real-client profile: applications as they really talk to the database,
 * through two consecutive migrations (add_column, then rename_column of it), each started and
 * completed while they run. Each group is {@link #CONNECTIONS} long-lived connections whose
 * statements are prepared on the server from their first execution (pgjdbc's
 * {@code prepareThreshold=1}; MariaDB Connector/J's {@code useServerPrepStmts=true}), looping over an
 * insert that asks for its generated keys ({@code RETURN_GENERATED_KEYS}: pgjdbc appends
 * {@code RETURNING *}) and a {@code SELECT *} of the row, as Hibernate does. Code on a version (the
 * baseline's, then each migration's) is deployed after each start and stopped before each
 * complete; code on the base tables runs throughout, one group per {@link Profile}.
 *
 * <pre>
 * java -jar bascule-bench/target/bascule-bench.jar traffic --profile real-clients \
 *     --url 'jdbc:postgresql://127.0.0.1:5432/test?user=postgres' --rows 1000 --phase-seconds 2
 * </pre>
 *
 * Shared with RealClientsTest, which asserts what the counts must be.
 */
public final class RealClients {
    public static final int CONNECTIONS = 4;
    public static final String TABLE = "CREATE TABLE accounts (id %s PRIMARY KEY, email VARCHAR(200) NOT NULL,"
            + " balance INT NOT NULL DEFAULT 0)";
    public static final Migration ADD = Migrations.fromText("m1_add.yaml",
            "name: m1_add\noperations:\n  - add_column: {table: accounts, column: {name: nickname, type: VARCHAR(100)}}\n");
    public static final Migration RENAME = Migrations.fromText("m2_rename.yaml",
            "name: m2_rename\noperations:\n  - rename_column: {table: accounts, from: nickname, to: display_name}\n");

    private RealClients() {}

    /** How the application's connections run their statements. */
    public enum Profile {
        /** As Spring and Hibernate do: each unit of work in a transaction of its own. */
        TRANSACTIONS,
        /** The same with pgjdbc's autosave=conservative. */
        TRANSACTIONS_AUTOSAVE,
        AUTOCOMMIT;

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT).replace('_', ' ');
        }
    }

    /** Opens one of the application's connections, on {@code version} (a version schema, or the base schema). */
    public interface Connector {
        Connection open(String version, Profile profile) throws SQLException;
    }

    /** pgjdbc with server-prepared statements from the first execution, on {@code search_path = version}. */
    public static Connector postgres(String url) {
        return (version, profile) -> {
            Connection c = DriverManager.getConnection(withParameters(url,
                    "prepareThreshold=1" + (profile == Profile.TRANSACTIONS_AUTOSAVE ? "&autosave=conservative" : "")));
            try (Statement s = c.createStatement()) {
                s.execute("SET search_path = \"" + version.replace("\"", "\"\"") + "\"");
            }
            return c;
        };
    }

    /**
     * Baseline, then the two migrations with clients running throughout: on the base tables (one
     * group per {@code baseProfiles}), and on a version, new code's group deployed after each start
     * and old code's stopped before each complete. Returns every group, stopped, by name, in the
     * order they were deployed.
     */
    public static Map<String, Group> run(Bascule b, String baseSchema, Connector connector, List<Profile> baseProfiles,
                                         Duration pause) throws Exception {
        if (b.baseline() != BaselineOutcome.BASELINED) {
            throw new IllegalStateException("the schema " + baseSchema + " was not baselined: it must be new to Bascule");
        }
        Map<String, Group> all = new LinkedHashMap<>();
        List<Group> base = new ArrayList<>();
        List<Group> running = new ArrayList<>();
        try {
            for (Profile profile : baseProfiles) {
                Group g = new Group("base tables, " + profile, connector, baseSchema, profile);
                base.add(g);
                running.add(g);
                all.put(g.name, g);
            }
            Group old = new Group("version " + b.latest(), connector, b.latest(), Profile.TRANSACTIONS);
            running.add(old);
            all.put(old.name, old);
            Thread.sleep(pause.toMillis());
            for (Migration m : List.of(ADD, RENAME)) {
                b.start(m);
                Thread.sleep(pause.toMillis());
                Group next = new Group("version " + b.latest(), connector, b.latest(), Profile.TRANSACTIONS);
                running.add(next);
                all.put(next.name, next);
                Thread.sleep(pause.toMillis());
                old.stop(); // deployed: old code is gone before complete drops its version
                b.complete(Set.of());
                Thread.sleep(pause.toMillis());
                old = next;
            }
        } finally {
            running.forEach(Group::stop);
        }
        return all;
    }

    /** The groups' counts as a Markdown table. */
    public static List<String> report(String server, Map<String, Group> groups) {
        List<String> lines = new ArrayList<>();
        lines.add("### Real clients (" + server + ")");
        lines.add("");
        lines.add("| clients | failed | operations | errors |");
        lines.add("|---|---:|---:|---|");
        groups.values().forEach(g -> lines.add("| " + g.name + " | " + g.failed.get() + " | " + g.ok.get() + " | "
                + (g.errors.isEmpty() ? "" : new TreeMap<>(g.errors).toString().replace("|", "\\|")) + " |"));
        return lines;
    }

    /**
     * {@code traffic --profile real-clients}: the profile on PostgreSQL, in a schema made for the
     * run (an {@code accounts} table of {@code --rows} rows) and dropped after it with Bascule's
     * state and version schemas; {@code --phase-seconds} is the pause between the steps, and
     * {@code --quiet-seconds} how long complete's gates watch for old code.
     */
    static List<String> runInOwnSchema(TrafficOptions options) throws Exception {
        String schema = "traffic_" + Long.toHexString(System.nanoTime() & 0xffffffL) + "_clients";
        String state = "bascule_" + schema;
        org.postgresql.ds.PGSimpleDataSource ds = new org.postgresql.ds.PGSimpleDataSource();
        ds.setUrl(options.url());
        List<String> versions = new ArrayList<>();
        try {
            String server;
            try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                s.execute("CREATE SCHEMA " + schema);
                s.execute("SET search_path = " + schema);
                s.execute(String.format(TABLE, "BIGSERIAL"));
                s.execute("INSERT INTO accounts (email) SELECT 'a' || g || '@x' FROM generate_series(1, " + options.rows() + ") g");
                try (ResultSet rs = s.executeQuery("SHOW server_version")) {
                    rs.next();
                    server = "PostgreSQL " + rs.getString(1) + ", pgjdbc " + org.postgresql.util.DriverInfo.DRIVER_VERSION
                            + ", prepareThreshold=1, " + Runtime.getRuntime().availableProcessors() + " cores";
                }
            }
            Bascule b = Bascule.configure().dataSource(ds).schema(schema).stateSchema(state).quietTime(options.quietTime()).listener(new dev.bascule.api.BasculeListener() {
                @Override
                public void stepFinished(String phase, int index, int total, String description, Duration took, boolean skipped) {
                    if (description.startsWith("create version schema ")) {
                        versions.add(description.substring("create version schema ".length()));
                    }
                }
            }).load();
            Map<String, Group> groups = run(b, schema, postgres(options.url()),
                    List.of(Profile.TRANSACTIONS, Profile.TRANSACTIONS_AUTOSAVE, Profile.AUTOCOMMIT), options.phase());
            versions.add(b.latest());
            return report(server, groups);
        } finally {
            try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                for (String v : versions) {
                    s.execute("DROP SCHEMA IF EXISTS \"" + v.replace("\"", "\"\"") + "\" CASCADE");
                }
                s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
                s.execute("DROP SCHEMA IF EXISTS " + state + " CASCADE");
            }
        }
    }

    public static String withParameters(String url, String parameters) {
        return url + (url.contains("?") ? "&" : "?") + parameters;
    }

    /** {@link #CONNECTIONS} connections, each its own thread, inserting and reading back until stopped. */
    public static final class Group {
        public final String name;
        public final AtomicLong ok = new AtomicLong();
        public final AtomicLong failed = new AtomicLong();
        public final Map<String, Integer> errors = new ConcurrentHashMap<>();
        private final List<Thread> threads = new ArrayList<>();
        private final List<Connection> connections = new ArrayList<>();
        private volatile boolean stopped;

        Group(String name, Connector connector, String version, Profile profile) throws SQLException {
            this.name = name;
            for (int i = 0; i < CONNECTIONS; i++) {
                Connection c = connector.open(version, profile);
                c.setAutoCommit(profile == Profile.AUTOCOMMIT);
                connections.add(c);
                Thread t = new Thread(() -> work(c), "client " + name + " " + i);
                t.setDaemon(true);
                threads.add(t);
                t.start();
            }
        }

        private void work(Connection c) {
            int n = 0;
            while (!stopped) {
                try {
                    long id;
                    // a statement object per operation, as an ORM makes them: the driver keeps the
                    // server-prepared statement of the same text on the connection
                    try (PreparedStatement insert = c.prepareStatement("INSERT INTO accounts (email) VALUES (?)",
                            Statement.RETURN_GENERATED_KEYS)) {
                        insert.setString(1, Thread.currentThread().getName().replace(' ', '_') + "_" + n++ + "@x");
                        insert.executeUpdate();
                        try (ResultSet keys = insert.getGeneratedKeys()) {
                            keys.next();
                            id = keys.getLong(1);
                        }
                    }
                    ok.incrementAndGet();
                    try (PreparedStatement select = c.prepareStatement("SELECT * FROM accounts WHERE id = ?")) {
                        select.setLong(1, id);
                        try (ResultSet rs = select.executeQuery()) {
                            if (!rs.next()) {
                                throw new SQLException("the row just inserted is not there: " + id);
                            }
                        }
                    }
                    if (!c.getAutoCommit()) {
                        c.commit();
                    }
                    ok.incrementAndGet();
                    Thread.sleep(5);
                } catch (SQLException e) {
                    failed.incrementAndGet();
                    try {
                        if (!c.getAutoCommit()) {
                            c.rollback();
                        }
                    } catch (SQLException ignored) {
                        // counted already
                    }
                    String message = String.valueOf(e.getMessage()).replaceFirst("^ERROR: ", "").lines().findFirst().orElse("");
                    errors.merge(message, 1, Integer::sum);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        /** Stops the group's clients and closes their connections (again: nothing). */
        public void stop() {
            stopped = true;
            for (Thread t : threads) {
                try {
                    t.join(10_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            for (Connection c : connections) {
                try {
                    c.close();
                } catch (SQLException ignored) {
                    // the outcome is in the counts
                }
            }
        }

        @Override
        public String toString() {
            return name + ": " + ok.get() + " operations ok, " + failed.get() + " failed " + new TreeMap<>(errors);
        }
    }
}
