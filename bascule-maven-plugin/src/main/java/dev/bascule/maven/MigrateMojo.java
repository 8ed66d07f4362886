package dev.bascule.maven;

import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugins.annotations.Mojo;

import java.util.List;

/**
 * Starts, then completes, every migration of the locations not yet completed, in order: for a
 * database no old code runs on (a developer's, a test's, a first install).
 */
@Mojo(name = "migrate", threadSafe = true)
public class MigrateMojo extends AbstractBasculeMojo {
    List<String> migrated = List.of();

    @Override
    void run() throws MojoExecutionException {
        migrated = bascule().migrate(migrations());
        getLog().info("bascule migrate: " + (migrated.isEmpty() ? "nothing to migrate" : String.join(", ", migrated)));
    }
}
