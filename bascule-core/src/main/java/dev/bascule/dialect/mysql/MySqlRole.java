package dev.bascule.dialect.mysql;

import dev.bascule.api.ForeignKeyRef;
import dev.bascule.dialect.Dialect;
import dev.bascule.dialect.OwnerMarker;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** What every MySQL-family role shares: quoting through the dialect, error codes, session variables and small SQL fragments. */
abstract class MySqlRole {

    /** ER_LOCK_WAIT_TIMEOUT: a metadata or row lock was not granted within lock_wait_timeout / innodb_lock_wait_timeout. */
    static final int LOCK_WAIT_TIMEOUT = 1205;

    static final int DEADLOCK = 1213;

    /** ER_STATEMENT_TIMEOUT (MariaDB's max_statement_time) and MySQL's ER_QUERY_TIMEOUT (max_execution_time). */
    static final Set<Integer> STATEMENT_TIMEOUT = Set.of(1969, 3024);

    static final int PARSE_ERROR = 1064;

    /** The session variable new code sets to the version database it speaks (see docs/guides/mariadb.md). */
    public static final String VERSION_VARIABLE = "@bascule_version";

    /** Set by the backfill's sessions, whose writes the sync triggers leave alone. */
    static final String BACKFILL_VARIABLE = "@bascule_backfill";

    /** The session's own settings before Bascule's, kept on the connection for {@link #sessionReset}. */
    static final String SAVED = "@bascule_saved_session";

    static final Pattern STRING_TYPE = Pattern.compile(
            "(?i)(char|varchar|binary|varbinary|tinytext|text|mediumtext|longtext|tinyblob|blob|mediumblob|longblob)\\b.*");

    /** The planner's name of the copy triggers of split_table and merge_tables, which are AFTER triggers here. */
    static final String COPY_TRIGGERS = "_bascule_copy";

    final Dialect dialect;

    MySqlRole(Dialect dialect) {
        this.dialect = dialect;
    }

    /** Where MariaDB and MySQL differ. */
    MySqlFamily family() {
        return dialect instanceof MariaDbDialect d ? d.family() : MySqlFamily.MARIADB;
    }

    private static final Pattern CONSTANT = Pattern.compile("'(?:[^'\\\\]|'')*'|[+-]?\\d+(\\.\\d*)?([eE][+-]?\\d+)?|(?i:NULL|TRUE|FALSE)");

    /**
     * A column's DEFAULT clause: an expression in parentheses, as MariaDB takes any default; MySQL
     * adds a column INSTANT only with a literal default, so a constant is written bare there.
     */
    String defaultClause(String expression) {
        return family() == MySqlFamily.MYSQL && CONSTANT.matcher(expression.strip()).matches()
                ? " DEFAULT " + expression.strip() : " DEFAULT (" + expression + ")";
    }

    String quote(String identifier) {
        return dialect.quote(identifier);
    }

    String literal(String value) {
        return dialect.literal(value);
    }

    String qualify(String schema, String name) {
        return dialect.qualify(schema, name);
    }

    /** Backticks, doubled inside: MariaDB's and MySQL's quoting whatever sql_mode says (ANSI_QUOTES or not). */
    static String quoteName(String identifier) {
        return '`' + identifier.replace("`", "``") + '`';
    }

    /** The owner's marker as a comment of a trigger's body, which the server keeps as written. */
    static String markerComment(OwnerMarker owner) {
        return "/* " + owner.text() + " */";
    }

    /** Trigger names are per database here, not per table: the name carries the table's function name. */
    static String triggerName(String functionName, String event) {
        return "_bascule_" + hash(functionName) + (event.equals("INSERT") ? "_ins" : "_upd");
    }

