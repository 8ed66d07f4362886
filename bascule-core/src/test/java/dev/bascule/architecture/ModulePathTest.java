package dev.bascule.architecture;

import dev.bascule.testing.PostgresServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.ToolProvider;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An application that is itself a Java module uses Bascule on the module path: it compiles against
 * the exported packages only, and a migration starts and completes there, which needs the module's
 * requires and its opens to Jackson (the stored plan is read back as JSON) to be right. The tests
 * around it run on the class path, which would not notice.
 */
class ModulePathTest {
    /** The library's runtime dependencies, by jar name: the rest of the test class path stays off the module path. */
    private static final List<String> RUNTIME = List.of("postgresql-", "mariadb-java-client-", "jackson-core-",
            "jackson-databind-", "jackson-annotations-", "jackson-dataformat-yaml-", "snakeyaml-", "slf4j-api-",
            "HdrHistogram-", "checker-qual-");

    @Test
    void aModularApplicationStartsAndCompletesAMigration(@TempDir Path dir) throws Exception {
        String schema = "modpath_" + UUID.randomUUID().toString().substring(0, 8);
        Path src = dir.resolve("src/app/app");
        Files.createDirectories(src);
        Files.writeString(dir.resolve("src/app/module-info.java"), "module app { requires dev.bascule.core; }");
        Files.writeString(src.resolve("Main.java"), """
                package app;

                import dev.bascule.Bascule;
                import dev.bascule.Migrations;
                import dev.bascule.api.Migration;
                import java.sql.DriverManager;
                import javax.sql.DataSource;

                public class Main {
                    public static void main(String[] args) throws Exception {
                        String url = args[0];
                        DataSource ds = (DataSource) java.lang.reflect.Proxy.newProxyInstance(Main.class.getClassLoader(),
                                new Class<?>[]{DataSource.class}, (proxy, method, a) -> switch (method.getName()) {
                                    case "getConnection" -> DriverManager.getConnection(url);
                                    case "isWrapperFor" -> false;
                                    default -> throw new UnsupportedOperationException(method.getName());
                                });
                        Migration m = Migrations.fromText("m1", "operations:\\n  - add_column: {table: users, column:"
                                + " {name: email, type: text}, up: \\"name || '@x.org'\\"}\\n");
                        Bascule b = Bascule.configure().dataSource(ds).schema(args[1]).stateSchema(args[1] + "_state").load();
                        System.out.println("start " + b.start(m));
                        System.out.println("complete " + b.complete());
                    }
                }
                """);
        List<String> modulePath = new ArrayList<>();
        modulePath.add(Path.of(dev.bascule.Bascule.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            String file = Path.of(entry).getFileName().toString();
            if (file.endsWith(".jar") && RUNTIME.stream().anyMatch(file::startsWith)) {
                modulePath.add(entry);
            }
        }
        assertThat(modulePath).hasSize(RUNTIME.size() + 1);
        String mp = String.join(File.pathSeparator, modulePath);
        Path out = dir.resolve("out");
        int compiled = ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", out.toString(),
                "--module-path", mp, dir.resolve("src/app/module-info.java").toString(), src.resolve("Main.java").toString());
        assertThat(compiled).as("the application compiles against the exported packages").isZero();

        try (Connection c = PostgresServer.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema + "; CREATE TABLE " + schema + ".users (id int PRIMARY KEY, name text);"
                    + " INSERT INTO " + schema + ".users VALUES (1, 'ann')");
        }
        try {
            Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "--module-path", mp + File.pathSeparator + out, "-m", "app/app.Main", PostgresServer.jdbcUrl(), schema)
                    .redirectErrorStream(true).start();
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(output).contains("start STARTED", "complete COMPLETED");
            assertThat(p.exitValue()).as(output).isZero();
            try (Connection c = PostgresServer.dataSource().getConnection(); Statement s = c.createStatement();
                 var rs = s.executeQuery("SELECT email FROM " + schema + ".users")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("ann@x.org");
            }
        } finally {
            try (Connection c = PostgresServer.dataSource().getConnection(); Statement s = c.createStatement()) {
                for (String drop : Arrays.asList(schema, schema + "_m1", schema + "_state")) {
                    s.execute("DROP SCHEMA IF EXISTS " + drop + " CASCADE");
                }
            }
        }
    }
}
