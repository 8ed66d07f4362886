package dev.bascule;

import dev.bascule.api.InputLimits;
import dev.bascule.api.LintFinding;
import dev.bascule.input.FolderBudget;
import dev.bascule.lint.Finding;
import dev.bascule.lint.LintSession;
import dev.bascule.lint.Linter;
import dev.bascule.sql.SqlSyntax;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Reports statements that lock or break a live database, with the safe way to do each: in .sql files
 * (Flyway and Liquibase formatted SQL included) and in the sql operations of migration files. Needs
 * no database.
 */
public final class Lint {
    private Lint() {}

    /**
     * The findings of one file, read within {@code limits}.
     *
     * @param dialect {@code postgresql} or {@code mysql} (see {@link #dialect(String)}); null: as the
     *                file's text shows, else PostgreSQL
     */
    public static List<LintFinding> file(Path file, String dialect, InputLimits limits) {
        SqlSyntax d = dialect == null ? null : SqlSyntax.parse(dialect);
        return Linter.lint(file, d, limits).stream().map(Lint::finding).toList();
    }

    /**
     * A run over several files in order (a migration folder): each file is linted knowing what the files before
     * it declared (column types, validated NOT NULL checks), for the PostgreSQL version the migrations target.
     */
    public static final class Run {
        private final LintSession session;

        private Run(int postgresqlVersion) {
            this.session = new LintSession(postgresqlVersion);
        }

        /** The findings of the run's next file; {@code dialect} as in {@link Lint#file(Path, String, InputLimits)}. */
        public List<LintFinding> file(Path file, String dialect, InputLimits limits) {
            SqlSyntax d = dialect == null ? null : SqlSyntax.parse(dialect);
            return Linter.lint(file, d, limits, session).stream().map(Lint::finding).toList();
        }

        /** The PostgreSQL major version the run's rules follow. */
        public int postgresqlVersion() {
            return session.postgresqlVersion();
        }
    }

    /**
     * A run for migrations that run on PostgreSQL {@code postgresqlVersion} (a major version, 0 for
     * {@value LintSession#DEFAULT_POSTGRESQL_VERSION}, the oldest release still supported).
     *
     * @throws IllegalArgumentException for a version lint does not know
     */
    public static Run run(int postgresqlVersion) {
        return new Run(postgresqlVersion);
    }

    /** The major version in {@code 15}, {@code 15.4}, {@code 9.6} or a server's {@code server_version}. */
    public static int postgresqlVersion(String text) {
        return LintSession.parseVersion(text);
    }

    /**
     * The canonical name of a dialect a user named: {@code mysql} (also for {@code mariadb}) or
     * {@code postgresql} (also for {@code postgres}, {@code pg}).
     *
     * @throws IllegalArgumentException for any other name, with the names that work
     */
    public static String dialect(String name) {
        return SqlSyntax.parse(name).name().toLowerCase(Locale.ROOT);
    }

    /** The dialect of the server a JDBC URL names, when it is one Bascule knows. */
    public static Optional<String> dialectOfJdbcUrl(String jdbcUrl) {
        return SqlSyntax.ofJdbcUrl(jdbcUrl).map(d -> d.name().toLowerCase(Locale.ROOT));
    }

    /**
     * The files to lint among {@code paths}: a file as it is, a directory walked for .sql, .yaml, .yml
     * and .json files in name order, refused when it holds more files or bytes than {@code limits} allow.
     */
    public static List<Path> files(List<Path> paths, InputLimits limits) {
        List<Path> all = new ArrayList<>();
        for (Path p : paths) {
            if (!Files.isDirectory(p)) {
                all.add(p);
                continue;
            }
            List<Path> inDirectory;
            try (Stream<Path> walk = Files.walk(p)) {
                // a FIFO, device or link to one with a lint file's name is refused by the reader, not skipped
                inDirectory = walk.filter(f -> !Files.isDirectory(f, LinkOption.NOFOLLOW_LINKS))
                        .filter(f -> f.toString().toLowerCase(Locale.ROOT).matches(".*\\.(sql|ya?ml|json)$"))
                        .limit(InputLimits.MAX_FOLDER_FILES + 1L).sorted().toList();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            FolderBudget.check(p, inDirectory, limits);
            all.addAll(inDirectory);
        }
        return all;
    }

    private static LintFinding finding(Finding f) {
        return new LintFinding(f.file(), f.line(), f.rule().id(), LintFinding.Severity.valueOf(f.severity().name()),
                f.dialect().name().toLowerCase(Locale.ROOT), f.problem(), f.instead(), f.statement());
    }
}
