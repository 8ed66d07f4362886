package dev.bascule.maven;

import dev.bascule.Bascule;
import dev.bascule.api.Migration;
import dev.bascule.api.PlanView;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

import java.util.List;

/** Prints what start, complete and rollback of a migration would run, checked against the database; changes nothing. */
@Mojo(name = "plan", threadSafe = true)
public class PlanMojo extends AbstractBasculeMojo {
    /** The migration's file name in the locations; default: the first not completed. */
    @Parameter(property = "bascule.file")
    String file;

    /** The last plan (tests read it). */
    PlanView plan;

    @Override
    void run() throws MojoExecutionException {
        Bascule bascule = bascule();
        Migration m = StartMojo.choose(this, bascule, file);
        if (m == null) {
            getLog().info("bascule plan: every migration has completed");
            return;
        }
        plan = bascule.plan(m);
        getLog().info("bascule plan " + plan.migration() + ": old code on " + plan.previousVersionSchema()
                + ", new code on " + plan.versionSchema());
        section("start", plan.start());
        section("complete checks", plan.validations());
        section("complete", plan.complete());
        section("rollback", plan.rollback());
        for (String note : plan.notes()) {
            getLog().info("note: " + note);
        }
    }

    private void section(String title, List<PlanView.Step> steps) {
        getLog().info(title + ":");
        for (PlanView.Step s : steps) {
            getLog().info("  " + s.description() + (s.lock() == null || s.lock().isBlank() ? "" : " [" + s.lock() + "]")
                    + (s.effect() == null ? "" : " (" + s.effect() + ")"));
            for (String sql : s.statements()) {
                getLog().info("      " + sql);
            }
        }
    }
}
