package dev.bascule.maven;

import dev.bascule.Bascule;
import dev.bascule.api.Migration;
import dev.bascule.api.StartOutcome;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

import java.util.List;

/**
 * Expands and backfills a migration: old code keeps its version, new code may use the new one. The
 * migrations before it must have completed ({@code migrate} them, or {@code complete} the started one).
 */
@Mojo(name = "start", threadSafe = true)
public class StartMojo extends AbstractBasculeMojo {
    /** The migration's file name in the locations; default: the first not completed. */
    @Parameter(property = "bascule.file")
    String file;

    StartOutcome outcome;

    @Override
    void run() throws MojoExecutionException {
        Bascule bascule = bascule();
        Migration m = choose(this, bascule, file);
        if (m == null) {
            getLog().info("bascule start: every migration has completed");
            return;
        }
        outcome = bascule.start(m);
        getLog().info("bascule start " + m.name() + ": " + outcome.name().toLowerCase(java.util.Locale.ROOT)
                + "; new code uses " + bascule.latest());
    }

    /** The migration {@code file} names (by file name or migration name), or the first not completed; null when none is left. */
    static Migration choose(AbstractBasculeMojo mojo, Bascule bascule, String file) throws MojoExecutionException {
        if (file != null && !file.isBlank()) {
            String wanted = file.replace('\\', '/').replaceAll(".*/", "");
            for (Migration m : mojo.migrations()) {
                String source = m.source() == null ? "" : m.source().file().replace('\\', '/').replaceAll(".*/", "");
                if (m.name().equals(wanted) || source.equals(wanted)) {
                    return m;
                }
            }
            throw new MojoExecutionException("no migration " + file + " in " + mojo.locations);
        }
        List<Migration> pending = mojo.pending(bascule);
        return pending.isEmpty() ? null : pending.get(0);
    }
}
