package dev.bascule.model;

import dev.bascule.api.InvalidMigrationException;
import dev.bascule.input.FolderBudget;
import dev.bascule.api.InputLimits;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The migration files of a folder, for {@code migrate}. Every other entry is refused rather than
 * skipped: a folder of Flyway {@code V1__init.sql} files, or a migration saved as {@code .yam},
 * would otherwise make {@code migrate} report "nothing to migrate" and succeed having run
 * nothing.
 *
 * <p>Two kinds of entries are left alone, since no one means them as migrations: hidden ones
 * ({@code .gitkeep}, which exists to keep an empty folder in Git, {@code .DS_Store}, {@code .git})
 * and a folder's documentation ({@code README}, {@code *.md}).
 *
 * <p>The folder as a whole is bounded ({@link FolderBudget}) before any migration is read: every
 * file is parsed and kept until the run starts.
 */
public final class MigrationFolder {
    private MigrationFolder() {}

    private static final Pattern MIGRATION = Pattern.compile(".*\\.(ya?ml|json)");
    private static final Pattern DOCUMENTATION = Pattern.compile("readme(\\..*)?|.*\\.(md|markdown)");
    private static final Pattern SQL = Pattern.compile(".*\\.(sql|ddl)");
    private static final String FORMATS = "Bascule migrations are .yaml, .yml or .json files";

    /**
     * The migration files of {@code dir}, in file-name order.
     *
     * @throws InvalidMigrationException when {@code dir} is not a readable folder, holds an entry
     *                                   that is not a migration, or holds no migration at all
     */
    public static List<Path> files(Path dir) {
        return files(dir, InputLimits.DEFAULT);
    }

    /**
     * The migration files of {@code dir}, in file-name order, within the folder bounds of
     * {@code limits} (checked from the files' sizes, before any is read).
     *
     * @throws InvalidMigrationException when {@code dir} is not a readable folder, holds an entry
     *                                   that is not a migration, holds no migration at all, or holds
     *                                   more files or bytes than {@code limits} allow
     */
    public static List<Path> files(Path dir, InputLimits limits) {
        List<Path> entries;
        try (Stream<Path> list = Files.list(dir)) {
            // one past the limit is enough to refuse: a folder of millions of names is never held
            entries = list.limit(InputLimits.MAX_FOLDER_FILES + 1L).toList();
            FolderBudget.checkCount(dir, entries.size());
            entries = entries.stream().sorted().toList();
        } catch (java.nio.file.NoSuchFileException | java.nio.file.NotDirectoryException e) {
            throw new InvalidMigrationException("no such directory: " + dir);
        } catch (IOException e) {
            throw new InvalidMigrationException("cannot read directory " + dir + ": " + e);
        }
        List<Path> migrations = new ArrayList<>();
        List<String> refused = new ArrayList<>();
        for (Path entry : entries) {
            String name = entry.getFileName().toString();
            String lower = name.toLowerCase(Locale.ROOT);
            if (name.startsWith(".") || Files.isRegularFile(entry) && DOCUMENTATION.matcher(lower).matches()) {
                continue;
            }
            if (Files.isDirectory(entry)) {
                refused.add(name + " is a folder: migrate reads the migrations of " + dir + " itself, not of its subfolders");
            } else if (!MIGRATION.matcher(lower).matches()) {
                refused.add(SQL.matcher(lower).matches()
                        ? name + " is a SQL file: " + FORMATS + "; see `bascule lint` for SQL files"
                        : name + " is not a migration: " + FORMATS);
            } else if (!Files.isRegularFile(entry)) {
                refused.add(name + " is not a regular file");
            } else {
                migrations.add(entry);
            }
        }
        if (!refused.isEmpty()) {
            throw new InvalidMigrationException(dir + " holds entries migrate cannot run, and nothing was run:\n  "
                    + String.join("\n  ", refused));
        }
        if (migrations.isEmpty()) {
            throw new InvalidMigrationException(dir + " holds no migration (" + FORMATS + ")"
                    + (entries.isEmpty() ? ": it is empty" : ": only " + String.join(", ",
                    entries.stream().map(p -> p.getFileName().toString()).toList())));
        }
        FolderBudget.check(dir, migrations, limits);
        return migrations;
    }
}
