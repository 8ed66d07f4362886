package dev.bascule.cli;

import dev.bascule.Bascule;
import dev.bascule.api.Excerpts;
import dev.bascule.api.BasculeException;
import dev.bascule.api.InvalidMigrationException;
import dev.bascule.api.BackfillOptions;
import dev.bascule.api.InputLimits;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;

import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;

/**
 * {@code bascule [global options] COMMAND [options]}.
 *
 * <p>Global options come from, in this order of precedence: the option, the environment
 * ({@code BASCULE_URL}, ...), the config file ({@code --config FILE}, else {@code ./bascule.yaml}),
 * the default. Exit codes: 0 done, 1 database or runtime failure, 2 invalid input, 3 refused.
 */
@Command(name = "bascule", mixinStandardHelpOptions = true, versionProvider = BasculeCli.Version.class,
        usageHelpAutoWidth = true, sortOptions = false,
        description = "Zero-downtime schema migrations for PostgreSQL and MariaDB with expand/contract:%n"
                + "start (expand + backfill), then complete (contract) or rollback.",
        subcommands = {InitCommand.class, BaselineCommand.class, PlanCommand.class, StartCommand.class, StatusCommand.class,
                PauseCommand.class, ResumeCommand.class, CompleteCommand.class, RollbackCommand.class,
                MigrateCommand.class, HistoryCommand.class, LatestCommand.class, VerifyCommand.class, LintCommand.class,
                PurgeCommand.class, RestoreCommand.class, ServeCommand.class, RehearseCommand.class, DemoCommand.class,
                FleetCommand.class, ConvertCommand.class, CompletionCommand.class, CommandLine.HelpCommand.class},
        footerHeading = "%nEnvironment and config:%n",
        footer = {"  BASCULE_URL, BASCULE_USER, BASCULE_PASSWORD, BASCULE_SCHEMA,",
                "  BASCULE_STATE_SCHEMA, BASCULE_LOCK_TIMEOUT, BASCULE_LOCK_ATTEMPTS,",
                "  BASCULE_CONFIG; or the keys url, user, password, schema, state_schema,",
                "  lock_timeout, lock_attempts in ./bascule.yaml (or --config FILE),",
                "  where 'notifications:' sets webhooks and commands run on events.",
                "  An option wins over the environment, which wins over the file.",
                "%nExit codes:",
                "  0  done",
                "  1  database or runtime failure (state left consistent; the message",
                "     says how to go on)",
                "  2  invalid input: bad file, option or name (nothing changed)",
                "  3  refused by a safety gate (rehearse: the rehearsal did not meet the guarantees)"})
public final class BasculeCli implements Callable<Integer> {
    static final String DEFAULT_STATE_SCHEMA = "bascule";
    static final long DEFAULT_LOCK_TIMEOUT_MS = 250;
    static final int DEFAULT_LOCK_ATTEMPTS = 10;

    // No defaultValue on the global options: an unset option must stay null so that the
    // environment and the config file can fill it (defaults are applied in resolve()).
    @Option(names = "--url", scope = ScopeType.INHERIT, paramLabel = "URL", order = 1,
            description = "JDBC URL of the database, jdbc:postgresql://HOST[:PORT]/DATABASE or jdbc:mariadb://HOST[:PORT]/DATABASE (env BASCULE_URL)")
    String url;

    @Option(names = "--user", scope = ScopeType.INHERIT, paramLabel = "USER", order = 2,
            description = "database user (env BASCULE_USER)")
    String user;

    @Option(names = "--password", scope = ScopeType.INHERIT, paramLabel = "PASSWORD", order = 3,
            description = "database password (env BASCULE_PASSWORD; prefer the environment or the config file,"
                    + " which other users cannot see in the process list)")
    String password;

    @Option(names = "--schema", scope = ScopeType.INHERIT, paramLabel = "SCHEMA", order = 4,
            description = "schema of the application's tables (env BASCULE_SCHEMA; default public,%n"
                    + "  on MariaDB/MySQL the URL's database)")
    String schema;

    @Option(names = "--state-schema", scope = ScopeType.INHERIT, paramLabel = "SCHEMA", order = 5,
            description = "schema where Bascule keeps its state (env BASCULE_STATE_SCHEMA; default bascule)")
    String stateSchema;

