package dev.bascule.bench.ptosc;

import org.mariadb.jdbc.MariaDbDataSource;

import javax.sql.DataSource;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The server both tools work on, reached two ways: by JDBC (without a default database: every
 * statement of the benchmark names its database) and by pt-online-schema-change's DSN.
 */
final class MariaDbServer {
    private static final Pattern URL = Pattern.compile("^jdbc:(?:mariadb|mysql)://([^/?]+)(/[^?]*)?(\\?.*)?$");

    private final String host;
    private final int port;
    private final Map<String, String> parameters;
    private final DataSource dataSource;

    MariaDbServer(String url) throws SQLException {
        Matcher m = URL.matcher(url);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a jdbc:mariadb://host[:port]/[db][?params] URL");
        }
        URI hostPort = URI.create("mariadb://" + m.group(1));
        this.host = hostPort.getHost();
        this.port = hostPort.getPort() < 0 ? 3306 : hostPort.getPort();
        this.parameters = new LinkedHashMap<>();
        if (m.group(3) != null) {
            for (String kv : m.group(3).substring(1).split("&")) {
                if (kv.isEmpty()) continue;
                int eq = kv.indexOf('=');
                parameters.put(kv.substring(0, eq < 0 ? kv.length() : eq),
                        eq < 0 ? "" : URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        MariaDbDataSource ds = new MariaDbDataSource();
        ds.setUrl("jdbc:mariadb://" + m.group(1) + "/" + (m.group(3) == null ? "" : m.group(3)));
        this.dataSource = ds;
    }

    DataSource dataSource() {
        return dataSource;
    }

    String version() throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT VERSION()")) {
            rs.next();
            return rs.getString(1);
        }
    }

    /**
     * pt-online-schema-change's DSN for {@code database.table}. A password goes through an option
     * file readable by this user only, never on the command line where {@code ps} shows it.
     */
    String ptoscDsn(String database, String table, List<Path> cleanup) throws java.io.IOException {
        List<String> parts = new ArrayList<>();
        String password = parameters.get("password");
        if (password != null && !password.isEmpty()) {
            Path file = Files.createTempFile("bench-ptosc", ".cnf", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, "[client]\npassword=\"" + password.replace("\\", "\\\\").replace("\"", "\\\"") + "\"\n");
            cleanup.add(file);
            parts.add("F=" + file); // pt tools want F first
        }
        parts.add("h=" + host);
        parts.add("P=" + port);
        String user = parameters.get("user");
        if (user != null && !user.isEmpty()) parts.add("u=" + user);
        parts.add("D=" + database);
        parts.add("t=" + table);
        return String.join(",", parts);
    }

    void exec(String... statements) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            for (String sql : statements) s.execute(sql);
        }
    }

    /** Drops every database whose name begins with {@code prefix} (letters, digits and underscores only). */
    void dropDatabases(String prefix) throws SQLException {
        if (!prefix.matches("[A-Za-z0-9_]+")) throw new IllegalArgumentException("prefix " + prefix);
        List<String> names = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE '"
                     + prefix.replace("_", "\\_") + "%'")) {
            while (rs.next()) names.add(rs.getString(1));
        }
        for (String n : names) exec("DROP DATABASE IF EXISTS " + quote(n));
    }

    static String quote(String identifier) {
        return '`' + identifier.replace("`", "``") + '`';
    }
}
