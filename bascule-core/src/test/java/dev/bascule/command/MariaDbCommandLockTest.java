package dev.bascule.command;

import dev.bascule.Bascule;
import dev.bascule.api.BasculeException;
import dev.bascule.api.BackfillOptions;
import dev.bascule.dialect.Dialect;
import dev.bascule.dialect.mysql.MariaDbDialect;
import dev.bascule.testing.MariaDbServer;
import dev.bascule.testing.TestDb;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;

import static dev.bascule.testing.Eventually.waitFor;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** One Bascule command at a time on MariaDB, through a named lock that goes with its session. */
class MariaDbCommandLockTest {
    @Test
    void oneCommandAtATimeAndALostLockStopsTheCommand() throws Exception {
        try (TestDb db = TestDb.mariadb()) {
            Dialect dialect = new MariaDbDialect();
            Settings settings = new Settings(db.name(), db.name().replace("t_", "bascule_"), Duration.ofMillis(250), 3,
                    BackfillOptions.defaults(), dev.bascule.api.BasculeListener.NONE);
            long controlId;
            try (Session first = Session.open(MariaDbServer.dataSource(), dialect, settings, true)) {
                assertThatThrownBy(() -> Session.open(MariaDbServer.dataSource(), dialect, settings, true))
                        .isInstanceOf(BasculeException.class).hasMessageContaining("another Bascule command is running")
                        .hasMessageContaining("server connection");
                first.requireLock(first.work());
                controlId = dialect.session().sessionId(first.control());
                try (Connection admin = MariaDbServer.dataSource().getConnection(); Statement s = admin.createStatement()) {
                    s.execute("KILL CONNECTION " + controlId);
                }
                waitFor(() -> {
                    try {
                        first.requireLock(first.work());
                        return false;
                    } catch (BasculeException e) {
                        return e.getMessage().contains("lost the lock");
                    }
                });
            }
            // the lock went with the killed session: the next command gets it
            try (Session next = Session.open(MariaDbServer.dataSource(), dialect, settings, true)) {
                next.requireLock(next.work());
            }
        }
    }
}
