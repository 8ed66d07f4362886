package dev.bascule.testing;

import org.junit.jupiter.api.Named;

import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The servers a test parameterised over servers runs on:
 * {@code @ParameterizedTest @MethodSource(Servers.SUITE) void x(Server server)} runs once per
 * server of the suite (PostgreSQL 15, MariaDB 10.11), {@link #MATRIX} once per server of the matrix
 * (every {@link Server}), each named after its server.
 *
 * <p>A local run may narrow the matrix with {@code -Dbascule.test.servers=postgresql-18,mariadb-11.4}
 * (or {@code BASCULE_TEST_SERVERS}): labels of {@link Server} ({@code mysql} for {@code mysql-8.0}), or {@code suite} for none beyond the
 * suite's, which every run keeps. CI ({@code CI=true}) runs every server: there a narrower list fails.
 */
public final class Servers {
    /** The method source of the suite's servers, one of each family. */
    public static final String SUITE = "dev.bascule.testing.Servers#suite";
    /** The method source of every server of the matrix: the operations scenarios run on these. */
    public static final String MATRIX = "dev.bascule.testing.Servers#matrix";
    /** Every server: {@link #MATRIX}, under the name tests used before the matrix. */
    public static final String ALL = MATRIX;

    private Servers() {}

    public static Stream<Named<Server>> suite() {
        return Arrays.stream(Server.values()).filter(Server::suite).map(s -> Named.of(s.label(), s));
    }

    public static Stream<Named<Server>> matrix() {
        return Arrays.stream(Server.values()).filter(Server::available).map(s -> Named.of(s.label(), s));
    }

    /** {@link #matrix()}, under the name tests used before the matrix. */
    public static Stream<Named<Server>> all() {
        return matrix();
    }

    /** Whether {@code bascule.test.servers} (all when unset) takes {@code server}. */
    static boolean chosen(Server server) {
        String list = System.getProperty("bascule.test.servers", System.getenv("BASCULE_TEST_SERVERS"));
        if (list == null || list.isBlank() || list.strip().equalsIgnoreCase("all")) {
            return true;
        }
        Set<String> labels = Arrays.stream(list.split(",")).map(s -> s.strip().toLowerCase(Locale.ROOT))
                .filter(s -> !s.isEmpty()).map(s -> s.equals("mysql") ? "mysql-8.0" : s).collect(Collectors.toSet());
        for (String label : labels) {
            if (!label.equals("suite") && Arrays.stream(Server.values()).noneMatch(s -> s.label().equals(label))) {
                throw new IllegalArgumentException("bascule.test.servers names no server '" + label + "'; the servers are "
                        + Arrays.stream(Server.values()).map(Server::label).collect(Collectors.joining(", ")) + " (or suite)");
            }
        }
        boolean taken = labels.contains(server.label());
        if (!taken && "true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new IllegalStateException("CI runs the operations scenarios on every server, but bascule.test.servers="
                    + list + " leaves out " + server.label());
        }
        return taken;
    }
}
