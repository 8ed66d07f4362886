package dev.bascule.api;

import java.util.List;

/**
 * A parsed migration file.
 *
 * @param name       the migration's name: the file name without extension unless the file says otherwise
 * @param operations the changes, in file order
 * @param checksum   SHA-256 of the file's bytes, to refuse a file changed after it ran
 * @param source     where the migration came from, positions included, for error messages
 */
public record Migration(String name, List<Operation> operations, String checksum, MigrationSource source) {
    public Migration {
        operations = List.copyOf(operations);
    }
}
