package dev.bascule.notify;

import dev.bascule.api.Notifier;
import dev.bascule.api.CommandHook;
import dev.bascule.api.Event;
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
 * {@code BASCULE_REASON}, {@code BASCULE_VERSION}, {@code BASCULE_COMMAND}, {@code BASCULE_TIME}, {@code BASCULE_MEMBER}
 * (empty when they do not apply), the event's JSON on stdin. A hook that fails, cannot start or
 * outlives its timeout is logged, never fatal.
 *
 * <p>A hook inherits only an allow-list of this process's environment ({@link #INHERITED}: PATH,
 * HOME, the locale, the time zone, the user and shell), never the rest: Bascule's own settings, the
 * database's ({@code MYSQL_PWD}, {@code PGPASSWORD}, {@code DATABASE_URL}) and any token would
 * otherwise reach whatever the hook runs. The credentials of any URL in what it is given (the
 * event's reason, say) are masked.
 */
public final class CommandHookNotifier implements Notifier {
    private static final Logger LOG = LoggerFactory.getLogger(CommandHookNotifier.class);
    /** Of a failing hook's output, this much of the end goes to the log: enough for its error message. */
    private static final int OUTPUT_TAIL = 400;

    private final CommandHook hook;
    private final BackgroundDelivery delivery;
    private final Map<String, String> parentEnvironment;

    public CommandHookNotifier(CommandHook hook) {
        this(hook, System.getenv());
    }

    /** @param parentEnvironment the environment the allow-list is taken from (this process's, but in tests) */
    CommandHookNotifier(CommandHook hook, Map<String, String> parentEnvironment) {
        this.hook = hook;
        this.delivery = new BackgroundDelivery("bascule-hook " + hook.displayName());
        this.parentEnvironment = Map.copyOf(parentEnvironment);
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

    /** The variables Bascule sets for a hook, describing the event. */
    static Map<String, String> environment(Event e) {
        return Map.of(
                "BASCULE_MEMBER", orEmpty(e.member()),
                "BASCULE_EVENT", e.type().wireName(),
                "BASCULE_MIGRATION", orEmpty(e.migration()),
                "BASCULE_SCHEMA", orEmpty(e.schema()),
                "BASCULE_TABLE", orEmpty(e.table()),
                "BASCULE_REASON", withoutCredentials(orEmpty(e.reason())),
                "BASCULE_VERSION", orEmpty(e.version()),
                "BASCULE_COMMAND", e.command(),
                "BASCULE_TIME", e.time().toString());
    }

    /** What a hook inherits of this process's environment: enough to run programs, nothing that may be a secret. */
    static final java.util.Set<String> INHERITED = java.util.Set.of("PATH", "HOME", "LANG", "LANGUAGE", "TZ", "USER",
            "LOGNAME", "SHELL", "TMPDIR", "TERM");

    private static final java.util.regex.Pattern SECRET = java.util.regex.Pattern.compile(
            "(?i).*(PASSWORD|PASSWD|PWD|PGPASS|SECRET|TOKEN|API_?KEY|CREDENTIAL|_URL$|^URL).*");

    /** Whether a variable of this process is passed on to a hook: on the allow-list (or a locale's LC_*). */
    static boolean inherited(String name) {
        return (INHERITED.contains(name) || name.matches("LC_[A-Z_]+")) && !SECRET.matcher(name).matches();
    }

    /** The whole environment a hook runs with: the allowed part of {@code parent}, then the event's variables. */
    static Map<String, String> hookEnvironment(Map<String, String> parent, Event e) {
        Map<String, String> env = new java.util.TreeMap<>();
        parent.forEach((k, v) -> {
            if (inherited(k)) {
                env.put(k, withoutCredentials(v));
            }
        });
        env.putAll(environment(e));
        return env;
    }

    private static final java.util.regex.Pattern URL = java.util.regex.Pattern.compile(
            "(?i)\\b(?:jdbc:[a-z0-9]+:|[a-z][a-z0-9+.-]*://)[^\\s'\"<>]*");
    private static final java.util.regex.Pattern USER_INFO = java.util.regex.Pattern.compile("(://)[^/@\\s]*@");
    private static final java.util.regex.Pattern PASSWORD_PARAM = java.util.regex.Pattern.compile("(?i)([?&;]password=)[^&;]*");

    /** {@code text} with every URL's {@code user:password@} and {@code password=} parameter removed. */
    static String withoutCredentials(String text) {
        java.util.regex.Matcher m = URL.matcher(text);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String url = USER_INFO.matcher(m.group()).replaceAll("$1");
            url = PASSWORD_PARAM.matcher(url).replaceAll("$1***");
            m.appendReplacement(sb, java.util.regex.Matcher.quoteReplacement(url));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    private void run(Event event) {
        Path output = null;
        Process process = null;
        try {
            output = Files.createTempFile("bascule-hook", ".log");
            ProcessBuilder pb = new ProcessBuilder(hook.argv()).redirectErrorStream(true).redirectOutput(output.toFile());
            // an allow-list, not a deny-list: MYSQL_PWD, DATABASE_URL, serve's token and whatever else the
            // process was given must not reach the hook, which passes its environment to whatever it runs
            Map<String, String> env = hookEnvironment(parentEnvironment, event);
            pb.environment().clear();
            pb.environment().putAll(env);
            process = pb.start();
            try (OutputStream stdin = process.getOutputStream()) {
                stdin.write(EventJson.of(withoutCredentials(event)).getBytes(StandardCharsets.UTF_8));
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

    private static Event withoutCredentials(Event e) {
        return e.reason() == null ? e : new Event(e.type(), e.migration(), e.schema(), e.table(), withoutCredentials(e.reason()),
                e.version(), e.command(), e.time(), e.member());
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }

    @Override
    public String toString() {
        return "CommandHookNotifier[" + hook + "]";
    }
}
