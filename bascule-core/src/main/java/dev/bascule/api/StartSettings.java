package dev.bascule.api;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The options of {@code start}, each one given or not, and where it was given: on the command line
 * ({@code --batch-size}), under {@code start:} in {@code bascule.yaml} ({@code batch_size}), or by a
 * Spring property. Sources are layered with {@link #overriddenBy}; {@link #backfillOptions} turns the
 * result into the backfill's options, with every error naming where the value came from.
 */
public final class StartSettings {
    /** What a value is. */
    public enum Kind { WHOLE, DECIMAL, FLAG, TEXT, LIST }

    /** Every option of {@code start}; its file key is its option name with {@code _} for {@code -}. */
    public enum Key {
        BATCH_SIZE("batch-size", Kind.WHOLE, 1, BackfillOptions.MAX_BATCH),
        BATCH_TIME("batch-time", Kind.WHOLE, 1, Long.MAX_VALUE),
        CONTENDED_BATCH_TIME("contended-batch-time", Kind.WHOLE, 1, Long.MAX_VALUE),
        MAX_ROWS_PER_SECOND("max-rows-per-second", Kind.WHOLE, 1, Long.MAX_VALUE),
        BATCH_DELAY("batch-delay", Kind.WHOLE, 0, Long.MAX_VALUE),
        WORKERS("workers", Kind.WHOLE, 1, BackfillOptions.MAX_WORKERS),
        MAX_REPLICATION_LAG("max-replication-lag", Kind.WHOLE, 0, Long.MAX_VALUE >> 20),
        MAX_REPLICATION_DELAY("max-replication-delay", Kind.WHOLE, 0, Long.MAX_VALUE / 30),
        REPLICA("replica", Kind.LIST, 0, 0),
        HEARTBEAT_TABLE("heartbeat-table", Kind.FLAG, 0, 0),
        MAX_THREADS_RUNNING("max-threads-running", Kind.WHOLE, 0, Long.MAX_VALUE),
        MAX_TRANSACTION_AGE("max-transaction-age", Kind.WHOLE, 0, Long.MAX_VALUE),
        MAX_WAL_RATE("max-wal-rate", Kind.WHOLE, 0, Long.MAX_VALUE >> 20),
        NO_LOCK_WAIT_THROTTLE("no-lock-wait-throttle", Kind.FLAG, 0, 0),
        NO_VACUUM_THROTTLE("no-vacuum-throttle", Kind.FLAG, 0, 0),
        THROTTLE_QUERY("throttle-query", Kind.TEXT, 0, 0),
        MAX_LATENCY_FACTOR("max-latency-factor", Kind.DECIMAL, 0, 0),
        LATENCY_FLOOR("latency-floor", Kind.DECIMAL, 0, 0),
        AUTO_RESUME("auto-resume", Kind.FLAG, 0, 0),
        WINDOW("window", Kind.TEXT, 0, 0),
        WINDOW_ZONE("window-zone", Kind.TEXT, 0, 0),
        NO_BACKFILL("no-backfill", Kind.FLAG, 0, 0),
        FORCE_PREFLIGHT("force-preflight", Kind.LIST, 0, 0);

        private final String name;
        private final Kind kind;
        private final long min;
        private final long max;

        Key(String name, Kind kind, long min, long max) {
            this.name = name;
            this.kind = kind;
            this.min = min;
            this.max = max;
        }

        /** {@code --batch-size} */
        public String option() {
            return "--" + name;
        }

        /** {@code batch_size}: the key under {@code start:} in {@code bascule.yaml}. */
        public String fileKey() {
            return name.replace('-', '_');
        }

        public Kind kind() {
            return kind;
        }

        /** The key whose file key is {@code fileKey}. */
        public static Optional<Key> ofFileKey(String fileKey) {
            return Arrays.stream(values()).filter(k -> k.fileKey().equals(fileKey)).findFirst();
        }
    }

    private static final StartSettings NONE = new StartSettings(new EnumMap<>(Key.class), new EnumMap<>(Key.class));

    private final EnumMap<Key, Object> values;
    private final EnumMap<Key, String> where;

    private StartSettings(EnumMap<Key, Object> values, EnumMap<Key, String> where) {
        this.values = values;
        this.where = where;
    }

    /** No option given: the backfill's defaults. */
    public static StartSettings none() {
        return NONE;
    }

    /**
     * These settings and {@code key} given as {@code value}: a {@code Long} or {@code Integer} (WHOLE), a
     * {@code Double} (DECIMAL), a {@code Boolean} (FLAG), a {@code String} (TEXT) or a list of strings
     * (LIST); null leaves it unset.
     *
     * @param where how a message names the value's origin: {@code --batch-size}, or
     *              {@code bascule.yaml:4:15: start.batch_size}
     * @throws InvalidMigrationException when the value is out of its range
     */
    public StartSettings with(Key key, Object value, String where) {
        if (value == null || value instanceof List<?> l && l.isEmpty()) {
            return this;
        }
        Object checked = check(key, value, where);
        EnumMap<Key, Object> v = new EnumMap<>(values);
        EnumMap<Key, String> w = new EnumMap<>(this.where);
        v.put(key, checked);
        w.put(key, where);
        return new StartSettings(v, w);
    }

    /** These settings with every value {@code other} gives put in their place. */
    public StartSettings overriddenBy(StartSettings other) {
        EnumMap<Key, Object> v = new EnumMap<>(values);
        EnumMap<Key, String> w = new EnumMap<>(where);
        v.putAll(other.values);
        w.putAll(other.where);
        return new StartSettings(v, w);
    }

    /** The value given for {@code key}, if any. */
    public Optional<Object> get(Key key) {
        return Optional.ofNullable(values.get(key));
    }

    /** The values given, by key. */
    public Map<Key, Object> values() {
        return Map.copyOf(values);
    }

    /** {@code no_backfill}: expand only, the backfill left to a later start. */
    public boolean noBackfill() {
        return flag(Key.NO_BACKFILL);
    }

    /** {@code force_preflight}: the preflight checks overridden. */
    public Set<String> forcePreflight() {
        return Set.copyOf(list(Key.FORCE_PREFLIGHT));
    }

    /** The replicas' URLs ({@code replica}). */
    public List<String> replicas() {
        return list(Key.REPLICA);
    }

    /**
     * The backfill's options: the defaults with every value given put in.
     *
     * @param replicaOpener a replica's connections from its URL (MariaDB/MySQL only)
     * @throws InvalidMigrationException for values that do not go together, naming where each was given
     */
    public BackfillOptions backfillOptions(Function<String, Replicas.Replica> replicaOpener) {
        BackfillOptions o = BackfillOptions.defaults();
        if (values.containsKey(Key.BATCH_SIZE)) o = o.withBatchSize((int) whole(Key.BATCH_SIZE));
        if (values.containsKey(Key.BATCH_TIME)) o = o.withTargetBatchTime(Duration.ofMillis(whole(Key.BATCH_TIME)));
        if (values.containsKey(Key.CONTENDED_BATCH_TIME)) {
            o = o.withContendedBatchTime(Duration.ofMillis(whole(Key.CONTENDED_BATCH_TIME)));
        }
        if (values.containsKey(Key.MAX_ROWS_PER_SECOND)) o = o.withMaxRowsPerSecond(whole(Key.MAX_ROWS_PER_SECOND));
        if (values.containsKey(Key.BATCH_DELAY)) o = o.withBatchDelay(Duration.ofMillis(whole(Key.BATCH_DELAY)));
        if (values.containsKey(Key.WORKERS)) o = o.withWorkers((int) whole(Key.WORKERS));
        if (values.containsKey(Key.WINDOW)) {
            o = o.withWindow(window());
        } else if (values.containsKey(Key.WINDOW_ZONE)) {
            throw new InvalidMigrationException(where.get(Key.WINDOW_ZONE) + " needs " + name(Key.WINDOW, Key.WINDOW_ZONE));
        }
        return o.withThrottle(throttle(o.throttle(), replicaOpener));
    }

    private ThrottleOptions throttle(ThrottleOptions t, Function<String, Replicas.Replica> replicaOpener) {
        if (values.containsKey(Key.MAX_REPLICATION_LAG)) {
            long bytes = whole(Key.MAX_REPLICATION_LAG) << 20;
            t = t.withReplicationLagBytes(new ThrottleOptions.Limit(bytes, bytes * 16));
        }
        if (values.containsKey(Key.MAX_REPLICATION_DELAY)) {
            long s = whole(Key.MAX_REPLICATION_DELAY);
            t = t.withReplicationLagSeconds(new ThrottleOptions.Limit(s, s * 30));
        }
        List<String> replicas = replicas();
        if (flag(Key.HEARTBEAT_TABLE) && replicas.isEmpty()) {
            throw new InvalidMigrationException(where.get(Key.HEARTBEAT_TABLE) + " needs " + name(Key.REPLICA, Key.HEARTBEAT_TABLE)
                    + ": the heartbeat is read on the replicas");
        }
        if (!replicas.isEmpty()) {
            if (!t.replicationLagSeconds().on()) {
                throw new InvalidMigrationException(where.get(Key.REPLICA) + " needs " + name(Key.MAX_REPLICATION_DELAY, Key.REPLICA)
                        + " above 0: it is the limit the replicas' delay is held against");
            }
            t = t.withReplicas(new Replicas(replicas.stream().map(replicaOpener).toList(), flag(Key.HEARTBEAT_TABLE)));
        }
        if (values.containsKey(Key.MAX_THREADS_RUNNING)) {
            t = t.withThreadsRunning(new ThrottleOptions.Limit(whole(Key.MAX_THREADS_RUNNING), 0));
        }
        if (values.containsKey(Key.MAX_TRANSACTION_AGE)) {
            t = t.withLongTransactionSeconds(new ThrottleOptions.Limit(whole(Key.MAX_TRANSACTION_AGE), 0));
        }
        if (values.containsKey(Key.MAX_WAL_RATE)) {
            t = t.withWalBytesPerSecond(new ThrottleOptions.Limit(whole(Key.MAX_WAL_RATE) << 20, 0));
        }
        if (flag(Key.NO_LOCK_WAIT_THROTTLE)) t = t.withLockWaiters(ThrottleOptions.Limit.OFF);
        if (flag(Key.NO_VACUUM_THROTTLE)) t = t.withVacuumOnTable(false);
        if (values.containsKey(Key.MAX_LATENCY_FACTOR)) {
            t = t.withApplication(t.application().withFactor((Double) values.get(Key.MAX_LATENCY_FACTOR)));
        }
        if (values.containsKey(Key.LATENCY_FLOOR)) {
            if (!t.application().on()) {
                throw new InvalidMigrationException(where.get(Key.LATENCY_FLOOR) + " needs "
                        + name(Key.MAX_LATENCY_FACTOR, Key.LATENCY_FLOOR));
            }
            t = t.withApplication(t.application().withLatencyFloorMillis((Double) values.get(Key.LATENCY_FLOOR)));
        }
        t = t.withAutoResume(flag(Key.AUTO_RESUME));
        if (values.containsKey(Key.THROTTLE_QUERY)) t = t.withThrottleQuery((String) values.get(Key.THROTTLE_QUERY));
        return t;
    }

    private BackfillWindow window() {
        ZoneId zone;
        String zoneText = (String) values.get(Key.WINDOW_ZONE);
        try {
            zone = zoneText == null ? ZoneId.systemDefault() : ZoneId.of(zoneText.strip());
        } catch (DateTimeException e) {
            throw new InvalidMigrationException(where.get(Key.WINDOW_ZONE) + ": unknown time zone '" + zoneText
                    + "' (a region such as Europe/Paris, UTC, or an offset such as +02:00)");
        }
        try {
            return BackfillWindow.parse((String) values.get(Key.WINDOW), zone);
        } catch (IllegalArgumentException e) {
            throw new InvalidMigrationException(where.get(Key.WINDOW) + ": " + e.getMessage());
        }
    }

    /** An unset key named the way {@code referrer} was: an option on the command line, else a file key. */
    private String name(Key key, Key referrer) {
        String given = where.get(key);
        if (given != null) {
            return given;
        }
        return where.getOrDefault(referrer, "").startsWith("--") ? key.option() : "start." + key.fileKey();
    }

    private long whole(Key key) {
        return ((Number) values.get(key)).longValue();
    }

    private boolean flag(Key key) {
        return Boolean.TRUE.equals(values.get(key));
    }

    private List<String> list(Key key) {
        Object v = values.get(key);
        return v == null ? List.of() : ((List<?>) v).stream().map(String::valueOf).toList();
    }

    private static Object check(Key key, Object value, String where) {
        switch (key.kind()) {
            case WHOLE -> {
                if (!(value instanceof Integer || value instanceof Long)) {
                    throw new InvalidMigrationException(where + " must be a whole number");
                }
                long v = ((Number) value).longValue();
                boolean bounded = key.max <= BackfillOptions.MAX_BATCH;
                if (v > key.max || v < key.min && bounded) {
                    throw new InvalidMigrationException(where + " must be between " + key.min + " and " + key.max + ", got " + v);
                }
                if (v < key.min) {
                    throw new InvalidMigrationException(where + (key.min == 0 ? " must not be negative" : " must be at least " + key.min)
                            + ", got " + v);
                }
                return v;
            }
            case DECIMAL -> {
                if (!(value instanceof Number n)) {
                    throw new InvalidMigrationException(where + " must be a number");
                }
                double d = n.doubleValue();
                if (key == Key.MAX_LATENCY_FACTOR && d != 0 && !(d > 1)) {
                    throw new InvalidMigrationException(where + " must be more than 1 (0: off), got " + n);
                }
                if (key == Key.LATENCY_FLOOR && !(d >= 0)) {
                    throw new InvalidMigrationException(where + " must not be negative, got " + n);
                }
                return d;
            }
            case FLAG -> {
                if (!(value instanceof Boolean)) {
                    throw new InvalidMigrationException(where + " must be true or false");
                }
                return value;
            }
            case TEXT -> {
                if (!(value instanceof String s)) {
                    throw new InvalidMigrationException(where + " must be a text");
                }
                if (s.isBlank()) {
                    throw new InvalidMigrationException(where + " must not be empty");
                }
                return s;
            }
            case LIST -> {
                List<?> items = value instanceof List<?> l ? l : List.of(value);
                for (Object item : items) {
                    if (!(item instanceof String s) || s.isBlank()) {
                        throw new InvalidMigrationException(where + " must be a list of texts");
                    }
                }
                return List.copyOf(items);
            }
            default -> throw new IllegalStateException(key.kind().name().toLowerCase(Locale.ROOT));
        }
    }
}