    @Option(names = "--config", scope = ScopeType.INHERIT, paramLabel = "FILE", order = 6,
            description = "config file (env BASCULE_CONFIG; default ./bascule.yaml when it exists)")
    String config;

    @Option(names = "--lock-timeout", scope = ScopeType.INHERIT, paramLabel = "MS", order = 7,
            description = "longest a DDL statement waits for a lock before it gives up and retries,"
                    + " in ms (env BASCULE_LOCK_TIMEOUT; default 250)")
    Long lockTimeout;

    @Option(names = "--lock-attempts", scope = ScopeType.INHERIT, paramLabel = "N", order = 8,
            description = "attempts of a DDL statement on lock timeouts before the command fails"
                    + " (env BASCULE_LOCK_ATTEMPTS; default 10)")
    Integer lockAttempts;

    @Option(names = "--max-file-size", scope = ScopeType.INHERIT, paramLabel = "SIZE", order = 9,
            description = "largest file Bascule reads (migration, lint and config files), in bytes or with K, M or G,"
                    + " e.g. 50M (env BASCULE_MAX_FILE_SIZE; default 10M)")
    String maxFileSize;

    @Option(names = "--max-total-size", scope = ScopeType.INHERIT, paramLabel = "SIZE", order = 10,
            description = "most bytes read from one folder (migrate DIR, lint DIR), all its files together, checked"
                    + " before any is read (env BASCULE_MAX_TOTAL_SIZE; default 64M, or --max-file-size when larger)")
    String maxTotalSize;

    @Spec
    CommandSpec spec;

    private final Map<String, String> env;
    private final Path workDir;
    private final Terminal terminal;
    private final Io io;
    private final Secrets secrets;

    /** The real process: its environment, working directory, console and standard streams. */
    public BasculeCli() {
        this(System.getenv(), Path.of(""), Terminal.system(), System.out, System.err);
    }

    /** For tests and embedding: everything the command line reads from or writes to is given. */
    public BasculeCli(Map<String, String> env, Path workDir, Terminal terminal, PrintStream out, PrintStream err) {
        this.env = Map.copyOf(env);
        this.workDir = workDir;
        this.terminal = terminal;
        this.secrets = new Secrets();
        this.io = new Io(out, err);
        secrets.add(this.env.get("BASCULE_PASSWORD"));
    }

