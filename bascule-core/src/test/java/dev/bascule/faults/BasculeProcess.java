package dev.bascule.faults;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A Bascule command running in a JVM of its own ({@link FaultProcessMain}): its output read as it
 * comes, so the harness can wait for an event and kill it with SIGKILL.
 */
final class BasculeProcess implements AutoCloseable {
    private final Process process;
    private final List<String> lines = new ArrayList<>();
    /** When each line arrived, in ms since the process said it was ready. */
    private final List<Long> arrivals = new ArrayList<>();
    private volatile long readyAt;
    private final CountDownLatch ready = new CountDownLatch(1);
    private final CountDownLatch ended = new CountDownLatch(2);

    private BasculeProcess(Process process) {
        this.process = process;
        reader(process.getInputStream(), "");
        reader(process.getErrorStream(), "stderr ");
    }

    /** @param slowMillis see {@link FaultProcessMain} */
    static BasculeProcess launch(String command, String url, String schema, String stateSchema, Path file,
                                 long slowMillis, boolean waitForGo) {
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // a quick start-up: the harness waits for every child
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xss512k",
                "-cp", System.getProperty("java.class.path"), FaultProcessMain.class.getName(),
                command, url, schema, stateSchema, file == null ? "-" : file.toString(),
                String.valueOf(slowMillis), String.valueOf(waitForGo));
        try {
            return new BasculeProcess(new ProcessBuilder(cmd).start());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void reader(InputStream in, String prefix) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (line.equals(FaultProcessMain.READY)) {
                        readyAt = System.currentTimeMillis();
                        ready.countDown();
                    }
                    synchronized (lines) {
                        lines.add(prefix + line);
                        arrivals.add(readyAt == 0 ? 0 : System.currentTimeMillis() - readyAt);
                        lines.notifyAll();
                    }
                }
            } catch (IOException ignored) {
                // the process was killed: its pipe is gone, and what it said is kept
            } finally {
                ended.countDown();
            }
        }, "bascule-process-output");
        t.setDaemon(true);
        t.start();
    }

    long pid() {
        return process.pid();
    }

    void awaitReady() throws InterruptedException {
        if (!ready.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the child JVM did not start: " + output());
        }
    }

    /** Releases a process launched with {@code waitForGo}. */
    void go() throws IOException {
        OutputStream in = process.getOutputStream();
        in.write('\n');
        in.flush();
    }

    /**
     * Waits for an output line {@code event} accepts.
     *
     * @return false when the process ended first or {@code timeoutMillis} passed
     */
    boolean awaitLine(Predicate<String> event, long timeoutMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        int seen = 0;
        synchronized (lines) {
            while (true) {
                for (; seen < lines.size(); seen++) {
                    if (event.test(lines.get(seen))) {
                        return true;
                    }
                }
                long left = deadline - System.currentTimeMillis();
                if (left <= 0 || !process.isAlive() && ended.getCount() == 0) {
                    return false;
                }
                lines.wait(Math.min(left, 50));
            }
        }
    }

    /** Milliseconds from ready until now, or until the process's last line if it has ended. */
    long elapsed() {
        synchronized (lines) {
            return process.isAlive() || arrivals.isEmpty() ? System.currentTimeMillis() - readyAt : arrivals.get(arrivals.size() - 1);
        }
    }

    boolean alive() {
        return process.isAlive();
    }

    /** SIGKILL: no shutdown hook, no clean disconnect, connections left to the server to notice. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
        ended.await(5, TimeUnit.SECONDS);
    }

    /** @return the exit code; the process is killed if it has not ended within {@code seconds} */
    int awaitExit(long seconds) throws InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            kill();
            throw new IllegalStateException("the child did not end within " + seconds + " s: " + output());
        }
        ended.await(5, TimeUnit.SECONDS);
        return process.exitValue();
    }

    /** The last step, commit or batch the process reported, or what it said last. */
    String lastEvent() {
        synchronized (lines) {
            for (int i = lines.size() - 1; i >= 0; i--) {
                String l = lines.get(i);
                if (l.startsWith(FaultProcessMain.EVENT)) {
                    return l.substring(FaultProcessMain.EVENT.length()) + " (+" + arrivals.get(i) + " ms)";
                }
            }
            return lines.isEmpty() ? "nothing" : "before its first step";
        }
    }

    String output() {
        synchronized (lines) {
            return String.join("\n", lines);
        }
    }

    /** What the process printed on stderr, e.g. the refusal of a second process. */
    String errors() {
        synchronized (lines) {
            return String.join("\n", lines.stream().filter(l -> l.startsWith("stderr ")).map(l -> l.substring(7)).toList());
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
