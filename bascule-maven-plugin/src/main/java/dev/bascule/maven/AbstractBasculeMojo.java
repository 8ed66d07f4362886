package dev.bascule.maven;

import dev.bascule.Bascule;
import dev.bascule.Migrations;
import dev.bascule.api.BasculeException;
import dev.bascule.api.HistoryEntry;
import dev.bascule.api.InputLimits;
import dev.bascule.api.Migration;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Parameter;
import org.mariadb.jdbc.MariaDbDataSource;
import org.postgresql.ds.PGSimpleDataSource;

import javax.sql.DataSource;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What every goal is configured with, named as Flyway's plugin names it: {@code url}, {@code user},
 * {@code password}, {@code schema}, {@code locations}; each also a property ({@code -Dbascule.url=...}).
 */
abstract class AbstractBasculeMojo extends AbstractMojo {
    /** The database's JDBC URL ({@code jdbc:postgresql:...}, {@code jdbc:mariadb:...}, {@code jdbc:mysql:...}). */
    @Parameter(property = "bascule.url")
    String url;

    @Parameter(property = "bascule.user")
    String user;

    @Parameter(property = "bascule.password")
    String password;

    /** The schema of the application's tables (default: {@code public}; on MariaDB the URL's database). */
    @Parameter(property = "bascule.schema")
    String schema;

    /** Where Bascule keeps its state (default {@code bascule}). */
    @Parameter(property = "bascule.stateSchema")
    String stateSchema;

    /**
     * The migration folders: {@code filesystem:path}, {@code classpath:db/bascule} (the project's
     * resources: {@code src/main/resources/db/bascule}, or the build output), or a path.
     */
    @Parameter(property = "bascule.locations", defaultValue = "classpath:db/bascule")
    List<String> locations;

    @Parameter(property = "bascule.skip", defaultValue = "false")
    boolean skip;

    @Parameter(defaultValue = "${project.basedir}", readonly = true)
    File basedir;

    @Parameter(defaultValue = "${project.build.outputDirectory}", readonly = true)
    File outputDirectory;

    @Override
    public final void execute() throws MojoExecutionException, MojoFailureException {
        if (skip) {
            getLog().info("bascule: skipped");
            return;
        }
        try {
            run();
        } catch (BasculeException e) {
            // a refusal or a bad migration: the build's fault, not the plugin's
            throw new MojoFailureException(e.getMessage(), e);
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new MojoExecutionException(e.getMessage(), e);
        }
    }

    abstract void run() throws MojoExecutionException, MojoFailureException;

    /** The folders {@link #locations} name, each an existing directory. */
    List<Path> folders() throws MojoExecutionException {
        List<Path> out = new ArrayList<>();
        for (String location : locations) {
            Path folder = folder(location.trim());
            if (!Files.isDirectory(folder)) {
                throw new MojoExecutionException("no migration folder " + folder + " (location " + location + ")");
            }
            out.add(folder);
        }
        return out;
    }

    private Path folder(String location) {
        Path base = basedir != null ? basedir.toPath() : Path.of("");
        if (location.startsWith("filesystem:")) {
            return base.resolve(location.substring("filesystem:".length()));
        }
        if (location.startsWith("classpath:")) {
            String resource = location.substring("classpath:".length()).replaceAll("^/+", "");
            Path sources = base.resolve("src/main/resources").resolve(resource);
            if (Files.isDirectory(sources) || outputDirectory == null) {
                return sources;
            }
            return outputDirectory.toPath().resolve(resource);
        }
        return base.resolve(location);
    }

    /** The migrations of every location, in file-name order within each. */
    List<Migration> migrations() throws MojoExecutionException {
        List<Migration> out = new ArrayList<>();
        for (Path folder : folders()) {
            out.addAll(Migrations.folder(folder, InputLimits.DEFAULT));
        }
        return out;
    }

    /** The migrations not completed on the database, in order. */
    List<Migration> pending(Bascule bascule) throws MojoExecutionException {
        Set<String> completed = bascule.history().stream().filter(h -> "completed".equals(h.phase()))
                .map(HistoryEntry::name).collect(Collectors.toSet());
        return migrations().stream().filter(m -> !completed.contains(m.name())).toList();
    }

    Bascule bascule() throws MojoExecutionException {
        if (url == null || url.isBlank()) {
            throw new MojoExecutionException("no database: set <url> in the plugin's configuration or -Dbascule.url");
        }
        Bascule.Builder builder = Bascule.configure().dataSource(dataSource()).jdbcUrl(url);
        if (schema != null && !schema.isBlank()) {
            builder.schema(schema);
        }
        if (stateSchema != null && !stateSchema.isBlank()) {
            builder.stateSchema(stateSchema);
        }
        return builder.load();
    }

    private DataSource dataSource() throws MojoExecutionException {
        if (url.startsWith("jdbc:postgresql:")) {
            PGSimpleDataSource ds = new PGSimpleDataSource();
            ds.setUrl(url);
            if (user != null) {
                ds.setUser(user);
            }
            if (password != null) {
                ds.setPassword(password);
            }
            return ds;
        }
        if (url.startsWith("jdbc:mariadb:") || url.startsWith("jdbc:mysql:")) {
            try {
                MariaDbDataSource ds = new MariaDbDataSource();
                ds.setUrl(url.startsWith("jdbc:mysql:") ? "jdbc:mariadb:" + url.substring("jdbc:mysql:".length()) : url);
                if (user != null) {
                    ds.setUser(user);
                }
                if (password != null) {
                    ds.setPassword(password);
                }
                return ds;
            } catch (SQLException e) {
                throw new MojoExecutionException("bad url " + url + ": " + e.getMessage(), e);
            }
        }
        throw new MojoExecutionException("not a PostgreSQL, MariaDB or MySQL JDBC URL: " + url);
    }
}
