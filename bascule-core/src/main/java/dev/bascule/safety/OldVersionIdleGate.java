package dev.bascule.safety;

import dev.bascule.dialect.Dialect;
import dev.bascule.plan.Plan;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Nothing still reads through the previous version, whose views complete drops. Every version view
 * reads its version's one-row marker table once per query, and the server counts those scans
 * (pg_stat_user_tables.seq_scan): a count unchanged since start began means no query went through
 * the old version; one that moved must then stay still for a quiet period before complete goes on.
 * Inserts through a view do not read it and are not seen; a session's counts reach the statistics
 * when its transaction ends (at most 10 s later when it then sits idle), hence the quiet period.
 */
public final class OldVersionIdleGate implements Gate {
    /** Longer than the 10 s after which an idle PostgreSQL session reports its statistics. */
    public static final Duration DEFAULT_QUIET = Duration.ofSeconds(15);

    private final Dialect dialect;
    private final Duration quiet;

    public OldVersionIdleGate(Dialect dialect, Duration quiet) {
        this.dialect = dialect;
        this.quiet = quiet;
    }

    @Override
    public String name() {
        return "old_version_idle";
    }

    @Override
    public Optional<String> baseline(Connection c, Plan plan) throws SQLException {
        long reads = dialect.views().versionReads(c, plan.previousVersionSchema());
        return reads < 0 ? Optional.empty() : Optional.of(Long.toString(reads));
    }

    @Override
    public Optional<String> check(Input in) throws SQLException {
        Plan plan = in.plan();
        String old = plan.previousVersionSchema();
        if (old.equals(plan.schema())) {
            in.note().accept("gate old_version_idle cannot tell whether old code still runs: it uses schema " + old
                    + " itself, which has no version views to count reads through");
            return Optional.empty();
        }
        long now = dialect.views().versionReads(in.connection(), old);
        String before = in.baselines().get(name());
        if (now < 0 || before == null) {
            in.note().accept("gate old_version_idle cannot tell whether old code still reads through " + old
                    + ": its views were made by a Bascule that did not count reads");
            return Optional.empty();
        }
        Map<String, Long> still = RecentUse.stillMoving(Map.of(old, Long.parseLong(before)), Map.of(old, now),
                () -> Map.of(old, dialect.views().versionReads(in.connection(), old)), quiet, "queries read through the old version",
                in.note());
        if (still.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("queries read through the old version " + old + " in the last " + quiet.toSeconds() + " s ("
                + still.get(old) + " of them): old code still runs; deploy the new version everywhere"
                + " (search_path " + plan.versionSchema() + ") and run complete again");
    }
}
