package dev.bascule.maven;

import dev.bascule.Lint;
import dev.bascule.api.InputLimits;
import dev.bascule.api.LintFinding;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reports statements that lock or break a live database in the migration folders (their {@code sql}
 * operations, and any {@code .sql} file there); fails the build on an error, and on a warning too
 * with {@code failOnWarning}. Needs no database: {@code url} only tells the dialect.
 */
@Mojo(name = "lint", defaultPhase = LifecyclePhase.VERIFY, threadSafe = true)
public class LintMojo extends AbstractBasculeMojo {
    /** {@code postgresql} or {@code mysql}; default: the url's, else as each file's text shows. */
    @Parameter(property = "bascule.dialect")
    String dialect;

    /** The PostgreSQL major version the migrations run on (0: the oldest supported). */
    @Parameter(property = "bascule.postgresqlVersion", defaultValue = "0")
    int postgresqlVersion;

    @Parameter(property = "bascule.failOnWarning", defaultValue = "false")
    boolean failOnWarning;

    /** The findings of the last run (tests read them). */
    List<LintFinding> findings = List.of();

    @Override
    void run() throws MojoExecutionException, MojoFailureException {
        String d;
        try {
            d = dialect != null && !dialect.isBlank() ? Lint.dialect(dialect)
                    : url != null && !url.isBlank() ? Lint.dialectOfJdbcUrl(url).orElse(null) : null;
        } catch (IllegalArgumentException e) {
            throw new MojoExecutionException(e.getMessage(), e);
        }
        Lint.Run lintRun = Lint.run(postgresqlVersion);
        List<LintFinding> all = new ArrayList<>();
        List<Path> files = Lint.files(folders(), InputLimits.DEFAULT);
        for (Path file : files) {
            all.addAll(lintRun.file(file, d, InputLimits.DEFAULT));
        }
        findings = List.copyOf(all);
        long errors = all.stream().filter(f -> f.severity() == LintFinding.Severity.ERROR).count();
        long warnings = all.size() - errors;
        for (LintFinding f : all) {
            String line = f.file() + ":" + f.line() + ": " + f.rule() + ": " + f.message();
            if (f.severity() == LintFinding.Severity.ERROR) {
                getLog().error(line);
            } else {
                getLog().warn(line);
            }
        }
        getLog().info("bascule lint: " + files.size() + " file(s), " + errors + " error(s), " + warnings + " warning(s)");
        if (errors > 0 || (failOnWarning && warnings > 0)) {
            throw new MojoFailureException("bascule lint found " + errors + " error(s) and " + warnings + " warning(s)");
        }
    }
}
