package dev.bascule.cli;

import dev.bascule.Convert;
import dev.bascule.api.InvalidMigrationException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

@Command(name = "convert", mixinStandardHelpOptions = true,
        description = {"Turn plain PostgreSQL Flyway migrations (V2__add_email.sql) into Bascule migration files.",
                "Each statement an operation fits becomes that operation: CREATE/DROP TABLE, RENAME TO, ADD/DROP/RENAME",
                "COLUMN, ALTER COLUMN TYPE (USING becomes up), SET/DROP NOT NULL, SET/DROP DEFAULT, CREATE INDEX",
                "(CONCURRENTLY or not), DROP INDEX, ADD CONSTRAINT FOREIGN KEY or CHECK, DROP and RENAME CONSTRAINT.",
                "Anything else (and IF EXISTS, CASCADE, schema-qualified names, expression indexes) stays as written",
                "in a sql operation, with what 'bascule lint' finds in it as comments. Needs no database.",
                "A FILE is printed; a DIR's V*__*.sql files are written to --output in version order."})
final class ConvertCommand extends BaseCommand {
    private static final Pattern VERSIONED = Pattern.compile("V([0-9][0-9._]*)__.*\\.sql", Pattern.CASE_INSENSITIVE);

    @Parameters(index = "0", paramLabel = "FILE|DIR", description = "a Flyway .sql file, or a folder of them")
    Path source;

    @Option(names = {"-o", "--output"}, paramLabel = "DIR",
            description = "write NAME.yaml files here (created if missing; an existing file is not overwritten); required for a DIR")
    Path output;

    @Override
    public Integer call() {
        Path src = cli.path(source);
        List<Path> files = sources(src);
        Path out = output == null ? null : cli.path(output);
        if (out == null && Files.isDirectory(src)) {
            throw new InvalidMigrationException("convert " + source + ": a folder needs --output DIR for the converted files");
        }
        int operations = 0;
        int sql = 0;
        for (Path f : files) {
            Convert.Result r = Convert.file(f, cli.inputLimits());
            operations += r.operations();
            sql += r.sqlSteps();
            if (out == null) {
                io().out(r.yaml().stripTrailing());
                continue;
            }
            Path target = out.resolve(r.name() + ".yaml");
            try {
                Files.createDirectories(out);
                Files.writeString(target, r.yaml(), StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW);
            } catch (java.nio.file.FileAlreadyExistsException e) {
                throw new InvalidMigrationException(target + " exists; convert writes new files only");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            io().err(f.getFileName() + " -> " + target + ": " + r.operations() + " operation(s), " + r.sqlSteps() + " kept as sql");
        }
        io().err("converted " + files.size() + " file(s): " + operations + " operation(s), " + sql + " statement(s) kept as sql");
        return 0;
    }

    /** The file, or the folder's versioned Flyway scripts in Flyway's order (1, 1.1, 2, 10). */
    private static List<Path> sources(Path src) {
        if (Files.isRegularFile(src, LinkOption.NOFOLLOW_LINKS)) {
            return List.of(src);
        }
        if (!Files.isDirectory(src)) {
            throw new InvalidMigrationException(src + ": no such file or folder");
        }
        List<Path> files = new ArrayList<>();
        try (Stream<Path> list = Files.list(src)) {
            list.filter(p -> VERSIONED.matcher(p.getFileName().toString()).matches() && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
                    .forEach(files::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (files.isEmpty()) {
            throw new InvalidMigrationException(src + ": no Flyway migration (V<version>__<name>.sql) in the folder");
        }
        files.sort(Comparator.comparing(ConvertCommand::version, ConvertCommand::compareVersions));
        return files;
    }

    private static List<Long> version(Path p) {
        Matcher m = VERSIONED.matcher(p.getFileName().toString());
        m.matches();
        List<Long> parts = new ArrayList<>();
        for (String s : m.group(1).split("[._]")) {
            if (!s.isEmpty()) parts.add(Long.parseLong(s.length() > 18 ? s.substring(0, 18) : s));
        }
        return parts;
    }

    private static int compareVersions(List<Long> a, List<Long> b) {
        for (int i = 0; i < Math.max(a.size(), b.size()); i++) {
            long x = i < a.size() ? a.get(i) : 0;
            long y = i < b.size() ? b.get(i) : 0;
            if (x != y) return Long.compare(x, y);
        }
        return 0;
    }
}
