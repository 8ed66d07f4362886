package dev.bascule.cli;

import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The passwords this process knows about, and their masking where they can appear: in a URL (its
 * {@code user:password@} and {@code password=} parameter), in the database driver's messages, and in
 * command-line arguments that a parse error quotes back. A password may come from an option, the
 * environment, a config file or a URL; every one found is registered here. Other output is not
 * searched for them: a password such as {@code public} would otherwise mask a schema name.
 */
final class Secrets {
    static final String MASK = "***";

    /** {@code password=...} in a JDBC URL's query or a libpq keyword string. */
    private static final Pattern PASSWORD_PARAM = Pattern.compile("(?i)(password\\s*=\\s*)[^&\\s;,]*");
    /** {@code scheme://user:password@host} */
    private static final Pattern USER_INFO = Pattern.compile("(://[^/:@\\s]*:)[^@/\\s]*@");

    /** A URL: a JDBC one, or any scheme://... */
    private static final Pattern URL = Pattern.compile("(?i)\\b(?:jdbc:[a-z0-9]+:|[a-z][a-z0-9+.-]*://)[^\\s'\"<>]*");

    private final Set<String> known = new LinkedHashSet<>();

    synchronized void add(String secret) {
        if (secret != null && !secret.isEmpty()) {
            known.add(secret);
        }
    }

    /**
     * An error's message for the terminal: the text of every exception in its chain that is not
     * Bascule's own (the driver's, the JDK's) with every known password masked, and the credentials
     * of every URL in it masked. Bascule's own text is left as it is.
     */
    String scrubError(Throwable error) {
        String message = error.getMessage() == null ? "" : error.getMessage();
        if (!(error instanceof dev.bascule.api.BasculeException)) {
            return scrub(message);
        }
        for (Throwable t = error.getCause(); t != null && t != t.getCause(); t = t.getCause()) {
            String m = t.getMessage();
            if (!(t instanceof dev.bascule.api.BasculeException) && m != null && !m.isEmpty() && message.contains(m)) {
                message = message.replace(m, scrub(m));
            }
        }
        return maskUrls(message);
    }

    /** The credentials of every URL in {@code text} masked: {@code user:***@}, {@code password=***}. */
    static String maskUrls(String text) {
        java.util.regex.Matcher m = URL.matcher(text);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String url = PASSWORD_PARAM.matcher(m.group()).replaceAll("$1" + MASK);
            url = USER_INFO.matcher(url).replaceAll("$1" + MASK + "@");
            m.appendReplacement(sb, java.util.regex.Matcher.quoteReplacement(url));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    /** Known passwords and URL credentials masked: for a URL the user gave, or a driver's message. */
    synchronized String scrub(String text) {
        if (text == null) {
            return null;
        }
        String s = text;
        // longest first, so a password that contains another is masked whole
        List<String> sorted = known.stream().sorted(Comparator.comparingInt(String::length).reversed()).toList();
        for (String secret : sorted) {
            s = s.replace(secret, MASK);
        }
        s = PASSWORD_PARAM.matcher(s).replaceAll("$1" + MASK);
        s = USER_INFO.matcher(s).replaceAll("$1" + MASK + "@");
        return s;
    }

    /**
     * Registers the values of {@code --password X} / {@code --password=X} in raw arguments, before
     * they are parsed, so that even a parse error quoting them cannot show them. Misspelt options
     * ({@code --pasword}, {@code --passwd}, {@code --pwd}) count too: picocli quotes their values back.
     */
    void addFromArgs(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a == null || !a.startsWith("-")) {
                continue;
            }
            int eq = a.indexOf('=');
            String name = (eq < 0 ? a : a.substring(0, eq)).replaceFirst("^-+", "").toLowerCase(java.util.Locale.ROOT);
            if (!looksLikePassword(name)) {
                continue;
            }
            if (eq >= 0) {
                add(a.substring(eq + 1));
            } else if (i + 1 < args.length) {
                add(args[i + 1]);
            }
        }
    }

    static boolean looksLikePassword(String optionName) {
        return optionName.contains("pass") || optionName.contains("pwd") || optionName.contains("secret")
                || distance(optionName, "password") <= 2;
    }

    /** Levenshtein distance. */
    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