    public static void main(String[] args) {
        // library logging: warnings and errors only, on stderr, unless the user chose otherwise (-D...)
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel",
                System.getProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn"));
        System.setProperty("org.slf4j.simpleLogger.logFile", System.getProperty("org.slf4j.simpleLogger.logFile", "System.err"));
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.err), true, StandardCharsets.UTF_8);
        BasculeCli cli = new BasculeCli(System.getenv(), Path.of(""), Terminal.system(), out, err);
        // on Ctrl-C, end a half-written progress line so that the shell prompt starts on a line of its own
        Runtime.getRuntime().addShutdownHook(new Thread(cli.io::endProgress, "bascule-shutdown"));
        System.exit(cli.run(args));
    }

    /** Parses and runs {@code args}; returns the exit code. */
    public int run(String... args) {
        secrets.addFromArgs(args);
        return commandLine().execute(args);
    }

    /** A picocli command line for this instance, with Bascule's error handling and exit codes. */
    public CommandLine commandLine() {
        CommandLine cl = new CommandLine(this);
        cl.setOut(new PrintWriter(io.rawOut(), true));
        cl.setErr(new PrintWriter(new ScrubbingWriter(), true));
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setParameterExceptionHandler(this::handleParameterException);
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> handleExecutionException(ex));
        return cl;
    }

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "missing COMMAND: one of "
                + String.join(", ", spec.subcommands().keySet()));
    }

    // ---- what the subcommands use --------------------------------------------------------

    Io io() {
        return io;
    }

    Terminal terminal() {
        return terminal;
    }

    /** A path argument, relative to the working directory. */
    Path path(Path given) {
        return workDir.resolve(given);
    }

    /** The facade, configured from the global options, with progress printed as the command goes. */
    Bascule bascule() {
        return bascule(BackfillOptions.defaults());
    }

    Bascule bascule(BackfillOptions backfill) {
        return configured(backfill).load();
    }

    /** How much of a file is read: {@code --max-file-size}, else BASCULE_MAX_FILE_SIZE, else 10 MiB. */
    InputLimits inputLimits() {
        String given = maxFileSize != null ? maxFileSize : env("BASCULE_MAX_FILE_SIZE");
        InputLimits limits;
        try {
            limits = given == null ? InputLimits.DEFAULT : new InputLimits(InputLimits.parseSize(given));
        } catch (IllegalArgumentException e) {
            throw new InvalidMigrationException("--max-file-size (or BASCULE_MAX_FILE_SIZE): " + e.getMessage());
        }
        String total = maxTotalSize != null ? maxTotalSize : env("BASCULE_MAX_TOTAL_SIZE");
        if (total == null) {
            return limits;
        }
        try {
            return new InputLimits(limits.maxFileSize(), InputLimits.parseSize(total));
        } catch (IllegalArgumentException e) {
            throw new InvalidMigrationException("--max-total-size (or BASCULE_MAX_TOTAL_SIZE): " + e.getMessage());
        }
    }

    /** Reads a migration file within {@link #inputLimits()}. */
    dev.bascule.api.Migration readMigration(Path file) {
        return Bascule.read(path(file), inputLimits());
    }

    /** The facade's builder from the global options, for a command that sets more. */
    Bascule.Builder configured(BackfillOptions backfill) {
        return configured(backfill, ds -> { });
    }

    /** As {@link #configured(BackfillOptions)}, with {@code tuning} applied to the data source first (serve's timeouts). */
    Bascule.Builder configured(BackfillOptions backfill, java.util.function.Consumer<javax.sql.DataSource> tuning) {
        Resolved r = resolve();
        Bascule.Builder builder = Bascule.configure().maxFileSize(inputLimits().maxFileSize());
        // a failure's message is sent as it is thrown: scrub it as the CLI's own output is
        r.notifications().notifiers().forEach(n -> builder.notifier(new ScrubbingNotifier(n, this::scrub)));
        DataSources.Database db = DataSources.open(r.url(), r.user(), r.password(), secrets);
        tuning.accept(db.dataSource());
        return builder
                .dataSource(db.dataSource())
                .jdbcUrl(db.jdbcUrl())
                .schema(r.schema())
                .stateSchema(r.stateSchema())
                .lockTimeout(Duration.ofMillis(r.lockTimeoutMs()))
                .lockAttempts(r.lockAttempts())
                .backfill(backfill)
                .listener(new ProgressListener(io, terminal.interactive()));
    }

    /**
     * A replica named with {@code --replica}: a MariaDB/MySQL URL, with the user and password of the
     * global options unless it names its own, and a connect timeout of 2 s unless it names one (a
     * replica that does not answer holds the health checks up that long, and throttles).
     */
    dev.bascule.api.Replicas.Replica replica(String url) {
        Resolved r = resolve();
        if (r.url() == null || !r.url().trim().toLowerCase(java.util.Locale.ROOT).matches("jdbc:(mariadb|mysql):.*")) {
            throw new InvalidMigrationException("--replica is for a MariaDB or MySQL primary (a jdbc:mariadb: --url):"
                    + " a PostgreSQL primary tells its standbys' lag itself (--max-replication-lag, --max-replication-delay)");
        }
        String jdbc = url.trim();
        String lower = jdbc.toLowerCase(java.util.Locale.ROOT);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("jdbc:(?:mariadb|mysql)://(?:[^@/?]*@)?([^/?]+).*")
                .matcher(jdbc);
        if (!m.matches()) {
            throw new InvalidMigrationException("--replica " + secrets.scrub(url) + " is not a MariaDB/MySQL JDBC URL;"
                    + " expected jdbc:mariadb://HOST[:PORT]/DATABASE[?key=value&...]");
        }
        String query = lower.contains("?") ? lower.substring(lower.indexOf('?') + 1) : "";
        boolean ownUser = ("&" + query).contains("&user=");
        boolean ownPassword = ("&" + query).contains("&password=");
        if (!("&" + query).contains("&connecttimeout=")) {
            jdbc += (jdbc.contains("?") ? "&" : "?") + "connectTimeout=2000";
        }
        javax.sql.DataSource ds = DataSources.mariadb(jdbc, ownUser ? null : r.user(), ownPassword ? null : r.password(),
                secrets);
        return new dev.bascule.api.Replicas.Replica(m.group(1), ds);
    }

    /** The global settings after option > environment > config file > default. */
    record Resolved(String url, String user, String password, String schema, String stateSchema,
                    long lockTimeoutMs, int lockAttempts, ConfigFile.NotificationsConfig notifications,
                    dev.bascule.api.StartSettings start) {}

    Resolved resolve() {
        String configName = first(config, env("BASCULE_CONFIG"));
        ConfigFile.Contents file = configName != null
                ? ConfigFile.read(workDir.resolve(configName), true, env, inputLimits())
                : ConfigFile.read(workDir.resolve(ConfigFile.DEFAULT_NAME), false, env, inputLimits());
        secrets.add(file.get("password"));
        file.notifications().webhooks().forEach(w -> w.headers().values().forEach(secrets::add));
        secrets.add(password);
        String source = configName != null ? configName : ConfigFile.DEFAULT_NAME;
        return new Resolved(
                first(url, env("BASCULE_URL"), file.get("url")),
                first(user, env("BASCULE_USER"), file.get("user")),
                password != null ? password : first(env("BASCULE_PASSWORD"), file.get("password")),
                first(schema, env("BASCULE_SCHEMA"), file.get("schema")), // none: the dialect's (Bascule.Builder#schema)
                first(stateSchema, env("BASCULE_STATE_SCHEMA"), file.get("state_schema"), DEFAULT_STATE_SCHEMA),
                lockTimeout != null ? lockTimeout
                        : number(first(env("BASCULE_LOCK_TIMEOUT"), file.get("lock_timeout")), DEFAULT_LOCK_TIMEOUT_MS,
                        "lock timeout (BASCULE_LOCK_TIMEOUT or lock_timeout in " + source + ")"),
                lockAttempts != null ? lockAttempts
                        : (int) number(first(env("BASCULE_LOCK_ATTEMPTS"), file.get("lock_attempts")), DEFAULT_LOCK_ATTEMPTS,
                        "lock attempts (BASCULE_LOCK_ATTEMPTS or lock_attempts in " + source + ")"),
                file.notifications(), file.start());
    }

    /** The passwords known to this process, for a data source built outside {@link #configured}. */
    Secrets secrets() {
        return secrets;
    }

    /** A value this process must never print, such as serve's token. */
    void secret(String value) {
        secrets.add(value);
    }

    /** {@code text} with every known password masked, for output that does not go through {@link Io}. */
    String scrub(String text) {
        return secrets.scrub(text);
    }

    /** An environment variable; empty counts as unset. */
    String env(String name) {
        String v = env.get(name);
        return v == null || v.isBlank() ? null : v;
    }

    private static String first(String... values) {
        for (String v : values) {
            if (v != null) {
                return v;
            }
        }
        return null;
    }

    private static long number(String value, long dflt, String what) {
        if (value == null) {
            return dflt;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new InvalidMigrationException("the " + what + " must be a whole number, got '" + value + "'");
        }
    }

    // ---- errors ---------------------------------------------------------------------------

    void error(String message) {
        String m = message == null || message.isBlank() ? "unknown error" : message;
        // the first line is the error; any further lines (gate lists, advice) are indented under it
        // a server's message may quote megabytes of the input it choked on: each line is kept short
        io.err("bascule: error: " + Excerpts.bounded(m.strip()).replace("\n", "\n  "));
    }

    private int handleParameterException(ParameterException ex, String[] args) {
        // picocli quotes the arguments back; an unknown option's value may be a password given to a
        // misspelt option (-p, --pw), so an unmatched argument is named only when it is an option
        error(ex instanceof UnmatchedArgumentException u ? unmatched(u) : secrets.scrub(ex.getMessage()));
        CommandLine cl = ex.getCommandLine();
        if (ex instanceof UnmatchedArgumentException u && !u.getSuggestions().isEmpty()) {
            io.err("Did you mean: " + String.join(", ", u.getSuggestions()) + "?");
        }
        io.err("Run '" + cl.getCommandSpec().qualifiedName() + " --help' for usage.");
        return 2;
    }

    /**
     * The unknown options of {@code u}, each up to its {@code =} (or its first letter for {@code -pVALUE}),
     * never an argument that is not an option: that may be the value of an unknown option. A first
     * unmatched word that looks like a command is named as an unknown command.
     */
    static String unmatched(UnmatchedArgumentException u) {
        java.util.List<String> options = new java.util.ArrayList<>();
        int others = 0;
        String command = null;
        java.util.List<String> all = u.getUnmatched();
        for (int i = 0; i < all.size(); i++) {
            String a = all.get(i);
            if (a.startsWith("-") && a.length() > 1) {
                String name = a.startsWith("--") ? a.split("=", 2)[0] : a.substring(0, 2);
                if (name.matches("-{1,2}[A-Za-z0-9][A-Za-z0-9_-]{0,39}") && !options.contains(name)) {
                    options.add(name);
                } else if (!name.matches("-{1,2}[A-Za-z0-9][A-Za-z0-9_-]{0,39}")) {
                    others++;
                }
            } else if (i == 0 && command == null && a.matches("[a-z][a-z0-9-]{0,39}")
                    && !u.getCommandLine().getSubcommands().isEmpty()) {
                command = a;
            } else {
                others++;
            }
        }
        java.util.List<String> parts = new java.util.ArrayList<>();
        if (command != null) {
            parts.add("unknown command '" + command + "'");
        }
        if (!options.isEmpty()) {
            parts.add("unknown option" + (options.size() == 1 ? "" : "s") + " "
                    + String.join(", ", options.stream().map(o -> "'" + o + "'").toList()));
        }
        if (others > 0) {
            parts.add(others + " unexpected argument" + (others == 1 ? "" : "s") + (options.isEmpty() ? " (not shown)"
                    : " (not shown: " + (others == 1 ? "it" : "they") + " may be an unknown option's value)"));
        }
        return parts.isEmpty() ? "unexpected arguments" : String.join("; ", parts);
    }

    private int handleExecutionException(Exception ex) {
        if (ex instanceof BasculeException be) {
            error(secrets.scrubError(be));
            debug(ex);
            return be.exitCode();
        }
        error("unexpected " + ex.getClass().getSimpleName() + (ex.getMessage() == null ? "" : ": " + secrets.scrubError(ex))
                + (env("BASCULE_DEBUG") == null ? " (set BASCULE_DEBUG=1 for the stack trace)" : ""));
        debug(ex);
        return 1;
    }

    private void debug(Exception ex) {
        if (env("BASCULE_DEBUG") != null) {
            StringWriter sw = new StringWriter();
            ex.printStackTrace(new PrintWriter(sw));
            io.err(secrets.scrub(sw.toString().stripTrailing()));
        }
    }

    /** picocli's own error output (rare: most goes through the handlers), scrubbed line by line. */
    private final class ScrubbingWriter extends java.io.Writer {
        private final StringBuilder line = new StringBuilder();

        @Override
        public void write(char[] cbuf, int off, int len) {
            for (int i = off; i < off + len; i++) {
                if (cbuf[i] == '\n') {
                    flushLine();
                } else if (cbuf[i] != '\r') {
                    line.append(cbuf[i]);
                }
            }
        }

        private void flushLine() {
            io.err(secrets.scrub(line.toString()));
            line.setLength(0);
        }

        @Override
        public void flush() {
            if (line.length() > 0) {
                flushLine();
            }
        }

        @Override
        public void close() {
            flush();
        }
    }

    /** The version from the jar's Maven metadata. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = "unknown";
            try (InputStream in = BasculeCli.class.getResourceAsStream("/META-INF/maven/dev.bascule/bascule-cli/pom.properties")) {
                if (in != null) {
                    Properties p = new Properties();
                    p.load(in);
                    v = p.getProperty("version", v);
                }
            } catch (java.io.IOException ignored) {
                // the version is informative only
            }
            return new String[] {"bascule " + v};
        }
    }
}
