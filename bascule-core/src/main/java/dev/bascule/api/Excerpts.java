package dev.bascule.api;

/**
 * Keeps a message that may quote its input short. A server's error quotes the text it choked on
 * ({@code syntax error at or near "<token>"}), and that token can be megabytes of a migration file:
 * printed, stored as the migration's last error and sent to notifications in full, it filled
 * terminals, CI logs and the state table. Each line longer than {@link #MAX_LINE} characters keeps
 * its start and its end and says how much was left out between them (the end of Bascule's own
 * messages names what to do, e.g. the objects it will not drop); the message's other lines stay as
 * they are.
 */
public final class Excerpts {
    /** The longest line kept whole. */
    public static final int MAX_LINE = 1000;
    /** What is kept of each end of a longer line. */
    static final int KEPT = 400;

    private Excerpts() {}

    /** {@code text} with every line over {@link #MAX_LINE} characters cut to its two ends; null stays null. */
    public static String bounded(String text) {
        if (text == null || text.length() <= MAX_LINE) {
            return text;
        }
        StringBuilder out = new StringBuilder();
        int start = 0;
        while (start <= text.length()) {
            int end = text.indexOf('\n', start);
            if (end < 0) {
                end = text.length();
            }
            int length = end - start;
            if (length > MAX_LINE) {
                int cut = start + KEPT;
                if (Character.isHighSurrogate(text.charAt(cut - 1))) {
                    cut--; // never split a character in two
                }
                int resume = end - KEPT;
                if (Character.isLowSurrogate(text.charAt(resume))) {
                    resume++;
                }
                out.append(text, start, cut).append(" ... (").append(resume - cut).append(" characters left out) ... ")
                        .append(text, resume, end);
            } else {
                out.append(text, start, end);
            }
            if (end == text.length()) {
                break;
            }
            out.append('\n');
            start = end + 1;
        }
        return out.toString();
    }
}
