package dev.bascule.notify;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a program for each event, on a background thread, one event at a time: environment
 * {@code BASCULE_EVENT}, {@code BASCULE_MIGRATION}, {@code BASCULE_SCHEMA}, {@code BASCULE_TABLE},
 * {@code BASCULE_REASON}, {@code BASCULE_VERSION}, {@code BASCULE_COMMAND}, {@code BASCULE_TIME}
 * (empty when they do not apply), the event's JSON on stdin. A hook that fails, cannot start or
 * outlives its timeout is logged, never fatal.
 */
public final class CommandHookNotifier implements Notifier {
    private static final Logger LOG = LoggerFactory.getLogger(CommandHookNotifier.class);
    /** Of a failing hook's output, this much of the end goes to the log: enough for its error message. */
    private static final int OUTPUT_TAIL = 400;

    private final CommandHook hook;
    private final BackgroundDelivery delivery;

    public CommandHookNotifier(CommandHook hook) {
        this.hook = hook;
        this.delivery = new BackgroundDelivery("bascule-hook " + hook.displayName());
    }

    @Override
    public void send(Event event) {
        if (hook.wants(event.type())) {
            delivery.submit(() -> run(event));
        }
    }

    @Override
    public boolean flush(Duration wait) {
        boolean done = delivery.flush(wait);
        if (!done) {
            LOG.warn("command hook {}: still running after {} ms; not waiting longer", hook.displayName(), wait.toMillis());
        }
        return done;
    }

    /** The variables a hook gets, on top of the environment of this process. */
    static Map<String, String> environment(Event e) {
        return Map.of(
                "BASCULE_EVENT", e.type().wireName(),
                "BASCULE_MIGRATION", orEmpty(e.migration()),
                "BASCULE_SCHEMA", orEmpty(e.schema()),
                "BASCULE_TABLE", orEmpty(e.table()),
                "BASCULE_REASON", orEmpty(e.reason()),
                "BASCULE_VERSION", orEmpty(e.version()),
                "BASCULE_COMMAND", e.command(),
                "BASCULE_TIME", e.time().toString());
    }

    private static final java.util.regex.Pattern SECRET = java.util.regex.Pattern.compile(
            "(?i).*(PASSWORD|PASSWD|PGPASS|SECRET|TOKEN|API_?KEY|CREDENTIAL).*");

    /** Inherited variables a hook does not get: Bascule's own, and any whose name says it holds a secret. */
    static boolean secretOrOwn(String name) {
        return name.startsWith("BASCULE_") || SECRET.matcher(name).matches();
    }

    private void run(Event event) {
        Path output = null;
        Process process = null;
        try {
            output = Files.createTempFile("bascule-hook", ".log");
            ProcessBuilder pb = new ProcessBuilder(hook.argv()).redirectErrorStream(true).redirectOutput(output.toFile());
            // the hook has no use for Bascule's own settings and secrets (the URL may hold a password,
            // serve's token, webhook tokens), and would pass them on to whatever it runs
            pb.environment().keySet().removeIf(CommandHookNotifier::secretOrOwn);
            pb.environment().putAll(environment(event));
            process = pb.start();
            try (OutputStream stdin = process.getOutputStream()) {
                stdin.write(EventJson.of(event).getBytes(StandardCharsets.UTF_8));
                stdin.write('\n');
            } catch (IOException e) {
                // the hook need not read stdin; it may have closed it or exited already
            }
            if (!process.waitFor(hook.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
                kill(process);
                LOG.warn("command hook {} for event {} ran longer than {} s and was killed", hook.displayName(),
                        event.type().wireName(), hook.timeout().toSeconds());
                return;
            }
            if (process.exitValue() != 0) {
                LOG.warn("command hook {} for event {} exited with {}: {}", hook.displayName(), event.type().wireName(),
                        process.exitValue(), tail(output));
            }
        } catch (IOException e) {
            LOG.warn("command hook {} for event {} could not run: {}", hook.displayName(), event.type().wireName(), e.getMessage());
        } catch (InterruptedException e) {
            if (process != null) {
                kill(process);
            }
            Thread.currentThread().interrupt();
        } finally {
            if (output != null) {
                try {
                    Files.deleteIfExists(output);
                } catch (IOException ignored) {
                    // a temporary file left behind is harmless
                }
            }
        }
    }

    /** The shell's children too: {@code sh -c 'sleep 60'} would otherwise outlive the kill. */
    private static void kill(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    private static String tail(Path output) {
        try {
            String s = Files.readString(output, StandardCharsets.UTF_8).strip();
            s = s.length() > OUTPUT_TAIL ? "..." + s.substring(s.length() - OUTPUT_TAIL) : s;
            return s.isEmpty() ? "no output" : s.replace('\n', ' ');
        } catch (IOException | java.io.UncheckedIOException e) {
            return "output unreadable";
        }
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }

    @Override
    public String toString() {
        return "CommandHookNotifier[" + hook + "]";
    }
}
