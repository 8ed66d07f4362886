package dev.bascule.maven;

import dev.bascule.api.MigrationStatus;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugins.annotations.Mojo;

/** Prints the started migration, its phase and backfills, the pending migrations and the version new code should use. */
@Mojo(name = "status", threadSafe = true)
public class StatusMojo extends AbstractBasculeMojo {
    MigrationStatus status;

    @Override
    void run() throws MojoExecutionException {
        var bascule = bascule();
        status = bascule.status();
        MigrationStatus.Active a = status.active();
        if (a == null) {
            getLog().info("bascule status: no migration in progress");
        } else {
            getLog().info("bascule status: " + a.name() + " " + a.phase() + (a.paused() ? " (paused)" : "")
                    + "; old code on " + a.previousVersionSchema() + ", new code on " + a.versionSchema());
            for (MigrationStatus.Backfill b : a.backfills()) {
                getLog().info("  backfill " + b.table() + ": " + b.rowsDone() + "/" + b.rowsTotal() + (b.finished() ? " done" : ""));
            }
            if (a.lastError() != null) {
                getLog().warn("  last error: " + a.lastError());
            }
        }
        var pending = pending(bascule).stream().map(m -> m.name()).toList();
        getLog().info("pending: " + (pending.isEmpty() ? "none" : String.join(", ", pending)));
        getLog().info("latest version: " + status.latestSchema());
    }
}
