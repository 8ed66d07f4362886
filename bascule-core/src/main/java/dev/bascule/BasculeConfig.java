package dev.bascule;

import dev.bascule.api.BackfillOptions;
import dev.bascule.api.CommandHook;
import dev.bascule.api.InputLimits;
import dev.bascule.api.InvalidMigrationException;
import dev.bascule.api.Notifier;
import dev.bascule.api.Replicas;
import dev.bascule.api.StartSettings;
import dev.bascule.api.Webhook;
import dev.bascule.config.ConfigReader;
import dev.bascule.input.InputFiles;
import org.mariadb.jdbc.MariaDbDataSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * {@code bascule.yaml}, the file the CLI, the library and the Spring Boot starter all read:
 * <pre>
 * url: jdbc:postgresql://db.internal:5432/app
 * user: migrator
 * schema: public
 * state_schema: bascule
 * lock_timeout: 250          # ms
 * lock_attempts: 10
 * start:                     # every option of start, named as on the command line with _ for -
 *   batch_size: 5000
 *   max_rows_per_second: 20000
 *   window: "22:00-06:00"
 *   window_zone: Europe/Paris
 * notifications:
 *   webhooks:
 *     - url: https://hooks.example.com/bascule
 *       events: [paused, failed, completed]
 * </pre>
 * Unknown keys and values out of range are refused with an {@link InvalidMigrationException} naming the
 * file, line, column and key. In the library, {@code Bascule.configure().config(BasculeConfig.load(path))}
 * takes every setting but the connection (give the data source), and what the builder is given after it wins.
 */
public final class BasculeConfig {
    /** The file's usual name, looked for in the working directory. */
    public static final String FILE_NAME = "bascule.yaml";
    private static final Pattern REPLICA_HOST = Pattern.compile("jdbc:(?:mariadb|mysql)://(?:[^@/?]*@)?([^/?]+).*");
    private static final BasculeConfig EMPTY = new BasculeConfig("", ConfigReader.Contents.EMPTY);

    private final String source;
    private final ConfigReader.Contents contents;

    private BasculeConfig(String source, ConfigReader.Contents contents) {
        this.source = source;
        this.contents = contents;
    }

    /** No file: every setting left to its default. */
    public static BasculeConfig empty() {
        return EMPTY;
    }

    /** Reads {@code file} (it must exist), with {@code ${NAME}} in webhooks taken from the process's environment. */
    public static BasculeConfig load(Path file) {
        return load(file, System.getenv(), InputLimits.DEFAULT);
    }

    /**
     * @param env    for {@code ${NAME}} in webhook URLs and header values
     * @param limits how large a file is read at most
     */
    public static BasculeConfig load(Path file, Map<String, String> env, InputLimits limits) {
        if (Files.notExists(file)) {
            throw new InvalidMigrationException("config file " + file + " does not exist");
        }
        return read(file.toString(), InputFiles.read(file, limits), env, limits);
    }

    /** Reads a config from a stream (a class-path resource, say), named {@code name} in messages. */
    public static BasculeConfig read(String name, InputStream in, Map<String, String> env) {
        try (in) {
            byte[] content = in.readNBytes((int) InputLimits.DEFAULT_MAX_FILE_SIZE + 1);
            if (content.length > InputLimits.DEFAULT_MAX_FILE_SIZE) {
                throw new InvalidMigrationException(name + " is larger than " + InputLimits.DEFAULT_MAX_FILE_SIZE + " bytes");
            }
            return read(name, content, env, InputLimits.DEFAULT);
        } catch (IOException e) {
            throw new InvalidMigrationException("cannot read config file " + name + ": " + e.getMessage());
        }
    }

    /** Reads a config's bytes, named {@code name} in messages. */
    public static BasculeConfig read(String name, byte[] content, Map<String, String> env, InputLimits limits) {
        return new BasculeConfig(name, ConfigReader.read(name, content, env, limits));
    }

