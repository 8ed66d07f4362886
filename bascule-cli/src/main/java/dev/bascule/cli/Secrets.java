package dev.bascule.cli;

import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The passwords this process knows about, and the scrubbing of them out of every line it prints.
 * A password may come from an option, the environment, a config file or a URL; every one found is
 * registered here, and every text the CLI writes goes through {@link #scrub(String)}.
 */
final class Secrets {
    static final String MASK = "***";

    /** {@code password=...} in a JDBC URL's query or a libpq keyword string. */
    private static final Pattern PASSWORD_PARAM = Pattern.compile("(?i)(password\\s*=\\s*)[^&\\s;,]*");
    /** {@code scheme://user:password@host} */
    private static final Pattern USER_INFO = Pattern.compile("(://[^/:@\\s]*:)[^@/\\s]*@");

    private final Set<String> known = new LinkedHashSet<>();

    synchronized void add(String secret) {
        if (secret != null && !secret.isEmpty()) {
            known.add(secret);
        }
    }

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
