package dev.bascule.cli.fuzz;

import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;

/**
 * The family "huge and special files": inputs that are not wrong by their content but by their
 * kind or size. A FIFO (opening it blocks until a writer comes), a link to an endless device, a
 * directory, a sparse file of gigabytes, a file just over the size limit, deep nesting, a one-line
 * scalar of megabytes (the YAML parser is quadratic in it), an alias bomb, a link loop. Each case
 * makes its file in a directory and names it; every one must be refused with exit 2 in seconds.
 */
final class HugeAndSpecialFiles {
    /** One case: {@code make} creates the file {@code fileName} in the directory given. */
    record Case(String kind, String fileName, Maker make) {
        @Override
        public String toString() {
            return kind + " (" + fileName + ")";
        }
    }

    @FunctionalInterface
    interface Maker {
        void make(Path file) throws Exception;
    }

    private HugeAndSpecialFiles() {}

    static List<Case> cases() {
        return List.of(
                new Case("fifo", "0001_fifo.yaml", f -> mkfifo(f)),
                new Case("link to /dev/zero", "0002_zero.yaml", f -> Files.createSymbolicLink(f, Path.of("/dev/zero"))),
                new Case("link to /dev/urandom", "0003_urandom.json", f -> Files.createSymbolicLink(f, Path.of("/dev/urandom"))),
                new Case("directory", "0004_dir.yaml", Files::createDirectory),
                new Case("link loop", "0005_loop.yaml", f -> {
                    Path other = f.resolveSibling("0005_other.yaml");
                    Files.createSymbolicLink(f, other.getFileName());
                    Files.createSymbolicLink(other, f.getFileName());
                }),
                new Case("dangling link", "0006_dangling.yaml", f -> Files.createSymbolicLink(f, Path.of("no-such-target.yaml"))),
                new Case("sparse 6 GB file", "0007_sparse.yaml", f -> {
                    try (RandomAccessFile r = new RandomAccessFile(f.toFile(), "rw")) {
                        r.setLength(6L << 30);
                    }
                }),
                new Case("just over the size limit", "0008_over.yaml", f -> {
                    try (OutputStream out = Files.newOutputStream(f)) {
                        out.write("operations:\n  - drop_table: {name: gone}\n".getBytes(StandardCharsets.UTF_8));
                        byte[] comment = ("# " + "c".repeat(1021) + "\n").getBytes(StandardCharsets.UTF_8);
                        for (int i = 0; i < 10 * 1024; i++) {
                            out.write(comment);
                        }
                    }
                }),
                new Case("deep nesting yaml", "0009_deep.yaml",
                        f -> Files.writeString(f, "operations: " + "[".repeat(50_000) + "]".repeat(50_000) + "\n")),
                new Case("deep nesting json", "0010_deep.json",
                        f -> Files.writeString(f, "{\"operations\": " + "[".repeat(50_000) + "]".repeat(50_000) + "}")),
                new Case("deep flow mappings", "0011_deepmap.yaml",
                        f -> Files.writeString(f, "operations: " + "{a: ".repeat(20_000) + "1" + "}".repeat(20_000) + "\n")),
                new Case("long yaml scalar", "0012_scalar.yaml",
                        f -> Files.writeString(f, "operations:\n  - drop_table: {name: " + "x".repeat(8 << 20) + "}\n")),
                new Case("long yaml block line", "0013_block.yaml",
                        f -> Files.writeString(f, "operations:\n  - sql:\n      up: |\n        SELECT '" + "x".repeat(4 << 20) + "';\n")),
                new Case("long json string", "0014_string.json",
                        f -> Files.writeString(f, "{\"operations\": [{\"drop_table\": {\"name\": \"" + "x".repeat(9 << 20) + "\"}}]}")),
                new Case("long json key", "0015_key.json",
                        f -> Files.writeString(f, "{\"" + "k".repeat(1 << 20) + "\": 1}")),
                new Case("alias bomb", "0016_bomb.yaml", f -> Files.writeString(f, aliasBomb(9))));
    }

    /** Billion laughs: each level ten references to the one before. */
    static String aliasBomb(int levels) {
        StringBuilder sb = new StringBuilder("a0: &a0 [\"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\"]\n");
        for (int l = 1; l <= levels; l++) {
            sb.append('a').append(l).append(": &a").append(l).append(" [")
                    .append(String.join(", ", Collections.nCopies(10, "*a" + (l - 1)))).append("]\n");
        }
        return sb.append("operations: [{create_table: {name: t, columns: *a").append(levels).append("}}]\n").toString();
    }

    static void mkfifo(Path file) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("mkfifo", file.toString()).redirectErrorStream(true).start();
        if (p.waitFor() != 0) {
            throw new IOException("mkfifo " + file + " failed");
        }
    }
}
