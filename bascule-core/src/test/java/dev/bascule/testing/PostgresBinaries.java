package dev.bascule.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the machine's PostgreSQL 15 programs (initdb, pg_ctl, pg_basebackup) as user postgres, for
 * tests that need a server of their own to restart or to stream from: they run as root, and the
 * server refuses to.
 */
public final class PostgresBinaries {
    public static final Path BIN = Path.of("/usr/lib/postgresql/15/bin");

    private PostgresBinaries() {}

    /** Runs {@code command} as user postgres; fails unless it exits 0. */
    public static void asPostgres(String... command) throws Exception {
        List<String> full = new ArrayList<>(List.of("runuser", "-u", "postgres", "--"));
        full.addAll(List.of(command));
        int rc = run(full);
        if (rc != 0) {
            throw new IllegalStateException("failed (" + rc + "): " + String.join(" ", command));
        }
    }

    /** Runs {@code command}, output discarded, for at most two minutes (a server recovering after an immediate stop is slow); its exit code, or -1 when it did not end. */
    public static int run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return -1;
        }
        return p.exitValue();
    }

    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
