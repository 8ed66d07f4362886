package dev.bascule.testing;

import org.junit.jupiter.api.Named;

import java.util.Arrays;
import java.util.stream.Stream;

/**
 * The servers a test parameterised over servers runs on:
 * {@code @ParameterizedTest @MethodSource(Servers.ALL) void x(Supplier<TestDb> server)} runs once per
 * available {@link Server}, named after it.
 */
public final class Servers {
    /** The method source of every available server. */
    public static final String ALL = "dev.bascule.testing.Servers#all";

    private Servers() {}

    public static Stream<Named<Server>> all() {
        return Arrays.stream(Server.values()).filter(Server::available).map(s -> Named.of(s.label(), s));
    }
}
