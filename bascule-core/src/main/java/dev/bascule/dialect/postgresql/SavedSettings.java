package dev.bascule.dialect.postgresql;

import dev.bascule.dialect.Sessions;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The values a PostgreSQL session had, before Bascule's {@code SET}s, for the settings those
 * {@code SET}s name. {@code RESET ALL} would not do: it goes back to the values the session
 * started with, and so wipes what an application's pool set on its connections (HikariCP's
 * {@code connectionInitSql} setting {@code search_path}, a role's timeouts ...).
 *
 * <p>A value the session had {@code SET} itself is set again; a value it had from the server,
 * the database, the role or the connection's start-up options is {@code RESET}, which brings it
 * back to that same value and source.
 */
record SavedSettings(List<Saved> saved) implements Sessions.SavedSession {

    record Saved(String name, String setting, boolean setBySession) {}

    /** {@code SET [SESSION|LOCAL] name = ...} or {@code TO}: the names Bascule's statements change. */
    private static final Pattern SET = Pattern.compile("(?is)^\\s*SET\\s+(?:SESSION\\s+|LOCAL\\s+)?([a-z_][a-z0-9_$.]*)\\s*(?:=|\\bTO\\b).*");
    /** A setting name as pg_settings spells it, safe to write into RESET. */
    private static final Pattern NAME = Pattern.compile("[a-z_][a-z0-9_$.]*");

    /** {@code set_config('name', ...)}, as a statement that sets several at once writes them. */
    private static final Pattern SET_CONFIG = Pattern.compile("(?i)\\bset_config\\(\\s*'([a-z_][a-z0-9_$.]*)'");

    /** The names of the settings {@code statements} change; statements that are neither a SET nor set_config calls are skipped. */
    static Set<String> names(Collection<String> statements) {
        Set<String> names = new TreeSet<>();
        for (String statement : statements) {
            Matcher m = SET.matcher(statement);
            if (m.matches()) {
                names.add(m.group(1).toLowerCase(Locale.ROOT));
            }
            Matcher calls = SET_CONFIG.matcher(statement);
            while (calls.find()) {
                names.add(calls.group(1).toLowerCase(Locale.ROOT));
            }
        }
        return names;
    }

    /** Reads the current values of {@code names} on {@code c}; a setting the server does not know is skipped. */
    static SavedSettings read(Connection c, Set<String> names) throws SQLException {
        List<Saved> saved = new ArrayList<>();
        Array array = c.createArrayOf("text", names.toArray());
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT name, setting, source FROM pg_catalog.pg_settings WHERE name = ANY (?) ORDER BY name")) {
            ps.setArray(1, array);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    saved.add(new Saved(rs.getString(1), rs.getString(2), "session".equals(rs.getString(3))));
                }
            }
        } finally {
            array.free();
        }
        return new SavedSettings(List.copyOf(saved));
    }

    @Override
    public void restore(Connection c) throws SQLException {
        // set_config takes the value as a parameter: no quoting, whatever standard_conforming_strings is meanwhile
        try (PreparedStatement set = c.prepareStatement("SELECT pg_catalog.set_config(?, ?, false)");
             Statement reset = c.createStatement()) {
            for (Saved s : saved) {
                if (s.setBySession()) {
                    set.setString(1, s.name());
                    set.setString(2, s.setting());
                    set.executeQuery().close();
                } else if (NAME.matcher(s.name()).matches()) {
                    reset.execute("RESET " + s.name());
                }
            }
        }
    }
}
