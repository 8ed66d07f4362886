package dev.bascule.cli;

import dev.bascule.api.InvalidMigrationException;
import dev.bascule.dialect.Dialect;
import dev.bascule.dialect.detect.Dialects;
import org.mariadb.jdbc.MariaDbDataSource;
import org.postgresql.ds.PGSimpleDataSource;

import javax.sql.DataSource;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** Builds the data source from the URL the user gave (PostgreSQL, MariaDB or MySQL), refusing URLs of other databases. */
final class DataSources {
    private DataSources() {}

    /** A data source and the JDBC URL that names its database (the URL's scheme alone for PostgreSQL). */
    record Database(DataSource dataSource, String jdbcUrl) {}

    static Database open(String url, String user, String password, Secrets secrets) {
        if (url != null && url.trim().toLowerCase(Locale.ROOT).matches("jdbc:(mariadb|mysql):.*")) {
            String jdbc = url.trim();
            return new Database(mariadb(jdbc, user, password, secrets), jdbc);
        }
        PGSimpleDataSource ds = postgres(url, user, password, secrets);
        return new Database(ds, "jdbc:postgresql:");
    }

    /**
     * MariaDB Connector/J for {@code jdbc:mariadb:} and {@code jdbc:mysql:} URLs (the driver takes
     * a {@code jdbc:mysql:} URL only under its own scheme, so it is rewritten).
     */
    static MariaDbDataSource mariadb(String url, String user, String password, Secrets secrets) {
        String jdbc = url.toLowerCase(Locale.ROOT).startsWith("jdbc:mysql:") ? "jdbc:mariadb:" + url.substring(11) : url;
        int q = jdbc.indexOf('?');
        if (q >= 0) {
            for (String param : jdbc.substring(q + 1).split("&")) {
                if (param.toLowerCase(Locale.ROOT).startsWith("password=")) {
                    String secret = param.substring(9);
                    secrets.add(secret);
                    secrets.add(URLDecoder.decode(secret, StandardCharsets.UTF_8));
                }
            }
        }
        MariaDbDataSource ds = new MariaDbDataSource();
        try {
            ds.setUrl(jdbc);
            if (user != null && !user.isBlank()) {
                ds.setUser(user);
            }
            if (password != null) {
                ds.setPassword(password);
            }
        } catch (java.sql.SQLException | IllegalArgumentException e) {
            // the driver's message may repeat the URL; never echo it unscrubbed
            throw new InvalidMigrationException("--url " + secrets.scrub(url) + " is not a valid MariaDB/MySQL JDBC URL;"
                    + " expected jdbc:mariadb://HOST[:PORT]/DATABASE[?key=value&...]");
        }
        return ds;
    }

    static PGSimpleDataSource postgres(String url, String user, String password, Secrets secrets) {
        if (url == null || url.isBlank()) {
            throw new InvalidMigrationException("no database URL: pass --url jdbc:postgresql://HOST:PORT/DATABASE,"
                    + " set BASCULE_URL, or put url: in " + ConfigFile.DEFAULT_NAME);
        }
        String jdbc = toJdbc(url.trim(), secrets);
        PGSimpleDataSource ds = new PGSimpleDataSource();
        try {
            ds.setUrl(jdbc);
        } catch (IllegalArgumentException e) {
            // pgjdbc's message repeats the URL; never echo it unscrubbed
            throw new InvalidMigrationException("--url " + secrets.scrub(url) + " is not a valid PostgreSQL JDBC URL;"
                    + " expected jdbc:postgresql://HOST[:PORT]/DATABASE[?key=value&...]");
        }
        secrets.add(ds.getPassword());
        if (user != null && !user.isBlank()) {
            ds.setUser(user);
        }
        if (password != null) {
            ds.setPassword(password);
        }
        return ds;
    }

