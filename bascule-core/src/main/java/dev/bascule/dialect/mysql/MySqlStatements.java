package dev.bascule.dialect.mysql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The family's statements MySQL 8 cannot run as MariaDB's, run as MySQL's, asking the server what
 * it must know first:
 * <ul>
 * <li>a compound statement ({@code BEGIN NOT ATOMIC .. END}, a guard or a statement built from
 * information_schema) runs only inside a stored program on MySQL: it becomes a procedure of the
 * connection's database, called once and dropped; MariaDB's {@code EXECUTE IMMEDIATE} in it becomes
 * PREPARE and EXECUTE;</li>
 * <li>{@code CREATE OR REPLACE TRIGGER}: DROP TRIGGER then CREATE TRIGGER, with each {@code TYPE OF}
 * column anchor replaced by the column's type (and character set) as the server has it now;</li>
 * <li>{@code IF [NOT] EXISTS} on an ALTER TABLE's ADD/DROP COLUMN, ADD/DROP INDEX, DROP FOREIGN
 * KEY, DROP CONSTRAINT: the clause is left out when the server has (or lacks) the object already,
 * so a step run again does what is left, as on MariaDB.</li>
 * </ul>
 * CREATE PROCEDURE and DROP TRIGGER commit like any DDL on MySQL; every statement Bascule runs this
 * way is a guard before DDL or DDL itself, which commits anyway.
 */
final class MySqlStatements {
    /** Runs one statement as the dialect does (under the lock timeout, watched). */
    @FunctionalInterface
    interface Runner {
        void run(Connection c, String statement) throws SQLException;
    }

    private static final Pattern LEADING_COMMENTS = Pattern.compile("^(\\s*/\\*.*?\\*/)*\\s*", Pattern.DOTALL);
    private static final Pattern TRIGGER = Pattern.compile("(?is)^CREATE OR REPLACE TRIGGER (`(?:[^`]|``)+`\\.`(?:[^`]|``)+`)(.*)$");
    private static final Pattern TYPE_OF = Pattern.compile("(?i)TYPE OF `((?:[^`]|``)+)`\\.`((?:[^`]|``)+)`\\.`((?:[^`]|``)+)`");
    private static final Pattern ALTER = Pattern.compile("(?is)^ALTER TABLE `((?:[^`]|``)+)`\\.`((?:[^`]|``)+)` (.*)$");
    private static final Pattern METADATA_INPLACE = Pattern.compile(
            "(?is)^ALTER TABLE `(?:[^`]|``)+`\\.`(?:[^`]|``)+` (RENAME INDEX|COMMENT = ).*, ALGORITHM=INSTANT$");
    private static final Pattern SET_STATEMENT = Pattern.compile("(?is)^SET STATEMENT (.*?) FOR (.*)$");
    private static final Pattern CLAUSE = Pattern.compile(
            "(?is)^(ADD COLUMN|DROP COLUMN|ADD INDEX|ADD UNIQUE INDEX|DROP INDEX|DROP FOREIGN KEY|DROP CONSTRAINT) IF (NOT )?EXISTS `((?:[^`]|``)+)`(.*)$");

    private MySqlStatements() {}

    static void execute(Connection c, String original, Runner runner) throws SQLException {
        // MySQL takes no LOCK clause beside INSTANT (error 1221): INSTANT takes no lock to name
        String statement = original.replace("ALGORITHM=INSTANT, LOCK=NONE", "ALGORITHM=INSTANT");
        // renaming an index and a table's comment change the data dictionary only on MySQL too, but as INPLACE
        if (METADATA_INPLACE.matcher(statement).matches()) {
            statement = statement.substring(0, statement.length() - "INSTANT".length()) + "INPLACE, LOCK=NONE";
        }
        Matcher lead = LEADING_COMMENTS.matcher(statement);
        String body = lead.lookingAt() ? statement.substring(lead.end()) : statement;
        String upper = body.length() > 40 ? body.substring(0, 40).toUpperCase(Locale.ROOT) : body.toUpperCase(Locale.ROOT);
        if (upper.startsWith("BEGIN NOT ATOMIC")) {
            runBlock(c, "BEGIN " + body.substring("BEGIN NOT ATOMIC".length()), runner);
        } else if (upper.startsWith("SET STATEMENT ")) {
            setForStatement(c, body, runner);
        } else if (upper.startsWith("CREATE OR REPLACE TRIGGER")) {
            Matcher m = TRIGGER.matcher(body);
            if (!m.matches()) {
                throw new SQLException("cannot read the trigger's name: " + body.substring(0, Math.min(80, body.length())));
            }
            String definition = anchoredTypes(c, m.group(2));
            runner.run(c, "DROP TRIGGER IF EXISTS " + m.group(1));
            runner.run(c, "CREATE TRIGGER " + m.group(1) + definition);
        } else if (upper.startsWith("ALTER TABLE ") && body.contains(" EXISTS `")) {
            String alter = withoutExistsClauses(c, body);
            if (alter != null) {
                runner.run(c, alter);
            }
        } else {
            runner.run(c, statement);
        }
    }

