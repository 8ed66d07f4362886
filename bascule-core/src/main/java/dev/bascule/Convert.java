package dev.bascule;

import dev.bascule.api.InputLimits;
import dev.bascule.convert.FlywayConverter;
import dev.bascule.input.InputFiles;

import java.nio.file.Path;

/**
 * Turns plain PostgreSQL Flyway migrations ({@code V2__add_email.sql}) into Bascule migration files: each
 * statement an operation fits (create, drop or rename a table; add, drop, rename or alter a column; an
 * index, foreign key or check) becomes that operation, the rest stays as {@code sql} operations with what
 * {@code bascule lint} finds in them as comments. Needs no database.
 */
public final class Convert {
    private Convert() {}

    /**
     * One converted file.
     *
     * @param name       the migration name (the file name without {@code .sql})
     * @param yaml       the migration file's text
     * @param operations how many operations the statements became
     * @param sqlSteps   how many statements were kept as {@code sql} operations
     */
    public record Result(String name, String yaml, int operations, int sqlSteps) {}

    /** Converts one {@code .sql} file read within {@code limits}; a file that is not UTF-8 is refused (exit 2). */
    public static Result file(Path file, InputLimits limits) {
        byte[] content = InputFiles.read(file, limits);
        String text = InputFiles.strictUtf8(file, content);
        return text(file.getFileName().toString(), text);
    }

    /** Converts the PostgreSQL script {@code sql}, read from a file named {@code fileName}. */
    public static Result text(String fileName, String sql) {
        FlywayConverter.Result r = FlywayConverter.convert(fileName, sql);
        return new Result(r.name(), r.yaml(), r.operations(), r.sqlSteps());
    }
}
