package dev.bascule.input;

import dev.bascule.api.InputLimits;
import dev.bascule.api.InvalidMigrationException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Locale;

/**
 * The one way Bascule reads a file it is given: only a regular file (a symbolic link is followed,
 * and its target must be a regular file), checked before it is opened so that a FIFO or a device
 * never blocks or streams forever; and never more than {@link InputLimits#maxFileSize()} bytes, even
 * when the file grows while it is read. A refusal is an {@link InvalidMigrationException} (exit 2)
 * that names the file and never quotes its content.
 */
public final class InputFiles {
    private InputFiles() {}

    /** The file's bytes. */
    public static byte[] read(Path file, InputLimits limits) {
        requireRegularFile(file, limits);
        try (InputStream in = Files.newInputStream(file)) {
            // at most one byte past the limit (read in chunks, so memory follows the real size):
            // enough to tell a file that grew after its size was checked
            byte[] content = in.readNBytes((int) limits.maxFileSize() + 1);
            if (content.length > limits.maxFileSize()) {
                throw tooLarge(file, content.length, limits, true);
            }
            return content;
        } catch (IOException e) {
            throw unreadable(file, e);
        }
    }

    /** The file's text, decoded as UTF-8 (malformed bytes replaced). */
    public static String readString(Path file, InputLimits limits) {
        return new String(read(file, limits), java.nio.charset.StandardCharsets.UTF_8);
    }

    /**
     * {@code content}, read from {@code file}, as UTF-8 text: SQL scripts are refused when they are not
     * UTF-8 rather than read with replaced bytes, which would lint or convert another statement.
     */
    public static String strictUtf8(Path file, byte[] content) {
        try {
            return java.nio.charset.StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                    .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(content)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new InvalidMigrationException(file + ": not valid UTF-8; save the file as UTF-8");
        }
    }

    /**
     * Checks that {@code file} is a regular file no larger than the limit, following symbolic links,
     * without opening it.
     *
     * @return its size in bytes
     */
    public static long requireRegularFile(Path file, InputLimits limits) {
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (IOException e) {
            throw unreadable(file, e);
        }
        if (!attrs.isRegularFile()) {
            throw refused(file, "not a regular file: " + kind(attrs) + "; Bascule reads only regular files");
        }
        if (attrs.size() > limits.maxFileSize()) {
            throw tooLarge(file, attrs.size(), limits, false);
        }
        return attrs.size();
    }

    private static String kind(BasicFileAttributes attrs) {
        if (attrs.isDirectory()) {
            return "a directory";
        }
        return "a device, FIFO or socket";
    }

    private static InvalidMigrationException tooLarge(Path file, long size, InputLimits limits, boolean atLeast) {
        return refused(file, String.format(Locale.ROOT, "the file is %s%,d bytes, over the limit of %s for an input file;"
                        + " raise the limit (--max-file-size) if the file is meant to be this large",
                atLeast ? "at least " : "", size, InputLimits.describe(limits.maxFileSize())));
    }

    private static InvalidMigrationException unreadable(Path file, IOException e) {
        if (e instanceof NoSuchFileException) {
            return refused(file, "file not found");
        }
        if (e instanceof AccessDeniedException) {
            return refused(file, "permission denied");
        }
        // the exception's own text names the file and the system's reason, never the content
        String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return refused(file, "cannot read the file: " + Excerpt.of(reason.replace(file.toString(), "").replaceAll("^[:\\s]+", ""), 120));
    }

    private static InvalidMigrationException refused(Path file, String message) {
        return new InvalidMigrationException(file.toString(), 1, 1, "", message);
    }
}
