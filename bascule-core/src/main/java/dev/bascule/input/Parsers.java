package dev.bascule.input;

import dev.bascule.api.InputLimits;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * YAML and JSON parsers bounded by {@link InputLimits}: string and document length, nesting depth,
 * aliases, and (YAML) line length; and parse errors told by position and kind, without the file's
 * content that the parsers' own messages quote.
 */
public final class Parsers {
    private static final int MAX_ALIASES = 20;
    private static final int MAX_NAME_LENGTH = 10_000;
    private static final Pattern QUOTED = Pattern.compile("'([^'\\n]*)'|\"([^\"\\n]*)\"");
    /** What a quoted part of a parser's message may be: a single character, an escape such as \t(TAB), or a JSON literal. */
    private static final Pattern HARMLESS = Pattern.compile(".|\\\\[a-z0-9]{1,4}(\\([A-Z]+\\))?|null|true|false|NaN|<[a-z ]{1,30}>");

    private Parsers() {}

    /** Where a parse error is, and what kind it is. */
    public record Problem(int line, int column, String description) {}

    public static YAMLFactory yaml(InputLimits limits) {
        LoaderOptions options = new LoaderOptions();
        options.setCodePointLimit(limits.maxChars());
        options.setMaxAliasesForCollections(MAX_ALIASES);
        options.setNestingDepthLimit(InputLimits.MAX_NESTING_DEPTH);
        options.setAllowRecursiveKeys(false);
        // the builder, unlike new YAMLFactory(), reads an empty value as "" unless told: null, as everywhere else
        return YAMLFactory.builder().loaderOptions(options).streamReadConstraints(constraints(limits))
                .enable(YAMLParser.Feature.EMPTY_STRING_AS_NULL)
                .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION).build();
    }

    public static JsonFactory json(InputLimits limits) {
        // locations in messages ("start marker at [Source: ...]") would otherwise quote the file
        return JsonFactory.builder().streamReadConstraints(constraints(limits))
                .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION).build();
    }

    private static StreamReadConstraints constraints(InputLimits limits) {
        return StreamReadConstraints.builder()
                .maxStringLength(limits.maxChars())
                .maxDocumentLength(limits.maxFileSize())
                .maxNestingDepth(InputLimits.MAX_NESTING_DEPTH)
                .maxNameLength(MAX_NAME_LENGTH)
                .build();
    }

    /**
     * The first YAML line longer than {@link InputLimits#MAX_YAML_LINE} characters, as a problem at
     * its start; null when there is none. Checked before parsing: the YAML parser's time grows with
     * the square of such a line's length.
     */
    public static Problem longYamlLine(byte[] utf8) {
        int line = 1;
        int chars = 0;
        for (byte b : utf8) {
            if (b == '\n') {
                line++;
                chars = 0;
            } else if ((b & 0xC0) != 0x80 && ++chars > InputLimits.MAX_YAML_LINE) {
                return new Problem(line, 1, String.format(java.util.Locale.ROOT,
                        "line longer than %,d characters; split it (a YAML parser slows down on longer lines) or write the file as JSON",
                        InputLimits.MAX_YAML_LINE));
            }
        }
        return null;
    }

    /** A parser's error as position and kind, quoting nothing of the file longer than one character. */
    public static Problem problem(JsonProcessingException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof MarkedYAMLException y && y.getProblemMark() != null) {
                Mark m = y.getProblemMark();
                String context = y.getContext() == null ? "" : describe(y.getContext()) + ": ";
                return new Problem(m.getLine() + 1, m.getColumn() + 1, context + describe(y.getProblem()));
            }
        }
        JsonLocation loc = e.getLocation();
        int line = loc == null ? 1 : Math.max(1, loc.getLineNr());
        int column = loc == null ? 1 : Math.max(1, loc.getColumnNr());
        return new Problem(line, column, describe(e.getOriginalMessage()));
    }

    /** The first line of a parser's message, with what it quotes of the file left out. */
    static String describe(String message) {
        if (message == null || message.isBlank()) {
            return "syntax error";
        }
        String first = message.strip().lines().findFirst().orElse("syntax error");
        first = first.replaceAll("\\s*\\(from `[^`]*`\\)", "").replaceAll(", from `[^`]*`", "")
                .replaceAll("\\s*\\(?(start marker )?at \\[Source:.*$", "");
        Matcher m = QUOTED.matcher(first);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String inner = m.group(1) != null ? m.group(1) : m.group(2);
            m.appendReplacement(sb, Matcher.quoteReplacement(HARMLESS.matcher(inner).matches() ? m.group() : ""));
        }
        m.appendTail(sb);
        String s = sb.toString().replaceAll("\\s+", " ").replace(" :", ":").replace("( ", "(").strip();
        // an unquoted excerpt the parser may add after a colon ("found undefined tag handle !x") stays short
        return Excerpt.of(s, 120);
    }
}