    /**
     * {@code jdbc:postgresql:...} as is; a libpq URI {@code postgres[ql]://user:pass@host:port/db?k=v}
     * turned into its JDBC form; anything else refused.
     */
    static String toJdbc(String url, Secrets secrets) {
        String lower = url.toLowerCase(Locale.ROOT);
        if (lower.startsWith("jdbc:postgresql:")) {
            refuseUserInfo(url, secrets);
            return url;
        }
        if (lower.startsWith("postgres://") || lower.startsWith("postgresql://")) {
            return fromLibpqUri(url, secrets);
        }
        if (lower.startsWith("jdbc:mysql:") || lower.startsWith("jdbc:mariadb:")) {
            return url;
        }
        if (lower.startsWith("jdbc:")) {
            String kind = lower.substring(5, Math.max(5, lower.indexOf(':', 5)));
            throw new InvalidMigrationException("--url is a JDBC URL for '" + kind + "', which Bascule does not support;"
                    + " use a jdbc:postgresql://HOST[:PORT]/DATABASE or jdbc:mariadb://HOST[:PORT]/DATABASE URL");
        }
        throw new InvalidMigrationException("--url " + secrets.scrub(url) + " is not a JDBC URL;"
                + " expected jdbc:postgresql://HOST[:PORT]/DATABASE");
    }

    /**
     * pgjdbc does not read {@code user:password@} in a JDBC URL: it takes them for part of the host
     * name, which it then looks up (DNS) and prints in its errors. Refused, naming the way that works.
     */
    private static void refuseUserInfo(String url, Secrets secrets) {
        int start = url.indexOf("//");
        if (start < 0) {
            return;
        }
        String rest = url.substring(start + 2);
        int end = rest.length();
        for (char c : new char[] {'/', '?'}) {
            int at = rest.indexOf(c);
            if (at >= 0) {
                end = Math.min(end, at);
            }
        }
        int at = rest.lastIndexOf('@', end - 1);
        if (at < 0) {
            return;
        }
        String userInfo = rest.substring(0, at);
        int colon = userInfo.indexOf(':');
        if (colon >= 0) {
            secrets.add(userInfo.substring(colon + 1));
            secrets.add(URLDecoder.decode(userInfo.substring(colon + 1), StandardCharsets.UTF_8));
        }
        throw new InvalidMigrationException("--url: a jdbc:postgresql: URL cannot carry USER:PASSWORD@ before the host"
                + " (the driver would take them for the host name); give them with --user and --password"
                + " (BASCULE_USER, BASCULE_PASSWORD), or use the postgres://USER:PASSWORD@HOST/DATABASE form");
    }

    private static String fromLibpqUri(String url, Secrets secrets) {
        URI u;
        try {
            u = new URI(url);
        } catch (URISyntaxException e) {
            throw new InvalidMigrationException("--url " + secrets.scrub(url) + " is not a valid URI;"
                    + " expected postgres://USER:PASSWORD@HOST:PORT/DATABASE or jdbc:postgresql://HOST:PORT/DATABASE");
        }
        if (u.getHost() == null) {
            throw new InvalidMigrationException("--url " + secrets.scrub(url) + " names no host;"
                    + " use the jdbc:postgresql:// form for anything but a single host");
        }
        StringBuilder sb = new StringBuilder("jdbc:postgresql://");
        sb.append(u.getHost().contains(":") && !u.getHost().startsWith("[") ? "[" + u.getHost() + "]" : u.getHost());
        if (u.getPort() > 0) {
            sb.append(':').append(u.getPort());
        }
        sb.append(u.getRawPath() == null || u.getRawPath().isEmpty() ? "/" : u.getRawPath());
        StringBuilder query = new StringBuilder(u.getRawQuery() == null ? "" : u.getRawQuery());
        String info = u.getRawUserInfo();
        if (info != null) {
            int colon = info.indexOf(':');
            String user = colon < 0 ? info : info.substring(0, colon);
            if (!user.isEmpty()) {
                append(query, "user=" + user);
            }
            if (colon >= 0) {
                String password = info.substring(colon + 1);
                secrets.add(password);
                secrets.add(URLDecoder.decode(password, StandardCharsets.UTF_8));
                append(query, "password=" + password);
            }
        }
        if (query.length() > 0) {
            sb.append('?').append(query);
        }
        return sb.toString();
    }

    private static void append(StringBuilder query, String param) {
        if (query.length() > 0) {
            query.append('&');
        }
        query.append(param);
    }
}
