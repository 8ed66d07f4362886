package dev.bascule.plan;

import dev.bascule.api.Identifiers;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Names Bascule generates for its own objects, kept within the identifier length limit. */
public final class Names {
    private Names() {}

    /** {@code parts} joined by _; a name that would be too long is cut and given a hash suffix. */
    public static String limited(String... parts) {
        String joined = String.join("_", parts);
        if (joined.length() <= Identifiers.MAX_LENGTH) {
            return joined;
        }
        String hash = hash(joined);
        return joined.substring(0, Identifiers.MAX_LENGTH - hash.length() - 1) + "_" + hash;
    }

    public static String hash(String s) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
