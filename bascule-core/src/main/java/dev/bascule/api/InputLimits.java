package dev.bascule.api;

import java.util.Locale;

/**
 * How much of a file Bascule reads: every migration file, lint argument and config file goes through
 * Bascule's bounded reader with these limits, so that a huge or endless input (a link to {@code /dev/zero},
 * a 50 MB scalar) is refused in bounded time and memory instead of exhausting the heap.
 *
 * <p>A folder ({@code migrate DIR}, {@code lint DIR}) is bounded as a whole too, before any of its
 * files is read: at most {@link #MAX_FOLDER_FILES} files, adding up to at most {@link #maxTotalSize}
 * bytes. Otherwise 700 links to one 10 MB file, each within the file limit, are parsed one after
 * another into 7 GB of heap.
 *
 * @param maxFileSize  the largest file read, in bytes; the YAML and JSON parsers get limits derived from it
 * @param maxTotalSize the most bytes read from one folder, all its files together (a file linked
 *                     twice counts twice: each name is read and parsed on its own)
 */
public record InputLimits(long maxFileSize, long maxTotalSize) {
    /** 10 MiB: a migration file is a few kilobytes; a large sql operation or lint script still fits. */
    public static final long DEFAULT_MAX_FILE_SIZE = 10L * 1024 * 1024;
    /**
     * 64 MiB: thousands of ordinary migrations, or six files at the file limit; parsed, it stays well
     * within a default heap.
     */
    public static final long DEFAULT_MAX_TOTAL_SIZE = 64L * 1024 * 1024;
    /** Most files in one folder: a project's migrations number in the hundreds. */
    public static final int MAX_FOLDER_FILES = 10_000;
    public static final InputLimits DEFAULT = new InputLimits(DEFAULT_MAX_FILE_SIZE);
    /** Deepest nesting of YAML or JSON: a migration file nests about 7 levels deep. */
    public static final int MAX_NESTING_DEPTH = 100;
    /**
     * Longest YAML line, in characters. The YAML parser's time grows with the square of the longest
     * run of text it scans without a line break (a 50 MB one-line scalar takes over ten minutes), so a
     * longer line is refused before parsing; JSON has no such limit.
     */
    public static final int MAX_YAML_LINE = 100_000;
    /** Java arrays stop short of 2 GiB. */
    private static final long MAX = Integer.MAX_VALUE - 16;

    public InputLimits {
        if (maxFileSize < 1 || maxFileSize > MAX) {
            throw new IllegalArgumentException("the maximum file size must be from 1 byte to " + MAX + " bytes");
        }
        if (maxTotalSize < 1) {
            throw new IllegalArgumentException("the maximum total size must be at least 1 byte");
        }
    }

    /** {@code maxFileSize}, and a total of 64 MiB or, when that is smaller, one file at the limit. */
    public InputLimits(long maxFileSize) {
        this(maxFileSize, Math.max(DEFAULT_MAX_TOTAL_SIZE, maxFileSize));
    }

    /** The maximum as the parsers take it: characters, which the file size bounds. */
    public int maxChars() {
        return (int) maxFileSize;
    }

    /**
     * A size as written on the command line: bytes, or with a unit K, M or G (KB, MB, GB, KiB, MiB,
     * GiB: all powers of 1024), e.g. {@code 50M}.
     *
     * @throws IllegalArgumentException saying what is wrong, without repeating the text
     */
    public static long parseSize(String text) {
        String t = text.trim().toUpperCase(Locale.ROOT).replace(" ", "");
        long unit = 1;
        String digits = t;
        for (String[] u : new String[][] {{"KIB", "1024"}, {"MIB", "1048576"}, {"GIB", "1073741824"}, {"KB", "1024"},
                {"MB", "1048576"}, {"GB", "1073741824"}, {"K", "1024"}, {"M", "1048576"}, {"G", "1073741824"}, {"B", "1"}}) {
            if (t.endsWith(u[0])) {
                unit = Long.parseLong(u[1]);
                digits = t.substring(0, t.length() - u[0].length());
                break;
            }
        }
        if (!digits.matches("\\d{1,12}")) {
            throw new IllegalArgumentException("expected a size in bytes, or with K, M or G (e.g. 50M)");
        }
        long size = Long.parseLong(digits) * unit;
        if (size < 1 || size > MAX) {
            throw new IllegalArgumentException("expected a size from 1 byte to 2G");
        }
        return size;
    }

    /** {@code 10 MiB}, {@code 512 KiB}, {@code 1000 bytes}: for messages. */
    public static String describe(long bytes) {
        if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) == 0) {
            return bytes / (1024 * 1024) + " MiB";
        }
        if (bytes >= 1024 && bytes % 1024 == 0) {
            return bytes / 1024 + " KiB";
        }
        return String.format(Locale.ROOT, "%,d bytes", bytes);
    }
}
