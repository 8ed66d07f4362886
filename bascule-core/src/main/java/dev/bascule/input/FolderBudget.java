package dev.bascule.input;

import dev.bascule.api.InputLimits;
import dev.bascule.api.InvalidMigrationException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Locale;

/**
 * The whole-folder bound of {@link InputLimits}, checked from the files' metadata before any of them
 * is opened: each file within {@code maxFileSize} is not enough when a folder holds hundreds of them
 * (or hundreds of hard links to one), since every one is read and parsed.
 *
 * <p>Sizes are summed per name, not per inode: two links to one file are read, parsed and kept
 * twice, so they cost twice. A name that is not a regular file counts nothing here; the reader
 * refuses it.
 */
public final class FolderBudget {
    private FolderBudget() {}

    /**
     * Refuses (exit 2, naming the folder and the limit) a folder of more than
     * {@link InputLimits#MAX_FOLDER_FILES} files.
     *
     * @param count how many files were listed; callers stop listing one past the limit
     */
    public static void checkCount(Path folder, long count) {
        if (count > InputLimits.MAX_FOLDER_FILES) {
            throw new InvalidMigrationException(String.format(Locale.ROOT, "%s holds more than %,d files, the most Bascule"
                    + " reads from one folder; nothing was read", folder, InputLimits.MAX_FOLDER_FILES));
        }
    }

    /**
     * Refuses (exit 2, naming the folder and the limit) {@code files} of {@code folder} that number
     * more than {@link InputLimits#MAX_FOLDER_FILES} or add up to more than
     * {@link InputLimits#maxTotalSize()} bytes.
     */
    public static void check(Path folder, List<Path> files, InputLimits limits) {
        checkCount(folder, files.size());
        long total = 0;
        for (Path file : files) {
            try {
                BasicFileAttributes attrs = Files.readAttributes(file, BasicFileAttributes.class);
                if (attrs.isRegularFile() && attrs.size() > limits.maxFileSize()) {
                    InputFiles.requireRegularFile(file, limits); // one file over its own limit: refused by name
                }
                if (attrs.isRegularFile()) {
                    total += attrs.size();
                }
            } catch (IOException e) {
                continue; // the reader refuses it with the reason, naming the file
            }
            if (total > limits.maxTotalSize()) {
                throw new InvalidMigrationException(String.format(Locale.ROOT, "the %,d files of %s add up to more than"
                                + " %s, the limit for all the files of one folder (a file linked under several names counts"
                                + " once per name); nothing was read. Raise the limit (--max-total-size) if the folder is"
                                + " meant to be this large", files.size(), folder, InputLimits.describe(limits.maxTotalSize())));
            }
        }
    }
}
