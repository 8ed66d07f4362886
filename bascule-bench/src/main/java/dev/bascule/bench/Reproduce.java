package dev.bascule.bench;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The command line that reproduces a benchmark run: every option with the value it ran with,
 * defaults included (so a later change of a default does not change what the line means), a
 * password in a URL masked.
 */
public final class Reproduce {
    private Reproduce() {}

    /** {@code java -jar bascule-bench.jar <benchmark> --option value ...} for the options as parsed. */
    public static String command(CommandSpec spec) {
        List<String> words = new ArrayList<>(List.of("java", "-jar", "bascule-bench.jar", spec.name()));
        for (OptionSpec o : spec.options()) {
            if (o.usageHelp() || o.versionHelp()) continue;
            Object value = o.getValue();
            if (value == null) continue;
            if (o.arity().max == 0) { // a flag
                if (Boolean.TRUE.equals(value)) words.add(o.longestName());
                continue;
            }
            words.add(o.longestName());
            words.add(shellQuoted(text(value)));
        }
        return String.join(" ", words);
    }

    /** The lines a report starts with: the command, then a blank line. */
    public static List<String> header(CommandSpec spec) {
        return List.of("Command: `" + command(spec) + "`", "");
    }

    private static String text(Object value) {
        if (value instanceof Collection<?> c) {
            return c.stream().map(Reproduce::text).collect(Collectors.joining(","));
        }
        if (value instanceof Duration d) return Long.toString(d.toMillis());
        if (value instanceof Path p) return p.toString();
        if (value instanceof Enum<?> e) return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
        return masked(String.valueOf(value));
    }

    public static String masked(String s) {
        return s.replaceAll("(?i)(password=)[^&;]*", "$1***");
    }

    private static String shellQuoted(String s) {
        if (s.matches("[A-Za-z0-9_./:,=@%+-]+")) return s;
        return "'" + s.replace("'", "'\\''") + "'";
    }

    /** An exception's messages down its causes, without the stack: what a failed run prints. */
    public static String messages(Throwable t) {
        List<String> parts = new ArrayList<>();
        for (Throwable c = t; c != null && parts.size() < 5; c = c.getCause()) {
            String m = c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage();
            if (parts.isEmpty() || !parts.get(parts.size() - 1).contains(m)) parts.add(masked(m));
        }
        return String.join(": ", parts);
    }
}
