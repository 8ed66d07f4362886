package dev.bascule.lint;

import dev.bascule.sql.SqlLexer;
import dev.bascule.sql.SqlSyntax;

import dev.bascule.api.InvalidMigrationException;
import dev.bascule.api.Migration;
import dev.bascule.api.Operation;
import dev.bascule.sql.SqlLexer.Kind;
import dev.bascule.sql.SqlLexer.Token;
import dev.bascule.model.MigrationReader;

import dev.bascule.input.InputFiles;
import dev.bascule.api.InputLimits;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Lints SQL scripts for statements that lock or break a live database: plain {@code .sql} files,
 * Flyway migrations ({@code V1__name.sql}, run in a transaction unless configured otherwise),
 * Liquibase formatted SQL (changesets, each in a transaction unless {@code runInTransaction:false})
 * and the {@code sql} operations of Bascule migration files.
 *
 * <p>Statements are read with a SQL lexer (quotes, dollar quotes, comments) and checked on their
 * tokens. A SQL grammar library was tried first: JSqlParser 5.3 could not parse 9 of 25 statements
 * these rules are about (CONCURRENTLY, NOT VALID, USING INDEX, VACUUM, CLUSTER, REINDEX, DROP
 * DATABASE), so it does not fit. The lexer reads any statement; what the rules cannot see is
 * listed in docs/reference/lint.md.
 *
 * <p>MySQL and MariaDB scripts ({@link SqlSyntax#MYSQL}) are read with MySQL's quoting and checked with
 * {@link MySqlRules}; the dialect is given, or inferred from the text where only one dialect's marks show.
 *
 * <p>Suppression: a comment {@code bascule-lint: ignore rule-a, rule-b} (or {@code all}) on the
 * statement or just before it; {@code bascule-lint: ignore-file rule-a} anywhere in the file. In MySQL
 * scripts the comment may start with {@code #} as well as {@code -- }.
 */
public final class Linter {
    private static final Pattern IGNORE = Pattern.compile("bascule-lint:\\s*ignore(-file)?\\s+([a-z0-9,\\s-]+)");
    private static final Pattern FLYWAY = Pattern.compile("[VUR][^_]*__.*\\.sql", Pattern.CASE_INSENSITIVE);
    private static final Pattern CHANGESET = Pattern.compile("(?i)changeset\\s+\\S+");

    private Linter() {}

    /** Lints one file by its kind (name and first line), in the dialect its text shows (PostgreSQL when it shows none). */
    public static List<Finding> lint(Path file) {
        return lint(file, null);
    }

    /**
     * Lints one file by its kind; unreadable or malformed files are exit 2.
     *
     * @param dialect the SQL the file is written in; null to infer it from the file's text, else PostgreSQL
     */
    public static List<Finding> lint(Path file, SqlSyntax dialect) {
        return lint(file, dialect, InputLimits.DEFAULT);
    }

    /**
     * Lints one file by its kind; a file that is not a regular file, or is larger than {@code limits}
     * allow, is refused before it is read (exit 2).
     */
    public static List<Finding> lint(Path file, SqlSyntax dialect, InputLimits limits) {
        return lint(file, dialect, limits, new LintSession());
    }

    /**
     * Lints one file of a run: {@code session} carries the target version, and what earlier files of the run
     * declared (column types, validated NOT NULL checks).
     */
    public static List<Finding> lint(Path file, SqlSyntax dialect, InputLimits limits, LintSession session) {
        String name = file.getFileName().toString();
        String lower = name.toLowerCase(Locale.ROOT);
        boolean migration = lower.endsWith(".yaml") || lower.endsWith(".yml") || lower.endsWith(".json");
        if (!migration && !lower.endsWith(".sql")) {
            throw new InvalidMigrationException(file + ": not a .sql, .yaml, .yml or .json file");
        }
        byte[] content = InputFiles.read(file, limits);
        if (migration) {
            Migration m = MigrationReader.read(file.toString(), content, limits);
            return migration(file, new String(content, StandardCharsets.UTF_8), m, dialect, session);
        }
        String text = InputFiles.strictUtf8(file, content);
        SqlSyntax d = dialect != null ? dialect : SqlSyntax.infer(text).orElse(SqlSyntax.POSTGRESQL);
        if (text.stripLeading().toLowerCase(Locale.ROOT).startsWith("--liquibase formatted sql")) {
            return liquibase(file.toString(), text, d, session);
        }
        if (FLYWAY.matcher(name).matches()) {
            return script(file.toString(), text, 1, flywayTransactional(file, text, limits), false, d, session);
        }
        return script(file.toString(), text, 1, false, false, d, session);
    }

    /**
     * Lints one PostgreSQL script.
     *
     * @param transactional whether the tool running it wraps it in one transaction
     */
    public static List<Finding> script(String file, String sql, int firstLine, boolean transactional) {
        return script(file, sql, firstLine, transactional, false, SqlSyntax.POSTGRESQL, new LintSession());
    }

    /** Lints one PostgreSQL script in a run ({@code session}: the target version, what earlier files declared). */
    public static List<Finding> script(String file, String sql, int firstLine, boolean transactional, LintSession session) {
        return script(file, sql, firstLine, transactional, false, SqlSyntax.POSTGRESQL, session);
    }

    /** Lints one script written in {@code dialect}. */
    public static List<Finding> script(String file, String sql, int firstLine, boolean transactional, SqlSyntax dialect) {
        return script(file, sql, firstLine, transactional, false, dialect, new LintSession());
    }

    /** @param lockTimeoutSet the tool running the script sets lock_timeout (lock_wait_timeout) itself (Bascule does) */
    static List<Finding> script(String file, String sql, int firstLine, boolean transactional, boolean lockTimeoutSet,
                                SqlSyntax dialect, LintSession session) {
        List<Token> tokens = SqlLexer.tokens(sql, firstLine, dialect);
        Set<String> fileIgnores = new HashSet<>();
        for (Token tok : tokens) {
            if (tok.kind() == Kind.COMMENT) {
                Matcher m = IGNORE.matcher(tok.text());
                if (m.find() && m.group(1) != null) fileIgnores.addAll(ids(m.group(2)));
            }
        }
        StatementRules.Context ctx = new StatementRules.Context();
        ctx.inTransaction = transactional;
        ctx.lockTimeout = lockTimeoutSet;
        ctx.session = session;
        ctx.effectfulStatements = effectfulStatements(tokens);
        Script run = new Script(file, sql, dialect, ctx, fileIgnores);
        List<Token> statement = new ArrayList<>();
        Set<String> ignores = new HashSet<>();
        int depth = 0;
        for (Token tok : tokens) {
            if (tok.kind() == Kind.COMMENT) {
                Matcher m = IGNORE.matcher(tok.text());
                if (m.find() && m.group(1) == null) ignores.addAll(ids(m.group(2)));
                continue;
            }
            if (tok.isSymbol("(")) depth++;
            if (tok.isSymbol(")")) depth--;
            if (tok.isSymbol(";") && depth <= 0) {
                run.report(statement, ignores);
                statement = new ArrayList<>();
                ignores = new HashSet<>();
                depth = 0;
            } else {
                statement.add(tok);
            }
        }
        run.report(statement, ignores);
        return run.finish();
    }

    /** One script's findings as its statements are checked in order. */
    private static final class Script {
        private final String file;
        private final String sql;
        private final SqlSyntax dialect;
        private final StatementRules.Context ctx;
        private final Set<String> fileIgnores;
        private final List<Finding> findings = new ArrayList<>();
        /** SET foreign_key_checks = 0, reported at the end if nothing turned the checks back on; and where it goes. */
        private Finding checksOff;
        private int checksOffAt;
        /** The BEGIN that opened the transaction still open, reported at the end of the script. */
        private List<Token> openBegin;
        /** The tool runs the script in a transaction of its own (Flyway, Liquibase, Bascule's sql operations). */
        private final boolean wrapped;
        private Set<String> openBeginIgnores;

        Script(String file, String sql, SqlSyntax dialect, StatementRules.Context ctx, Set<String> fileIgnores) {
            this.wrapped = ctx.inTransaction;
            this.file = file;
            this.sql = sql;
            this.dialect = dialect;
            this.ctx = ctx;
            this.fileIgnores = fileIgnores;
        }

        void report(List<Token> statement, Set<String> ignores) {
            if (statement.isEmpty()) {
                return;
            }
            String text = sql.substring(statement.get(0).start(), statement.get(statement.size() - 1).end()).replaceAll("\\s+", " ");
            boolean wasOpen = ctx.explicitBegin;
            Set<Rule> rules = dialect == SqlSyntax.MYSQL ? MySqlRules.check(statement, ctx) : StatementRules.check(statement, ctx);
            if (ctx.explicitBegin && !wasOpen) {
                openBegin = statement;
                openBeginIgnores = ignores;
            }
            if (!ctx.foreignKeyChecksOff) {
                checksOff = null;
            }
            for (Rule rule : rules) {
                if (!ignores.contains(rule.id()) && !ignores.contains("all") && !fileIgnores.contains(rule.id())
                        && !fileIgnores.contains("all")) {
                    Finding f = new Finding(file, statement.get(0).line(), rule, text.length() > 120 ? text.substring(0, 117) + "..." : text,
                            dialect);
                    if (rule == Rule.FOREIGN_KEY_CHECKS_OFF) {
                        checksOff = f;
                        checksOffAt = findings.size();
                    } else {
                        findings.add(f);
                    }
                }
            }
        }

        List<Finding> finish() {
            if (checksOff != null && ctx.foreignKeyChecksOff) {
                findings.add(checksOffAt, checksOff);
            }
            // a tool that wraps the script in its own transaction commits what the script's BEGIN left open
            if (openBegin != null && ctx.explicitBegin && !wrapped) {
                add(openBegin, Rule.UNCOMMITTED_TRANSACTION, openBeginIgnores);
            }
            return findings;
        }

        private void add(List<Token> statement, Rule rule, Set<String> ignores) {
            if (ignores.contains(rule.id()) || ignores.contains("all") || fileIgnores.contains(rule.id()) || fileIgnores.contains("all")) {
                return;
            }
            String text = sql.substring(statement.get(0).start(), statement.get(statement.size() - 1).end()).replaceAll("\\s+", " ");
            findings.add(new Finding(file, statement.get(0).line(), rule, text.length() > 120 ? text.substring(0, 117) + "..." : text,
                    dialect));
        }
    }

    /** How many statements of the script change something (see {@link StatementRules#INERT}). */
    private static int effectfulStatements(List<Token> tokens) {
        int count = 0;
        boolean first = true;
        int depth = 0;
        for (Token tok : tokens) {
            if (tok.kind() == Kind.COMMENT) continue;
            if (tok.isSymbol("(")) depth++;
            if (tok.isSymbol(")")) depth--;
            if (tok.isSymbol(";") && depth <= 0) { first = true; depth = 0; continue; }
            if (first) {
                if (!(tok.kind() == Kind.WORD && StatementRules.INERT.contains(tok.text()))) count++;
                first = false;
            }
        }
        return count;
    }

    private static Set<String> ids(String list) {
        Set<String> ids = new HashSet<>(Arrays.asList(list.trim().split("[,\\s]+")));
        ids.remove("");
        return ids;
    }

    /** Flyway runs a migration in a transaction unless its .conf file or a script comment says otherwise. */
    private static boolean flywayTransactional(Path file, String text, InputLimits limits) {
        Path conf = file.resolveSibling(file.getFileName() + ".conf");
        if (Files.exists(conf) && InputFiles.readString(conf, limits).replace(" ", "").contains("executeInTransaction=false")) {
            return false;
        }
        return !text.replace(" ", "").contains("flyway:executeInTransaction=false");
    }

    /** Each changeset is a script of its own, run in a transaction unless it says runInTransaction:false. */
    private static List<Finding> liquibase(String file, String text, SqlSyntax dialect, LintSession session) {
        List<Finding> findings = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        StringBuilder changeset = new StringBuilder();
        int start = 1;
        boolean transactional = true;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].trim();
            if (line.startsWith("--") && CHANGESET.matcher(line).find() && line.substring(2).trim().toLowerCase(Locale.ROOT).startsWith("changeset")) {
                findings.addAll(script(file, changeset.toString(), start, transactional, false, dialect, session));
                changeset = new StringBuilder();
                start = i + 2;
                transactional = !line.replace(" ", "").toLowerCase(Locale.ROOT).contains("runintransaction:false");
                continue;
            }
            if (line.toLowerCase(Locale.ROOT).startsWith("--rollback")) {
                changeset.append('\n'); // not run forward
                continue;
            }
            // MySQL reads "--" as a comment only before a space: Liquibase's own "--comment:" lines are comments all the same
            boolean directive = dialect == SqlSyntax.MYSQL && line.startsWith("--") && !line.startsWith("-- ");
            changeset.append(directive ? "-- " + line.substring(2) : lines[i]).append('\n');
        }
        findings.addAll(script(file, changeset.toString(), start, transactional, false, dialect, session));
        return findings;
    }

    /**
     * The sql operations of a Bascule migration. Bascule sends an operation's text in one call: a
     * text of several statements runs as one implicit transaction.
     */
    private static List<Finding> migration(Path file, String text, Migration migration, SqlSyntax dialect, LintSession session) {
        List<Finding> findings = new ArrayList<>();
        List<Operation> ops = migration.operations();
        SqlSyntax d = dialect != null ? dialect : SqlSyntax.infer(String.join(";\n", ops.stream()
                .filter(o -> o instanceof Operation.Sql).map(o -> ((Operation.Sql) o).up()).toList())).orElse(SqlSyntax.POSTGRESQL);
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < ops.size(); i++) {
            if (ops.get(i) instanceof Operation.Sql sql) {
                var at = migration.source().locate("/operations/" + i + "/sql/up");
                int line = at.line();
                if (line <= lines.length && lines[line - 1].matches(".*[|>][-+]?\\d*\\s*$")) {
                    line++; // a block scalar: the SQL starts on the next line
                }
                findings.addAll(script(file.toString(), sql.up(), line, statementCount(sql.up(), d) > 1, true, d, session));
            }
        }
        return findings;
    }

    private static long statementCount(String sql, SqlSyntax dialect) {
        List<Token> tokens = SqlLexer.tokens(sql, 1, dialect);
        long count = tokens.stream().filter(t -> t.isSymbol(";")).count();
        boolean trailing = !tokens.isEmpty() && tokens.stream().filter(t -> t.kind() != Kind.COMMENT).reduce((a, b) -> b)
                .map(t -> t.isSymbol(";")).orElse(true);
        return trailing ? count : count + 1;
    }
}
