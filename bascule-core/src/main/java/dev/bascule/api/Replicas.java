package dev.bascule.api;

import java.util.List;
import javax.sql.DataSource;

/**
 * Replicas whose delay throttles the backfill, read on the replicas themselves: a MariaDB or MySQL
 * primary does not know how far behind its replicas are (PostgreSQL's does, in
 * {@code pg_stat_replication}, and ignores these). Their delay is held against
 * {@link ThrottleOptions#replicationLagSeconds()}; a replica that does not answer throttles.
 *
 * @param replicas  each replica, with the name notes give it
 * @param heartbeat read each replica's delay from a heartbeat row Bascule writes on the primary every
 *                  {@link #HEARTBEAT_INTERVAL_MILLIS} ms (the time since the last row the replica
 *                  applied: sub-second, and right even while the replica's SQL thread is stopped),
 *                  instead of the replica's {@code Seconds_Behind_Master} (whole seconds)
 */
public record Replicas(List<Replica> replicas, boolean heartbeat) {
    public static final Replicas NONE = new Replicas(List.of(), false);
    public static final long HEARTBEAT_INTERVAL_MILLIS = 500;

    public Replicas {
        replicas = List.copyOf(replicas);
    }

    public boolean any() {
        return !replicas.isEmpty();
    }

    /**
     * @param name       how notes and throttle reasons name it: host and port, never a password
     * @param dataSource connects to it; give it a short connect timeout (a replica that does not
     *                   answer holds the health checks up for that long)
     */
    public record Replica(String name, DataSource dataSource) {}
}