    /**
     * MariaDB's {@code SET STATEMENT a = x, .. FOR statement}: the session's settings for the one
     * statement (MySQL's SET_VAR hint takes only some, foreign_key_checks not), given back after it.
     */
    private static void setForStatement(Connection c, String body, Runner runner) throws SQLException {
        Matcher m = SET_STATEMENT.matcher(body);
        if (!m.matches()) {
            throw new SQLException("cannot read SET STATEMENT .. FOR: " + body.substring(0, Math.min(80, body.length())));
        }
        List<String[]> settings = new ArrayList<>();
        for (String setting : splitClauses(m.group(1))) {
            String[] nameValue = setting.split("=", 2);
            String name = nameValue[0].strip();
            if (!name.matches("[A-Za-z_]+")) {
                throw new SQLException("not a session variable: " + name);
            }
            settings.add(new String[] {name, nameValue[1].strip()});
        }
        List<String> restore = new ArrayList<>();
        try (Statement s = c.createStatement()) {
            for (String[] setting : settings) {
                try (ResultSet rs = s.executeQuery("SELECT @@SESSION." + setting[0])) {
                    rs.next();
                    String value = rs.getString(1);
                    restore.add("SET SESSION " + setting[0] + " = " + (value == null ? "DEFAULT"
                            : value.matches("-?\\d+(\\.\\d+)?") ? value : "'" + value.replace("\\", "\\\\").replace("'", "''") + "'"));
                }
            }
            for (String[] setting : settings) {
                s.execute("SET SESSION " + setting[0] + " = " + setting[1]);
            }
        }
        try {
            execute(c, m.group(2), runner);
        } finally {
            try (Statement s = c.createStatement()) {
                for (String back : restore) {
                    s.execute(back);
                }
            }
        }
    }

