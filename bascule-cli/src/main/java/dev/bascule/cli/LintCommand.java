package dev.bascule.cli;

import dev.bascule.api.InputLimits;
import dev.bascule.Lint;
import dev.bascule.api.LintFinding;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

@Command(name = "lint", mixinStandardHelpOptions = true,
        description = {"Report statements that lock or break a live database, with the safe way to do each.",
                "Reads .sql files (Flyway V*__*.sql and Liquibase formatted SQL included), Bascule migration files",
                "(their sql operations) and directories of them. Needs no database.",
                "SQL is read as --dialect says; else as the database of the URL (--url, BASCULE_URL or the config",
                "file) speaks; else as each file's text shows (backticks, ENGINE=, ALGORITHM=, # comments: MySQL);",
                "else as PostgreSQL.",
                "Suppress with a comment: -- bascule-lint: ignore RULE[, RULE] (on or before the statement),",
                "or -- bascule-lint: ignore-file RULE (in MySQL files # works too). Exit 3 when an error-level rule fires."})
final class LintCommand extends BaseCommand {
    enum Format { text, json, github }

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "files or directories to lint")
    List<Path> files;

    @Option(names = "--format", description = "text (default), json, or github (workflow annotations)")
    Format format = Format.text;

    @Option(names = "--dialect", paramLabel = "DIALECT", converter = DialectConverter.class,
            description = "mysql (MySQL and MariaDB) or postgresql; default: the URL's database, else each file's text, else postgresql")
    String dialect;

    @Option(names = "--target-version", paramLabel = "VERSION", converter = VersionConverter.class,
            description = "PostgreSQL major version the migrations run on (11 ... 18); rules that depend on it follow it."
                    + " Default: the server's, when --url (or BASCULE_URL, the config file) names a PostgreSQL server that"
                    + " answers; else 14")
    Integer targetVersion;

    @Override
    public Integer call() {
        String url = cli.resolve().url();
        String d = dialect != null ? dialect : Lint.dialectOfJdbcUrl(url).orElse(null);
        Lint.Run run = Lint.run(targetVersion != null ? targetVersion : serverVersion(cli, url));
        List<LintFinding> findings = new ArrayList<>();
        // one file at a time: findings quote at most 120 characters of a statement, so memory follows the largest file;
        // the run carries what earlier files declared (column types, validated checks) to the later ones
        for (Path f : Lint.files(files.stream().map(cli::path).toList(), cli.inputLimits())) {
            findings.addAll(run.file(f, d, cli.inputLimits()));
        }
        switch (format) {
            case json -> io().out(Formats.json(toJson(findings)));
            case github -> findings.forEach(f -> io().out("::" + (f.severity() == LintFinding.Severity.ERROR ? "error" : "warning")
                    + " file=" + f.file() + ",line=" + f.line() + ",title=" + f.rule() + "::" + escape(f.message())));
            default -> io().out(text(findings));
        }
        return findings.stream().anyMatch(f -> f.severity() == LintFinding.Severity.ERROR) ? 3 : 0;
    }

    /**
     * The major version of the PostgreSQL server {@code url} names, 0 (the default) without a PostgreSQL URL or
     * when the server does not answer: lint needs no database, so a server that is down is a note, not an error.
     */
    static int serverVersion(BasculeCli cli, String url) {
        if (url == null || !"postgresql".equals(Lint.dialectOfJdbcUrl(url).orElse(null))) {
            return 0;
        }
        BasculeCli.Resolved r = cli.resolve();
        java.util.Properties props = new java.util.Properties();
        if (r.user() != null) props.setProperty("user", r.user());
        if (r.password() != null) props.setProperty("password", r.password());
        props.setProperty("connectTimeout", "5"); // seconds: a server that does not answer delays lint that long at most
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(r.url(), props);
             java.sql.Statement s = c.createStatement();
             java.sql.ResultSet rs = s.executeQuery("SHOW server_version")) {
            return rs.next() ? Lint.postgresqlVersion(rs.getString(1)) : 0;
        } catch (java.sql.SQLException | RuntimeException e) {
            cli.io().err("lint: could not read the server's version (" + e.getClass().getSimpleName() + "); rules follow PostgreSQL "
                    + Lint.run(0).postgresqlVersion() + " (--target-version to choose)");
            return 0;
        }
    }

    /** A PostgreSQL major version: {@code 15}, {@code 15.4}, {@code 9.6}; anything else is exit 2. */
    static final class VersionConverter implements CommandLine.ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            try {
                int v = Lint.postgresqlVersion(value);
                Lint.run(v);
                return v;
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    /** {@code mysql}, {@code mariadb}, {@code postgresql}: a wrong name is exit 2 with the names that work. */
    static final class DialectConverter implements CommandLine.ITypeConverter<String> {
        @Override
        public String convert(String value) {
            try {
                return Lint.dialect(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    static String text(List<LintFinding> findings) {
        if (findings.isEmpty()) {
            return "no findings";
        }
        StringBuilder sb = new StringBuilder();
        for (LintFinding f : findings) {
            sb.append(f.file()).append(':').append(f.line()).append(": ").append(f.severity().name().toLowerCase(Locale.ROOT))
                    .append(" [").append(f.rule()).append("] ").append(f.problem()).append("\n    instead: ")
                    .append(f.instead()).append("\n    in: ").append(f.statement()).append('\n');
        }
        long errors = findings.stream().filter(f -> f.severity() == LintFinding.Severity.ERROR).count();
        return sb.append(errors).append(" error(s), ").append(findings.size() - errors).append(" warning(s)").toString();
    }

    /** GitHub annotation messages end at a newline; % and newlines are escaped as the runner expects. */
    private static String escape(String s) {
        return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A");
    }

    static List<Object> toJson(List<LintFinding> findings) {
        List<Object> list = new ArrayList<>();
        for (LintFinding f : findings) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("file", f.file());
            m.put("line", f.line());
            m.put("rule", f.rule());
            m.put("severity", f.severity().name().toLowerCase(Locale.ROOT));
            m.put("dialect", f.dialect());
            m.put("problem", f.problem());
            m.put("instead", f.instead());
            m.put("statement", f.statement());
            list.add(m);
        }
        return list;
    }
}
