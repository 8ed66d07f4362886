package dev.bascule;

import dev.bascule.api.BasculeException;
import dev.bascule.api.Event;
import dev.bascule.command.Settings;
import dev.bascule.dialect.Dialect;
import dev.bascule.state.MigrationRecord;
import dev.bascule.state.StateStore;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * Pauses or resumes the active migration's backfill through the state schema, from any process;
 * the process running the backfill reads the flag between batches.
 */
final class PauseSwitch {
    private final DataSource dataSource;
    private final Dialect dialect;
    private final Settings settings;

    PauseSwitch(DataSource dataSource, Dialect dialect, Settings settings) {
        this.dataSource = dataSource;
        this.dialect = dialect;
        this.settings = settings;
    }

    void set(boolean paused) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true); // a pool may hand out connections that do not commit by themselves
            StateStore state = new StateStore(settings.stateSchema(), dialect.stateSql());
            if (!state.exists(c)) {
                throw new BasculeException("no migration is started; nothing to " + (paused ? "pause" : "resume"));
            }
            MigrationRecord active = state.active(c).orElseThrow(() ->
                    new BasculeException("no migration is started; nothing to " + (paused ? "pause" : "resume")));
            String reason = paused ? "paused by " + userOf(c) : null;
            state.setPaused(c, active.id(), paused, reason);
            settings.notifier().send(Event.of(paused ? Event.Type.PAUSED : Event.Type.RESUMED, paused ? "pause" : "resume",
                    active.name(), settings.schema()).withReason(reason));
        } catch (SQLException e) {
            throw new BasculeException((paused ? "pause" : "resume") + " failed: " + e.getMessage(), e);
        }
    }

    private static String userOf(Connection c) throws SQLException {
        try (var s = c.createStatement(); var rs = s.executeQuery("SELECT current_user")) {
            rs.next();
            return rs.getString(1);
        }
    }
}
