package dev.bascule.api;

/**
 * Bad input: a malformed file, an unknown table or column, a bad option. Raised before any
 * change is made to the database.
 */
public class InvalidMigrationException extends BasculeException {
    private final String file;
    private final int line;
    private final int column;
    private final String field;

    public InvalidMigrationException(String file, int line, int column, String field, String message) {
        super(format(file, line, column, field, message));
        this.file = file;
        this.line = line;
        this.column = column;
        this.field = field;
    }

    /** Bad input that is not tied to a file position (a bad option, say). */
    public InvalidMigrationException(String message) {
        super(message);
        this.file = null;
        this.line = 0;
        this.column = 0;
        this.field = null;
    }

    public static InvalidMigrationException at(MigrationSource source, String path, String message) {
        MigrationSource.Position pos = source.locate(path);
        return new InvalidMigrationException(source.file(), pos.line(), pos.column(), fieldName(path), message);
    }

    private static String fieldName(String path) {
        // "/operations/2/add_column/column/name" -> "operations[2].add_column.column.name"
        return path.replaceFirst("^/", "").replaceAll("/(\\d+)", "[$1]").replace('/', '.');
    }

    private static String format(String file, int line, int column, String field, String message) {
        StringBuilder sb = new StringBuilder();
        sb.append(file).append(':').append(line).append(':').append(column).append(": ");
        if (field != null && !field.isEmpty()) {
            sb.append(field).append(": ");
        }
        return sb.append(message).toString();
    }

    public String file() { return file; }
    public int line() { return line; }
    public int column() { return column; }
    public String field() { return field; }

    @Override
    public int exitCode() { return 2; }
}
