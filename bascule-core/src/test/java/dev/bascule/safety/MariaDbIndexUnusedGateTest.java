package dev.bascule.safety;

import dev.bascule.testing.Scenario;
import dev.bascule.Bascule;
import dev.bascule.api.BasculeListener;
import dev.bascule.api.RefusedException;
import dev.bascule.testing.TestDb;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static dev.bascule.testing.Scenario.migration;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The index_unused gate on MariaDB: from information_schema.INDEX_STATISTICS while userstat is ON
 * (a server-wide setting, turned on and off by this test), and "cannot tell" without it.
 */
class MariaDbIndexUnusedGateTest {
    static final String DROP = "operations:\n  - drop_index: {name: users_email}\n";

    @Test
    void withoutUserstatTheGateCannotTellAndOpens() throws Exception {
        try (TestDb db = TestDb.mariadb()) {
            setUserstat(db, false);
            db.exec("CREATE TABLE users (id int PRIMARY KEY, email varchar(100) NOT NULL, INDEX users_email (email))");
            List<String> notes = new CopyOnWriteArrayList<>();
            Bascule b = db.bascule().listener(notes(notes)).load();
            b.start(migration(DROP));
            b.complete(Set.of());
            assertThat(notes).anySatisfy(n -> assertThat(n).contains(
                    "gate index_unused cannot tell whether users_email are still used: userstat is OFF"));
            assertThat(db.value("SELECT count(*) FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE()"
                    + " AND INDEX_NAME = 'users_email'")).isEqualTo("0");
        }
    }

    @Test
    void anIndexStillReadKeepsTheGateClosedUntilItIsNoLonger() throws Exception {
        try (TestDb db = TestDb.mariadb()) {
            setUserstat(db, true);
            try {
                db.exec("CREATE TABLE users (id int PRIMARY KEY, email varchar(100) NOT NULL, INDEX users_email (email))",
                        "INSERT INTO users SELECT seq, CONCAT('u', seq, '@x.org') FROM seq_1_to_100");
                Bascule b = db.bascule().load();
                b.start(migration(DROP));
                AtomicBoolean stop = new AtomicBoolean();
                CompletableFuture<Void> reader = CompletableFuture.runAsync(() -> {
                    try (Connection c = db.connect(db.name());
                         PreparedStatement ps = c.prepareStatement("SELECT id FROM users FORCE INDEX (users_email) WHERE email = ?")) {
                        for (int i = 1; !stop.get(); i++) {
                            ps.setString(1, "u" + (i % 100 + 1) + "@x.org");
                            try (ResultSet rs = ps.executeQuery()) {
                                rs.next();
                            }
                            Thread.sleep(20);
                        }
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                List<String> before = db.snapshot();
                assertThatThrownBy(() -> b.complete(Set.of())).isInstanceOf(RefusedException.class)
                        .hasMessageContaining("index_unused: index users_email: ")
                        .hasMessageContaining("row(s) read through it in the last 1 s");
                assertThat(db.snapshot()).containsExactlyElementsOf(before);
                stop.set(true);
                reader.get(10, TimeUnit.SECONDS);
                b.complete(Set.of());
                assertThat(db.value("SELECT count(*) FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE()"
                        + " AND INDEX_NAME = 'users_email'")).isEqualTo("0");
            } finally {
                setUserstat(db, false);
            }
        }
    }

    private static void setUserstat(TestDb db, boolean on) {
        db.exec("SET GLOBAL userstat = " + (on ? "ON" : "OFF"));
    }

    private static BasculeListener notes(List<String> notes) {
        return new BasculeListener() {
            @Override
            public void note(String message) {
                notes.add(message);
            }
        };
    }
}