    /** Where it was read from, as messages name it. */
    public String source() {
        return source;
    }

    public Optional<String> url() {
        return text("url");
    }

    public Optional<String> user() {
        return text("user");
    }

    public Optional<String> password() {
        return text("password");
    }

    public Optional<String> schema() {
        return text("schema");
    }

    public Optional<String> stateSchema() {
        return text("state_schema");
    }

    /** {@code lock_timeout}, in ms in the file. */
    public Optional<Duration> lockTimeout() {
        return text("lock_timeout").map(t -> Duration.ofMillis(Long.parseLong(t)));
    }

    public OptionalInt lockAttempts() {
        return text("lock_attempts").map(t -> OptionalInt.of(Integer.parseInt(t))).orElse(OptionalInt.empty());
    }

    public List<Webhook> webhooks() {
        return contents.notifications().webhooks();
    }

    public List<CommandHook> commands() {
        return contents.notifications().commands();
    }

    /** The webhooks and command hooks, as notifiers. */
    public List<Notifier> notifiers() {
        return Stream.concat(webhooks().stream().<Notifier>map(Notifications::webhook),
                commands().stream().<Notifier>map(Notifications::command)).toList();
    }

    /** The options of {@code start} the file gives ({@code start:}). */
    public StartSettings start() {
        return contents.start();
    }

    /**
     * The file's settings put into {@code builder}: schema, state schema, lock timeout and attempts,
     * notifiers, and the backfill options of {@code start:} (replicas opened with the file's user and password).
     */
    Bascule.Builder applyTo(Bascule.Builder builder) {
        schema().ifPresent(builder::schema);
        stateSchema().ifPresent(builder::stateSchema);
        lockTimeout().ifPresent(builder::lockTimeout);
        lockAttempts().ifPresent(builder::lockAttempts);
        notifiers().forEach(builder::notifier);
        if (!start().values().isEmpty()) {
            builder.backfill(backfillOptions(StartSettings.none()));
        }
        return builder;
    }

    /**
     * The backfill options of the file's {@code start:} with {@code overrides} put over them (a Spring
     * property, say); replicas are opened with the file's user and password unless their URL names its own.
     */
    public BackfillOptions backfillOptions(StartSettings overrides) {
        return start().overriddenBy(overrides).backfillOptions(this::replica);
    }

    /** A MariaDB/MySQL replica from its URL, with the file's user and password unless the URL names its own. */
    private Replicas.Replica replica(String url) {
        String jdbc = url.strip();
        Matcher m = REPLICA_HOST.matcher(jdbc);
        if (!m.matches()) {
            throw new InvalidMigrationException(source + ": start.replica is not a MariaDB/MySQL JDBC URL;"
                    + " expected jdbc:mariadb://HOST[:PORT]/DATABASE[?key=value&...]");
        }
        String query = "&" + (jdbc.contains("?") ? jdbc.substring(jdbc.indexOf('?') + 1).toLowerCase(Locale.ROOT) : "");
        if (!query.contains("&connecttimeout=")) {
            // a replica that does not answer holds the health checks up this long, and throttles
            jdbc += (jdbc.contains("?") ? "&" : "?") + "connectTimeout=2000";
        }
        if (jdbc.toLowerCase(Locale.ROOT).startsWith("jdbc:mysql:")) {
            jdbc = "jdbc:mariadb:" + jdbc.substring("jdbc:mysql:".length());
        }
        try {
            MariaDbDataSource ds = new MariaDbDataSource(jdbc);
            if (!query.contains("&user=") && user().isPresent()) {
                ds.setUser(user().get());
            }
            if (!query.contains("&password=") && password().isPresent()) {
                ds.setPassword(password().get());
            }
            return new Replicas.Replica(m.group(1), ds);
        } catch (SQLException e) {
            throw new InvalidMigrationException(source + ": start.replica is not a valid MariaDB URL");
        }
    }

    private Optional<String> text(String key) {
        return Optional.ofNullable(contents.values().get(key));
    }
}
