package dev.bascule.deprecation;

import dev.bascule.plan.Names;

import dev.bascule.api.Identifiers;

import java.nio.charset.StandardCharsets;

/**
 * The name complete --deprecate gives a table or column instead of dropping it:
 * {@code _bascule_deprecated_<hash of the migration>_<original>}. The hash keeps apart the same
 * name deprecated by two migrations; the original name is in the object's comment too, so a name
 * cut to fit PostgreSQL's 63 bytes loses nothing restore needs.
 */
public final class DeprecatedName {
    public static final String PREFIX = "_bascule_deprecated_";

    private DeprecatedName() {}

    public static String of(String migration, String original) {
        String name = PREFIX + Names.hash(migration) + "_" + original;
        if (bytes(name) <= Identifiers.MAX_LENGTH) {
            return name;
        }
        // cut on a character boundary, then a hash of the whole original name keeps two long names apart
        String suffix = "_" + Names.hash(original);
        int room = Identifiers.MAX_LENGTH - bytes(suffix);
        StringBuilder cut = new StringBuilder();
        for (int i = 0; i < name.length(); ) {
            int cp = name.codePointAt(i);
            String next = new String(Character.toChars(cp));
            if (bytes(cut.toString()) + bytes(next) > room) {
                break;
            }
            cut.append(next);
            i += Character.charCount(cp);
        }
        return cut + suffix;
    }

    private static int bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }
}