    /** The block as a procedure of the connection's database, called once and dropped, failing as the block fails. */
    private static void runBlock(Connection c, String block, Runner runner) throws SQLException {
        String database;
        long id;
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT DATABASE(), CONNECTION_ID()")) {
            rs.next();
            database = rs.getString(1);
            id = rs.getLong(2);
        }
        if (database == null) {
            throw new SQLException("a compound statement runs in a procedure on MySQL, and the connection has no database");
        }
        String procedure = MySqlRole.quoteName(database) + ".`_bascule_block_" + id + "`";
        runner.run(c, "DROP PROCEDURE IF EXISTS " + procedure);
        runner.run(c, "CREATE PROCEDURE " + procedure + "() " + executeImmediate(block));
        try {
            runner.run(c, "CALL " + procedure + "()");
        } finally {
            try (Statement s = c.createStatement()) {
                s.execute("DROP PROCEDURE IF EXISTS " + procedure);
            }
        }
    }

    /** MariaDB's {@code EXECUTE IMMEDIATE expr;} as MySQL's dynamic SQL, which a procedure may run. */
    static String executeImmediate(String block) {
        StringBuilder out = new StringBuilder();
        int at = 0;
        while (true) {
            int i = indexOutsideQuotes(block, "EXECUTE IMMEDIATE ", at);
            if (i < 0) {
                out.append(block, at, block.length());
                return out.toString();
            }
            int end = indexOutsideQuotes(block, ";", i);
            out.append(block, at, i).append("SET @bascule_sql = ").append(block, i + "EXECUTE IMMEDIATE ".length(), end)
                    .append("; PREPARE bascule_statement FROM @bascule_sql; EXECUTE bascule_statement;"
                            + " DEALLOCATE PREPARE bascule_statement");
            at = end;
        }
    }

    /** The first {@code word} at or after {@code from} outside string literals and quoted names. */
    private static int indexOutsideQuotes(String text, String word, int from) {
        char quote = 0;
        for (int i = from; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (quote != 0) {
                if (ch == '\\' && quote != '`') {
                    i++;
                } else if (ch == quote) {
                    quote = 0;
                }
            } else if (ch == '\'' || ch == '"' || ch == '`') {
                quote = ch;
            } else if (text.regionMatches(true, i, word, 0, word.length())) {
                return i;
            }
        }
        return -1;
    }

    /** Each {@code TYPE OF `db`.`table`.`column`} as the column's type now, with its character set and collation. */
    private static String anchoredTypes(Connection c, String definition) throws SQLException {
        Matcher m = TYPE_OF.matcher(definition);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(columnType(c, unquote(m.group(1)), unquote(m.group(2)),
                    unquote(m.group(3)))));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String columnType(Connection c, String schema, String table, String column) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT CONCAT(COLUMN_TYPE, IF(CHARACTER_SET_NAME IS NULL, '',"
                + " CONCAT(' CHARACTER SET ', CHARACTER_SET_NAME, ' COLLATE ', COLLATION_NAME)))"
                + " FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND COLUMN_NAME = ?")) {
            ps.setString(1, schema);
            ps.setString(2, table);
            ps.setString(3, column);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException("column " + schema + "." + table + "." + column + " does not exist", "42S22", 1054);
                }
                return rs.getString(1);
            }
        }
    }

    /**
     * The ALTER without its IF [NOT] EXISTS clauses whose object the server has (or lacks), and
     * without the words in the others; null when no change is left (only ALGORITHM, LOCK).
     */
    private static String withoutExistsClauses(Connection c, String alter) throws SQLException {
        Matcher m = ALTER.matcher(alter);
        if (!m.matches()) {
            return alter;
        }
        String schema = unquote(m.group(1));
        String table = unquote(m.group(2));
        List<String> kept = new ArrayList<>();
        boolean change = false;
        for (String clause : splitClauses(m.group(3))) {
            Matcher k = CLAUSE.matcher(clause.strip());
            if (!k.matches()) {
                String upper = clause.strip().toUpperCase(Locale.ROOT);
                change |= !(upper.startsWith("ALGORITHM") || upper.startsWith("LOCK"));
                kept.add(clause.strip());
                continue;
            }
            String kind = k.group(1).toUpperCase(Locale.ROOT).replaceAll("\\s+", " ");
            String name = unquote(k.group(3));
            boolean exists = switch (kind) {
                case "ADD COLUMN", "DROP COLUMN" -> exists(c, "SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ?"
                        + " AND TABLE_NAME = ? AND COLUMN_NAME = ?", schema, table, name);
                case "ADD INDEX", "ADD UNIQUE INDEX", "DROP INDEX" -> exists(c, "SELECT 1 FROM information_schema.STATISTICS"
                        + " WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND INDEX_NAME = ?", schema, table, name);
                default -> exists(c, "SELECT 1 FROM information_schema.TABLE_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = ?"
                        + " AND TABLE_NAME = ? AND CONSTRAINT_NAME = ?", schema, table, name);
            };
            boolean adds = kind.startsWith("ADD");
            if (adds == exists) {
                continue; // there already, or gone already
            }
            kept.add(k.group(1) + " " + MySqlRole.quoteName(name) + k.group(4));
            change = true;
        }
        return change ? "ALTER TABLE " + MySqlRole.quoteName(schema) + "." + MySqlRole.quoteName(table) + " " + String.join(", ", kept)
                : null;
    }

    private static boolean exists(Connection c, String query, String... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(query)) {
            for (int i = 0; i < params.length; i++) {
                ps.setString(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** The clauses of an ALTER, split at commas outside parentheses, literals and quoted names. */
    static List<String> splitClauses(String text) {
        List<String> out = new ArrayList<>();
        int depth = 0;
        char quote = 0;
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (quote != 0) {
                if (ch == '\\' && quote != '`') {
                    i++;
                } else if (ch == quote) {
                    quote = 0;
                }
            } else if (ch == '\'' || ch == '"' || ch == '`') {
                quote = ch;
            } else if (ch == '(') {
                depth++;
            } else if (ch == ')') {
                depth--;
            } else if (ch == ',' && depth == 0) {
                out.add(text.substring(start, i));
                start = i + 1;
            }
        }
        out.add(text.substring(start));
        return out;
    }

    private static String unquote(String quoted) {
        return quoted.replace("``", "`");
    }
}
