package dev.bascule.maven;

import dev.bascule.api.CompleteOutcome;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugins.annotations.Mojo;

/** Contracts the started migration, every gate in force: run it once no old code is left. */
@Mojo(name = "complete", threadSafe = true)
public class CompleteMojo extends AbstractBasculeMojo {
    CompleteOutcome outcome;

    @Override
    void run() throws MojoExecutionException {
        outcome = bascule().complete();
        getLog().info("bascule complete: " + outcome.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' '));
    }
}
