package dev.bascule.dialect.postgresql;

import dev.bascule.dialect.Dialect;
import dev.bascule.dialect.Sessions;
import dev.bascule.testing.PostgresServer;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/** Whatever the session setup lists, each setting it names goes back to the session's own value. */
class SavedSettingsTest {
    private final PostgresDialect dialect = new PostgresDialect();

    @Test
    void theNamesComeFromTheSetStatementsWhateverTheirForm() {
        assertThat(SavedSettings.names(List.of("SET application_name = 'bascule'", "SET standard_conforming_strings = on",
                "SET LOCAL lock_timeout = 0", "set session BACKSLASH_QUOTE to safe_encoding", "SET bascule.backfill = 'on'",
                "SELECT 1", "RESET ALL")))
                .containsExactly("application_name", "backslash_quote", "bascule.backfill", "lock_timeout",
                        "standard_conforming_strings");
    }

    @Test
    void everySettingOfTheSetupAndWorkGoesBackAsTheSessionHadIt() throws SQLException {
        try (Connection c = PostgresServer.dataSource().getConnection()) {
            // a pool's own settings, some of them the opposite of Bascule's
            exec(c, List.of("SET search_path = app_v2, public", "SET statement_timeout = '7s'", "SET lock_timeout = '3s'",
                    "SET standard_conforming_strings = off", "SET backslash_quote = on", "SET synchronous_commit = local"));
            Map<String, String> before = settings(c);
            Sessions.SavedSession saved = dialect.session().saveSession(c);
            List<String> setup = new ArrayList<>(dialect.session().sessionSetup());
            setup.addAll(dialect.session().workSetup("bascule_test", 250));
            exec(c, setup);
            assertThat(settings(c)).isNotEqualTo(before);
            saved.restore(c);
            assertThat(settings(c)).isEqualTo(before);
        }
    }

    @Test
    void aSettingFromTheConnectionsStartIsResetNotSet() throws SQLException {
        try (Connection c = PostgresServer.dataSource().getConnection()) {
            String source = value(c, "SELECT source FROM pg_settings WHERE name = 'application_name'");
            Sessions.SavedSession saved = dialect.session().saveSession(c);
            exec(c, dialect.session().sessionSetup());
            saved.restore(c);
            assertThat(value(c, "SELECT source FROM pg_settings WHERE name = 'application_name'")).isEqualTo(source);
        }
    }

    @Test
    void theResetWithoutASavedSessionLeavesThePoolsSearchPath() throws SQLException {
        try (Connection c = PostgresServer.dataSource().getConnection()) {
            String name = value(c, "SHOW application_name");
            exec(c, List.of("SET search_path = app_v2, public"));
            exec(c, dialect.session().sessionSetup());
            exec(c, dialect.session().sessionReset());
            assertThat(value(c, "SHOW search_path")).isEqualTo("app_v2, public");
            assertThat(value(c, "SHOW application_name")).isEqualTo(name);
        }
    }

    private static void exec(Connection c, List<String> statements) throws SQLException {
        try (Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }

    private static Map<String, String> settings(Connection c) throws SQLException {
        Map<String, String> out = new TreeMap<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT name, setting, source FROM pg_settings")) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getString(2) + " (" + rs.getString(3) + ")");
            }
        }
        return out;
    }

    private static String value(Connection c, String query) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
