package dev.bascule.test;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The migration folder from a directory, a path and a jar of the class path (how a project's migrations ship). */
class MigrationLocationsTest {
    private static final String TABLE = "operations:\n  - create_table:\n      name: t\n      columns:\n"
            + "        - {name: id, type: bigint, nullable: false}\n      primary_key: [id]\n";

    @Test
    void aClassPathFolderInAJarIsReadInFileNameOrder(@TempDir Path dir) throws Exception {
        Path jar = dir.resolve("migrations.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            // directory entries, as Maven's jar plugin writes them: a class loader finds a folder by its entry
            for (String name : new String[] {"db/", "db/bascule/", "db/bascule/0002_b.yaml", "db/bascule/0001_a.yaml", "db/bascule/README.txt",
                    "db/bascule/nested/0003_c.yaml", "db/other/0009_z.yaml"}) {
                out.putNextEntry(new JarEntry(name));
                if (!name.endsWith("/")) {
                    out.write(TABLE.getBytes(StandardCharsets.UTF_8));
                }
                out.closeEntry();
            }
        }
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
            assertThat(MigrationLocations.read("classpath:db/bascule", loader).keySet()).containsExactly("0001_a.yaml", "0002_b.yaml");
            assertThat(MigrationLocations.read("db/bascule/", loader).get("0002_b.yaml").name()).isEqualTo("0002_b");
        }
    }

    @Test
    void aPathAndAMissingFolder(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("0001_a.yaml"), TABLE);
        ClassLoader none = new URLClassLoader(new URL[0], null);
        assertThat(MigrationLocations.read("filesystem:" + dir, none).keySet()).containsExactly("0001_a.yaml");
        assertThat(MigrationLocations.read(dir.toString(), none).keySet()).containsExactly("0001_a.yaml");
        assertThatThrownBy(() -> MigrationLocations.read("classpath:db/nowhere", none)).hasMessageContaining("db/nowhere");
    }
}