    /*
     * Old code writes the old table(s) and new code the new one(s); an AFTER INSERT, an AFTER UPDATE
     * and an AFTER DELETE trigger on each table copy the write to the other side. A trigger may not
     * modify a table the statement that fired it uses (error 1442), and the server checks that when
     * the trigger's statement runs, not when the tables are opened: so the copy made by one side's
     * trigger must not be copied back by the other side's, and it is not, since each side copies
     * only the writes of its own version ({@value #VERSION_VARIABLE}). The backfill's sessions
     * ({@value #BACKFILL_VARIABLE}) copy rows themselves. What 1442 still refuses: a statement of
     * new code that writes a part and reads or writes the split table too (docs/guides/mariadb.md).
     */

    /** The copy triggers' names: per database, so they carry the hash of the table's function name. */
    static String copyTriggerName(String functionName, String event) {
        return "_bascule_" + hash(functionName) + switch (event) {
            case "INSERT" -> "_ai";
            case "UPDATE" -> "_au";
            default -> "_ad";
        };
    }

    String fields(String record, List<String> columns) {
        return columns.stream().map(c -> record + "." + quote(c)).collect(Collectors.joining(", "));
    }

    String row(String record, List<String> columns) {
        return "(" + fields(record, columns) + ")";
    }

    String quoteAll(List<String> names) {
        return names.stream().map(this::quote).collect(Collectors.joining(", "));
    }

    static UnsupportedOperationException notHere(String what) {
        return new UnsupportedOperationException(what + " is not available on MariaDB; the operation that needs it is"
                + " refused at plan time");
    }

    static String hash(String s) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * ON DUPLICATE KEY UPDATE the {@code update} columns to the values the INSERT brought; with
     * none, a no-op on the key (ON CONFLICT DO NOTHING: INSERT IGNORE would also turn a value the
     * column refuses into a warning). Names are qualified: an INSERT .. SELECT's own tables would
     * make a bare name ambiguous (error 1052).
     */
    String onDuplicate(String table, List<String> key, List<String> update) {
        return update.isEmpty() ? " ON DUPLICATE KEY UPDATE " + table + "." + quote(key.get(0)) + " = " + table + "."
                + quote(key.get(0)) : onDuplicateUpdate(table, update);
    }

    /** Each column of {@code table} (qualified: an INSERT .. SELECT may read a column of the same name) takes the new row's value. */
    String onDuplicateUpdate(String table, List<String> columns) {
        return " ON DUPLICATE KEY UPDATE " + columns.stream().map(c -> table + "." + quote(c) + " = VALUES(" + quote(c) + ")")
                .collect(Collectors.joining(", "));
    }

    String joinOn(String left, String right, List<String> key) {
        return key.stream().map(k -> left + "." + quote(k) + " = " + right + "." + quote(k)).collect(Collectors.joining(" AND "));
    }

    /** A saved setting, or the server's default when none was saved (the connection was never set up). */
    static String saved(String name, String type) {
        return saved(name, name, type);
    }

    /** A setting saved under {@code name}, whose server variable is {@code variable} (MariaDB's and MySQL's names differ). */
    static String saved(String name, String variable, String type) {
        String value = "JSON_VALUE(" + SAVED + ", '$." + name + "')";
        return "COALESCE(" + (type == null ? value : "CAST(" + value + " AS " + type + ")") + ", @@GLOBAL." + variable + ")";
    }

    String references(String schema, ForeignKeyRef r) {
        if (r.matchFull()) {
            throw notHere("MATCH FULL"); // InnoDB parses MATCH and ignores it: refused at plan time
        }
        return "REFERENCES " + qualify(schema, r.table()) + " (" + quoteAll(r.columns()) + ")"
                + r.onDelete().map(d -> " ON DELETE " + action(d)).orElse("")
                + r.onUpdate().map(d -> " ON UPDATE " + action(d)).orElse("");
    }

    /** A foreign key action, one of the five SQL has (the reader's words; the Java API's are checked here too). */
    private static String action(String a) {
        String norm = a.strip().toUpperCase(java.util.Locale.ROOT);
        if (!List.of("NO ACTION", "RESTRICT", "CASCADE", "SET NULL", "SET DEFAULT").contains(norm)) {
            throw new IllegalArgumentException("not a foreign key action: " + a);
        }
        return norm;
    }
}
