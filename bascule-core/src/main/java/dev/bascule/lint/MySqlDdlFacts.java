package dev.bascule.lint;

import dev.bascule.sql.SqlLexer;
import dev.bascule.sql.SqlSyntax;


import dev.bascule.lint.MySqlDdl.Action;
import dev.bascule.lint.MySqlDdl.Op;
import dev.bascule.sql.SqlLexer.Kind;
import dev.bascule.sql.SqlLexer.Token;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How MySQL 8.0 and MariaDB run a statement that changes an existing InnoDB table: the most efficient
 * algorithm the server can use (INSTANT, NOCOPY, INPLACE or COPY), the weakest lock it can hold while it works
 * (NONE, SHARED or EXCLUSIVE), and whether the table is rebuilt. From the "Online DDL Operations" tables of the
 * MySQL 8.0 manual and MariaDB's "InnoDB Online DDL Operations with the INSTANT/NOCOPY/INPLACE Alter
 * Algorithm" pages; the MariaDB column was checked on MariaDB 10.11 ({@code MySqlDdlFactsServerTest}), and
 * where the two servers differ docs/reference/lint.md lists it.
 *
 * <p>Pure: no database. What the statement alone cannot tell (a MODIFY's old type, foreign_key_checks) comes
 * from {@link Given}; without it, facts assume the worst (a MODIFY changes the type) and say so in a note.
 * Every statement also takes the table's metadata lock exclusively for a moment at its start and end: that
 * wait is what lock_wait_timeout bounds, and is not the lock reported here.
 */
final class MySqlDdlFacts {
    /** From most to least efficient. MySQL has no NOCOPY: where MariaDB says NOCOPY, MySQL says INPLACE. */
    public enum Algorithm { INSTANT, NOCOPY, INPLACE, COPY }

    /** What other sessions may do while the statement works: NONE lets them read and write, SHARED only read. */
    public enum Lock { NONE, SHARED, EXCLUSIVE }

    /** A server product and version: version-dependent facts (instant column changes) follow it. */
    public record Server(Product product, int major, int minor, int patch) {
        public enum Product { MYSQL, MARIADB }

        /** MySQL 8.0.29 and later 8.0 releases: a column can be added anywhere or dropped instantly. */
        public static final Server MYSQL_8_0 = new Server(Product.MYSQL, 8, 0, 29);
        public static final Server MARIADB_10_11 = new Server(Product.MARIADB, 10, 11, 0);

        private static final Pattern VERSION = Pattern.compile("(\\d+)\\.(\\d+)\\.(\\d+)");

        /** From {@code SELECT VERSION()}: {@code 10.11.19-MariaDB-0+deb12u1}, {@code 8.0.36}. */
        public static Server parse(String version) {
            Matcher m = VERSION.matcher(version);
            if (!m.find()) throw new IllegalArgumentException("not a server version: '" + version + "'");
            Product product = version.toLowerCase(Locale.ROOT).contains("mariadb") ? Product.MARIADB : Product.MYSQL;
            return new Server(product, Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)));
        }

        /**
         * MariaDB 11.2 and later copy a table without blocking writes: {@code ALGORITHM=COPY} takes
         * {@code LOCK=NONE} and replays the writes made during the copy (MDEV-16329). The one version
         * check of the facts that changes within MariaDB 10.11+.
         */
        public boolean copiesOnline() {
            return mariadb() && atLeast(11, 2, 0);
        }

        public boolean atLeast(int major, int minor, int patch) {
            return this.major != major ? this.major > major : this.minor != minor ? this.minor > minor : this.patch >= patch;
        }

        boolean mariadb() {
            return product == Product.MARIADB;
        }
    }

    /**
     * A column as information_schema.COLUMNS shows it: COLUMN_TYPE, CHARACTER_SET_NAME (null for
     * non-text), IS_NULLABLE; and whether an index holds it (assumed so when not known).
     */
    public record Column(String type, String charset, boolean nullable, boolean indexed) {
        public Column(String type, String charset, boolean nullable) {
            this(type, charset, nullable, true);
        }
    }

    /**
     * What the facts depend on beyond the statement.
     *
     * @param columns          the table's columns by lower-case name, for MODIFY and CHANGE; empty when unknown
     * @param foreignKeyChecks the session's foreign_key_checks: ADD FOREIGN KEY copies the table when on
     */
    public record Given(Map<String, Column> columns, boolean foreignKeyChecks) {
        public static final Given NOTHING = new Given(Map.of(), true);
    }

    /**
     * How the server runs the statement.
     *
     * @param refusal why the server refuses the statement's own ALGORITHM or LOCK clause (error 1845 or 1846), or null
     * @param notes   conditions the facts assume, and where the servers differ
     */
    public record Facts(Algorithm algorithm, Lock lock, boolean rebuildsTable, String refusal, List<String> notes) {
        /** Lets reads and writes through: no table lock while it works, and nothing refused. */
        public boolean online() {
            return lock == Lock.NONE && algorithm != Algorithm.COPY && refusal == null;
        }
    }

    private record Fact(Algorithm algorithm, Lock lock, boolean rebuild, String note) {
        Fact(Algorithm algorithm, Lock lock, boolean rebuild) {
            this(algorithm, lock, rebuild, null);
        }
    }

    private static final Fact INSTANT = new Fact(Algorithm.INSTANT, Lock.NONE, false);
    private static final Fact IN_PLACE = new Fact(Algorithm.INPLACE, Lock.NONE, false);
    private static final Fact REBUILD = new Fact(Algorithm.INPLACE, Lock.NONE, true);
    private static final Fact COPY = new Fact(Algorithm.COPY, Lock.SHARED, true);
    private static final String ONLINE_COPY = "MariaDB 11.2+ copies the table with LOCK=NONE, replaying the writes made"
            + " meanwhile: still a whole copy of the table (time, disk, binlog), not an online change";

    private MySqlDdlFacts() {}

    /** On either server: the least efficient of MySQL 8.0 (8.0.29+) and MariaDB 10.11, knowing nothing beyond the statement. */
    public static Optional<Facts> facts(String statement) {
        Optional<Facts> mysql = facts(statement, Server.MYSQL_8_0, Given.NOTHING);
        Optional<Facts> mariadb = facts(statement, Server.MARIADB_10_11, Given.NOTHING);
        if (mysql.isEmpty() || mariadb.isEmpty()) return Optional.empty();
        Facts a = mysql.get();
        Facts b = mariadb.get();
        Set<String> notes = new LinkedHashSet<>(a.notes());
        notes.addAll(b.notes());
        return Optional.of(new Facts(max(a.algorithm(), b.algorithm()), max(a.lock(), b.lock()), a.rebuildsTable() || b.rebuildsTable(),
                a.refusal() != null ? "MySQL: " + a.refusal() : b.refusal() != null ? "MariaDB: " + b.refusal() : null, List.copyOf(notes)));
    }

    public static Optional<Facts> facts(String statement, Server server) {
        return facts(statement, server, Given.NOTHING);
    }

    /** Empty for a statement that changes no existing table (CREATE TABLE, DML...), or for TRUNCATE and DROP TABLE. */
    public static Optional<Facts> facts(String statement, Server server, Given given) {
        List<Token> tokens = SqlLexer.tokens(statement, 1, SqlSyntax.MYSQL).stream()
                .filter(t -> t.kind() != Kind.COMMENT && !t.isSymbol(";")).toList();
        return MySqlDdl.parse(tokens).map(ddl -> facts(ddl, server, given));
    }

    static Facts facts(MySqlDdl ddl, Server server, Given given) {
        List<Fact> facts = new ArrayList<>();
        for (Action a : ddl.actions()) {
            facts.addAll(action(a, ddl, server, given));
        }
        if (server.copiesOnline() && facts.stream().anyMatch(f -> f.algorithm() == Algorithm.COPY)) {
            facts = new ArrayList<>(facts.stream().map(f -> f.algorithm() == Algorithm.COPY
                    ? new Fact(Algorithm.COPY, Lock.NONE, f.rebuild(), f.note()) : f).toList());
            facts.add(new Fact(Algorithm.INSTANT, Lock.NONE, false, ONLINE_COPY));
        }
        Algorithm algorithm = facts.stream().map(Fact::algorithm).reduce(Algorithm.INSTANT, MySqlDdlFacts::max);
        Lock lock = facts.stream().map(Fact::lock).reduce(Lock.NONE, MySqlDdlFacts::max);
        boolean rebuild = facts.stream().anyMatch(Fact::rebuild);
        Set<String> notes = new LinkedHashSet<>();
        facts.stream().map(Fact::note).filter(n -> n != null).forEach(notes::add);
        boolean instantColumns = ddl.hasOp(Op.ADD_COLUMN) || ddl.hasOp(Op.DROP_COLUMN);
        if (algorithm != Algorithm.INSTANT && instantColumns) {
            // an instant ADD or DROP COLUMN cannot share a statement with work that is not instant: it rebuilds then
            algorithm = max(algorithm, Algorithm.INPLACE);
            rebuild = true;
            notes.add("ADD or DROP COLUMN with an action that is not instant rebuilds the table: give it a statement of its own");
        }
        String refusal = null;
        String stated = ddl.algorithm();
        if (stated != null && !stated.equals("default")) {
            Algorithm asked = Algorithm.valueOf(stated.toUpperCase(Locale.ROOT));
            if (asked == Algorithm.NOCOPY && !server.mariadb()) {
                refusal = "MySQL has no ALGORITHM=NOCOPY (a syntax error): use INPLACE";
            } else if (asked.ordinal() < algorithm.ordinal()) {
                refusal = "ALGORITHM=" + asked + " is not supported for this operation: it needs " + algorithm;
            } else if (asked == Algorithm.COPY) {
                algorithm = Algorithm.COPY;
                lock = max(lock, server.copiesOnline() ? Lock.NONE : Lock.SHARED);
                rebuild = true;
            } else if (asked == Algorithm.INPLACE && !server.mariadb() && algorithm == Algorithm.INSTANT) {
                // MySQL runs exactly the algorithm asked for: an INPLACE ADD or DROP COLUMN rebuilds the table
                algorithm = Algorithm.INPLACE;
                rebuild |= instantColumns;
            }
        }
        String lockAsked = ddl.lock();
        if (refusal == null && lockAsked != null && !lockAsked.equals("default")) {
            Lock asked = Lock.valueOf(lockAsked.toUpperCase(Locale.ROOT));
            if (!server.mariadb() && "instant".equals(stated)) {
                refusal = "MySQL takes no LOCK clause but DEFAULT with ALGORITHM=INSTANT (error 1221)";
            } else if (asked.ordinal() < lock.ordinal()) {
                refusal = "LOCK=" + asked + " is not supported for this operation: it needs LOCK=" + lock;
            } else {
                lock = asked;
            }
        }
        return new Facts(algorithm, lock, rebuild, refusal, List.copyOf(notes));
    }

    private static List<Fact> action(Action a, MySqlDdl ddl, Server s, Given given) {
        boolean maria = s.mariadb();
        return switch (a.op()) {
            case ADD_COLUMN -> addColumn(a, s);
            case DROP_COLUMN -> List.of(maria
                    ? (s.atLeast(10, 4, 0) ? new Fact(Algorithm.INSTANT, Lock.NONE, false, "MariaDB drops a column that is in an index"
                    + " with ALGORITHM=NOCOPY (the index goes too)") : REBUILD)
                    : (s.atLeast(8, 0, 29) ? INSTANT : REBUILD));
            case RENAME_COLUMN -> List.of(maria || s.atLeast(8, 0, 28) ? INSTANT : IN_PLACE);
            case COLUMN_DEFAULT -> List.of(INSTANT);
            case CHANGE_COLUMN, MODIFY_COLUMN -> List.of(columnChange(a, s, given));
            case ADD_INDEX -> List.of(maria ? new Fact(Algorithm.NOCOPY, Lock.NONE, false) : IN_PLACE);
            case ADD_FULLTEXT_INDEX -> List.of(new Fact(Algorithm.INPLACE, Lock.SHARED, true,
                    "the first FULLTEXT index rebuilds the table (unless it has an FTS_DOC_ID column); later ones do not"));
            case ADD_SPATIAL_INDEX -> List.of(new Fact(maria ? Algorithm.NOCOPY : Algorithm.INPLACE, Lock.SHARED, false));
            case DROP_INDEX -> List.of(maria ? new Fact(Algorithm.NOCOPY, Lock.NONE, false) : IN_PLACE);
            case RENAME_INDEX -> List.of(maria ? INSTANT : IN_PLACE);
            case ADD_PRIMARY_KEY -> List.of(new Fact(Algorithm.INPLACE, Lock.NONE, true,
                    "ADD PRIMARY KEY in place needs its columns NOT NULL already; otherwise the server copies the table"));
            case DROP_PRIMARY_KEY -> List.of(ddl.hasOp(Op.ADD_PRIMARY_KEY) ? REBUILD
                    : new Fact(Algorithm.COPY, Lock.SHARED, true, "DROP PRIMARY KEY without ADD PRIMARY KEY in the same statement copies the table"));
            case ADD_FOREIGN_KEY -> List.of(given.foreignKeyChecks()
                    ? new Fact(Algorithm.COPY, Lock.SHARED, true, "ADD FOREIGN KEY with foreign_key_checks=1 copies the table;"
                    + " with foreign_key_checks=0 it is " + (maria ? "NOCOPY" : "INPLACE") + ", LOCK=NONE")
                    : new Fact(maria ? Algorithm.NOCOPY : Algorithm.INPLACE, Lock.NONE, false));
            case DROP_FOREIGN_KEY -> List.of(maria ? INSTANT : IN_PLACE);
            case ADD_CHECK -> List.of(new Fact(Algorithm.COPY, Lock.SHARED, true, "ADD CHECK checks every row in a copy of the table"));
            case DROP_CONSTRAINT -> List.of(maria ? INSTANT : IN_PLACE);
            case RENAME_TABLE -> List.of(new Fact(Algorithm.INSTANT, Lock.EXCLUSIVE, false,
                    "a rename changes only metadata: the exclusive lock lasts as long as the rename"));
            case CONVERT_CHARSET -> List.of(new Fact(Algorithm.COPY, Lock.SHARED, true, maria
                    ? "MariaDB converts utf8mb3 to utf8mb4 instantly when no column changes type (TEXT grows to MEDIUMTEXT) or is indexed"
                    : "CONVERT TO CHARACTER SET copies the table"));
            case TABLE_CHARSET -> List.of(maria ? INSTANT : new Fact(Algorithm.INPLACE, Lock.NONE, true,
                    "MySQL rebuilds the table when the new default character set encodes differently"));
            case REBUILD -> List.of(new Fact(Algorithm.INPLACE, Lock.NONE, true,
                    "a table with a FULLTEXT index is rebuilt under LOCK=SHARED (MySQL: copied)"));
            case AUTO_INCREMENT, TABLE_OPTION -> List.of(maria ? INSTANT : IN_PLACE);
            case OTHER -> List.of(new Fact(Algorithm.COPY, Lock.SHARED, true, "an action these facts do not cover: assumed to copy the table"));
        };
    }

    private static List<Fact> addColumn(Action a, Server s) {
        boolean maria = s.mariadb();
        Set<String> words = new java.util.HashSet<>();
        a.definition().stream().filter(t -> t.kind() == Kind.WORD).forEach(t -> words.add(t.text()));
        List<Fact> facts = new ArrayList<>();
        if (words.contains("auto_increment")) {
            facts.add(new Fact(Algorithm.INPLACE, Lock.SHARED, true, "adding an AUTO_INCREMENT column blocks writes while it rebuilds the table"));
        } else if ((words.contains("as") || words.contains("generated")) && (words.contains("stored") || words.contains("persistent"))) {
            facts.add(new Fact(Algorithm.COPY, Lock.SHARED, true, "a STORED generated column is computed for every row in a copy of the table"));
        } else if (words.contains("as") || words.contains("generated")) {
            facts.add(INSTANT);
        } else {
            boolean instant = a.positioned()
                    ? (maria ? s.atLeast(10, 4, 0) : s.atLeast(8, 0, 29))
                    : (maria ? s.atLeast(10, 3, 2) : s.atLeast(8, 0, 12));
            facts.add(instant ? INSTANT : new Fact(Algorithm.INPLACE, Lock.NONE, true,
                    "a column is added instantly from MySQL 8.0.12 (anywhere: 8.0.29) and MariaDB 10.3.2 (anywhere: 10.4)"));
        }
        if (words.contains("primary")) facts.add(new Fact(Algorithm.INPLACE, Lock.NONE, true));
        else if (words.contains("unique")) facts.add(maria ? new Fact(Algorithm.NOCOPY, Lock.NONE, false) : IN_PLACE);
        return facts;
    }

    /** MODIFY or CHANGE: what changes between the column's current definition and the new one. */
    private static Fact columnChange(Action a, Server s, Given given) {
        boolean maria = s.mariadb();
        Column old = given.columns().get(a.column().toLowerCase(Locale.ROOT));
        if (old == null) {
            return new Fact(Algorithm.COPY, Lock.SHARED, true,
                    "MODIFY/CHANGE assumed to change the column's type (its current definition was not given): that copies the table");
        }
        String newType = normalize(a.type());
        String oldType = normalize(old.type());
        String newCharset = charset(a.definition());
        boolean charsetChanges = newCharset != null && old.charset() != null && !newCharset.equalsIgnoreCase(old.charset());
        boolean notNull = containsNotNull(a.definition());
        List<Fact> parts = new ArrayList<>();
        if (!newType.equals(oldType)) {
            parts.add(typeChange(oldType, newType, newCharset != null ? newCharset : old.charset(), s));
        } else if (charsetChanges) {
            boolean widening = old.charset().toLowerCase(Locale.ROOT).matches("utf8(mb3)?") && newCharset.equalsIgnoreCase("utf8mb4");
            parts.add(maria && widening ? new Fact(Algorithm.INSTANT, Lock.NONE, false, "MariaDB changes utf8mb3 to utf8mb4 instantly"
                    + " (NOCOPY when the column is indexed)")
                    // checked on MySQL 8.0.31: an indexed column's is refused INPLACE (error 1846), an unindexed one's rebuilds online
                    : !maria && widening && !old.indexed() && sameLengthPrefix(oldType, 3, 4)
                    ? new Fact(Algorithm.INPLACE, Lock.NONE, true, "MySQL rebuilds the table to widen utf8mb3 to utf8mb4;"
                    + " it copies it when the column is in an index") : COPY);
        }
        if (notNull && old.nullable()) {
            parts.add(new Fact(Algorithm.INPLACE, Lock.NONE, true, "NOT NULL is checked while the table is rebuilt (strict SQL mode)"));
        } else if (!notNull && !old.nullable()) {
            parts.add(REBUILD);
        }
        if (a.positioned()) {
            parts.add(maria && s.atLeast(10, 4, 0) ? INSTANT : REBUILD);
        }
        if (a.op() == Op.CHANGE_COLUMN && !a.column().equalsIgnoreCase(a.newName())) {
            parts.add(maria || s.atLeast(8, 0, 28) ? INSTANT : IN_PLACE);
        }
        Algorithm algorithm = parts.stream().map(Fact::algorithm).reduce(Algorithm.INSTANT, MySqlDdlFacts::max);
        Lock lock = parts.stream().map(Fact::lock).reduce(Lock.NONE, MySqlDdlFacts::max);
        String note = parts.stream().map(Fact::note).filter(n -> n != null).findFirst().orElse(null);
        return new Fact(algorithm, lock, parts.stream().anyMatch(Fact::rebuild), note);
    }

    private static Fact typeChange(String oldType, String newType, String charset, Server s) {
        Matcher o = Pattern.compile("varchar\\((\\d+)\\)").matcher(oldType);
        Matcher n = Pattern.compile("varchar\\((\\d+)\\)").matcher(newType);
        if (o.matches() && n.matches()) {
            int bytes = bytesPerCharacter(charset);
            int before = Integer.parseInt(o.group(1)) * bytes;
            int after = Integer.parseInt(n.group(1)) * bytes;
            if (after >= before && (after <= 255) == (before <= 255)) {
                return s.mariadb() ? INSTANT : IN_PLACE;
            }
            return new Fact(Algorithm.COPY, Lock.SHARED, true, "a VARCHAR that shrinks, or grows past 255 bytes (its length prefix"
                    + " grows to 2 bytes), copies the table");
        }
        if ((oldType.startsWith("enum(") && newType.startsWith("enum(")) || (oldType.startsWith("set(") && newType.startsWith("set("))) {
            String oldValues = oldType.substring(oldType.indexOf('(') + 1, oldType.length() - 1);
            String newValues = newType.substring(newType.indexOf('(') + 1, newType.length() - 1);
            int oldCount = oldValues.split(",").length;
            int newCount = newValues.split(",").length;
            boolean sameSize = oldType.startsWith("enum(") ? (oldCount <= 255) == (newCount <= 255) : (oldCount + 7) / 8 == (newCount + 7) / 8;
            if (newValues.startsWith(oldValues + ",") && sameSize) {
                return INSTANT;
            }
            return new Fact(Algorithm.COPY, Lock.SHARED, true, "an ENUM or SET changed other than by appending values copies the table");
        }
        return new Fact(Algorithm.COPY, Lock.SHARED, true, "changing a column's type copies the table");
    }

    /** Whether a VARCHAR keeps its length prefix (1 byte up to 255 bytes) from {@code before} to {@code after} bytes a character. */
    private static boolean sameLengthPrefix(String type, int before, int after) {
        Matcher m = Pattern.compile("varchar\\((\\d+)\\)").matcher(type);
        if (!m.matches()) return false;
        int n = Integer.parseInt(m.group(1));
        return (n * before <= 255) == (n * after <= 255);
    }

    /** {@code INT(11)} and {@code int} alike: display widths and spaces do not change the type. */
    static String normalize(String type) {
        String t = type.toLowerCase(Locale.ROOT).replaceAll("\\s+", " ").trim();
        t = t.replaceAll("^(tinyint|smallint|mediumint|int|integer|bigint)\\(\\d+\\)", "$1").replaceFirst("^integer", "int");
        return t.replace(" (", "(").replace(", ", ",");
    }

    private static int bytesPerCharacter(String charset) {
        if (charset == null) return 4;
        return switch (charset.toLowerCase(Locale.ROOT)) {
            case "latin1", "ascii", "binary", "latin2", "cp1250", "cp1251", "cp1252" -> 1;
            case "ucs2" -> 2;
            case "utf8", "utf8mb3" -> 3;
            default -> 4;
        };
    }

    private static String charset(List<Token> definition) {
        for (int i = 0; i + 1 < definition.size(); i++) {
            Token t = definition.get(i);
            boolean charsetWord = t.is("charset") || (t.is("set") && i > 0 && definition.get(i - 1).is("character"));
            if (charsetWord) {
                int v = definition.get(i + 1).isSymbol("=") ? i + 2 : i + 1;
                return v < definition.size() ? definition.get(v).text() : null;
            }
        }
        return null;
    }

    private static boolean containsNotNull(List<Token> definition) {
        for (int i = 0; i + 1 < definition.size(); i++) {
            if ((definition.get(i).is("not") && definition.get(i + 1).is("null")) || definition.get(i).is("primary")) return true;
        }
        return false;
    }

    private static <E extends Enum<E>> E max(E a, E b) {
        return a.ordinal() >= b.ordinal() ? a : b;
    }
}
