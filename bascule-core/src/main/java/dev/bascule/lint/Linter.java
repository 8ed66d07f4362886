package dev.bascule.lint;

import dev.bascule.api.InvalidMigrationException;
import dev.bascule.api.Migration;
import dev.bascule.api.Operation;
import dev.bascule.lint.SqlLexer.Kind;
import dev.bascule.lint.SqlLexer.Token;
import dev.bascule.model.MigrationReader;

import java.io.IOException;
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
 * listed in docs/lint.md.
 *
 * <p>Suppression: a comment {@code bascule-lint: ignore rule-a, rule-b} (or {@code all}) on the
 * statement or just before it; {@code bascule-lint: ignore-file rule-a} anywhere in the file.
 */
public final class Linter {
    private static final Pattern IGNORE = Pattern.compile("bascule-lint:\\s*ignore(-file)?\\s+([a-z0-9,\\s-]+)");
    private static final Pattern FLYWAY = Pattern.compile("[VUR][^_]*__.*\\.sql", Pattern.CASE_INSENSITIVE);
    private static final Pattern CHANGESET = Pattern.compile("(?i)changeset\\s+\\S+");

    private Linter() {}

    /** Lints one file by its kind (name and first line); unreadable or malformed files are exit 2. */
    public static List<Finding> lint(Path file) {
        String name = file.getFileName().toString();
        String lower = name.toLowerCase(Locale.ROOT);
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new InvalidMigrationException(file + ": cannot read: " + e.getMessage());
        }
        if (lower.endsWith(".yaml") || lower.endsWith(".yml") || lower.endsWith(".json")) {
            return migration(file, text, MigrationReader.read(file.toString(), text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        }
        if (!lower.endsWith(".sql")) {
            throw new InvalidMigrationException(file + ": not a .sql, .yaml, .yml or .json file");
        }
        if (text.stripLeading().toLowerCase(Locale.ROOT).startsWith("--liquibase formatted sql")) {
            return liquibase(file.toString(), text);
        }
        if (FLYWAY.matcher(name).matches()) {
            return script(file.toString(), text, 1, flywayTransactional(file, text));
        }
        return script(file.toString(), text, 1, false);
    }

    /**
     * Lints one script.
     *
     * @param transactional whether the tool running it wraps it in one transaction
     */
    public static List<Finding> script(String file, String sql, int firstLine, boolean transactional) {
        return script(file, sql, firstLine, transactional, false);
    }

    /** @param lockTimeoutSet the tool running the script sets lock_timeout itself (Bascule does) */
    static List<Finding> script(String file, String sql, int firstLine, boolean transactional, boolean lockTimeoutSet) {
        List<Token> tokens = SqlLexer.tokens(sql, firstLine);
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
        List<Finding> findings = new ArrayList<>();
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
                report(file, sql, statement, ctx, ignores, fileIgnores, findings);
                statement = new ArrayList<>();
                ignores = new HashSet<>();
                depth = 0;
            } else {
                statement.add(tok);
            }
        }
        report(file, sql, statement, ctx, ignores, fileIgnores, findings);
        return findings;
    }

    private static void report(String file, String sql, List<Token> statement, StatementRules.Context ctx, Set<String> ignores,
                               Set<String> fileIgnores, List<Finding> findings) {
        if (statement.isEmpty()) {
            return;
        }
        String text = sql.substring(statement.get(0).start(), statement.get(statement.size() - 1).end()).replaceAll("\\s+", " ");
        for (Rule rule : StatementRules.check(statement, ctx)) {
            if (!ignores.contains(rule.id()) && !ignores.contains("all") && !fileIgnores.contains(rule.id())
                    && !fileIgnores.contains("all")) {
                findings.add(new Finding(file, statement.get(0).line(), rule, text.length() > 120 ? text.substring(0, 117) + "..." : text));
            }
        }
    }

    private static Set<String> ids(String list) {
        Set<String> ids = new HashSet<>(Arrays.asList(list.trim().split("[,\\s]+")));
        ids.remove("");
        return ids;
    }

    /** Flyway runs a migration in a transaction unless its .conf file or a script comment says otherwise. */
    private static boolean flywayTransactional(Path file, String text) {
        Path conf = file.resolveSibling(file.getFileName() + ".conf");
        try {
            if (Files.exists(conf) && Files.readString(conf).replace(" ", "").contains("executeInTransaction=false")) {
                return false;
            }
        } catch (IOException e) {
            throw new InvalidMigrationException(conf + ": cannot read: " + e.getMessage());
        }
        return !text.replace(" ", "").contains("flyway:executeInTransaction=false");
    }

    /** Each changeset is a script of its own, run in a transaction unless it says runInTransaction:false. */
    private static List<Finding> liquibase(String file, String text) {
        List<Finding> findings = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        StringBuilder changeset = new StringBuilder();
        int start = 1;
        boolean transactional = true;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].trim();
            if (line.startsWith("--") && CHANGESET.matcher(line).find() && line.substring(2).trim().toLowerCase(Locale.ROOT).startsWith("changeset")) {
                findings.addAll(script(file, changeset.toString(), start, transactional));
                changeset = new StringBuilder();
                start = i + 2;
                transactional = !line.replace(" ", "").toLowerCase(Locale.ROOT).contains("runintransaction:false");
                continue;
            }
            if (line.toLowerCase(Locale.ROOT).startsWith("--rollback")) {
                changeset.append('\n'); // not run forward
                continue;
            }
            changeset.append(lines[i]).append('\n');
        }
        findings.addAll(script(file, changeset.toString(), start, transactional));
        return findings;
    }

    /**
     * The sql operations of a Bascule migration. Bascule sends an operation's text in one call: a
     * text of several statements runs as one implicit transaction.
     */
    private static List<Finding> migration(Path file, String text, Migration migration) {
        List<Finding> findings = new ArrayList<>();
        List<Operation> ops = migration.operations();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < ops.size(); i++) {
            if (ops.get(i) instanceof Operation.Sql sql) {
                var at = migration.source().locate("/operations/" + i + "/sql/up");
                int line = at.line();
                if (line <= lines.length && lines[line - 1].matches(".*[|>][-+]?\\d*\\s*$")) {
                    line++; // a block scalar: the SQL starts on the next line
                }
                findings.addAll(script(file.toString(), sql.up(), line, statementCount(sql.up()) > 1, true));
            }
        }
        return findings;
    }

    private static long statementCount(String sql) {
        List<Token> tokens = SqlLexer.tokens(sql, 1);
        long count = tokens.stream().filter(t -> t.isSymbol(";")).count();
        boolean trailing = !tokens.isEmpty() && tokens.stream().filter(t -> t.kind() != Kind.COMMENT).reduce((a, b) -> b)
                .map(t -> t.isSymbol(";")).orElse(true);
        return trailing ? count : count + 1;
    }
}
