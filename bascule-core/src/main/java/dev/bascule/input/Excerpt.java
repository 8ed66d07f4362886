package dev.bascule.input;

import java.util.regex.Pattern;

/**
 * What an error message may quote of a file: a short excerpt of a value, and a key only when it
 * looks like a name. A file given by mistake (a link to a password file, a private key) must not
 * be printed back into a terminal or a CI log through an error about it.
 */
public final class Excerpt {
    /** The longest excerpt of a value in a message. */
    public static final int MAX = 40;
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_-]{0,63}");

    private Excerpt() {}

    /** At most {@link #MAX} characters of {@code text}, cut with {@code ...}, control characters escaped. */
    public static String of(String text) {
        return of(text, MAX);
    }

    public static String of(String text, int max) {
        if (text == null) {
            return "";
        }
        boolean cut = text.codePointCount(0, text.length()) > max;
        String s = cut ? text.substring(0, text.offsetByCodePoints(0, max)) : text;
        StringBuilder sb = new StringBuilder(s.length() + 3);
        s.codePoints().forEach(c -> {
            switch (c) {
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (Character.isISOControl(c) || Character.getType(c) == Character.FORMAT) {
                        sb.append(String.format("\\u%04X", c));
                    } else {
                        sb.appendCodePoint(c);
                    }
                }
            }
        });
        return cut ? sb.append("...").toString() : sb.toString();
    }

    /** Whether a key may be named in a message: letters, digits, {@code _} and {@code -}, at most 64 characters. */
    public static boolean isName(String key) {
        return key != null && NAME.matcher(key).matches();
    }

    /** {@code 'key'} when it is a name; else a description that quotes nothing of it. */
    public static String key(String key) {
        return isName(key) ? "'" + key + "'"
                : "(its name, " + (key == null ? 0 : key.length()) + " characters, is not shown: it is not a name)";
    }
}
