package dev.bascule.maven;

import dev.bascule.api.CompleteOutcome;
import dev.bascule.api.LintFinding;
import dev.bascule.api.StartOutcome;
import dev.bascule.testing.PostgresServer;
import dev.bascule.testing.TestSchema;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The goals as Maven runs them (the mojo classes, configured as the plugin's configuration would),
 * on a schema of each test's own on a real PostgreSQL.
 */
class MojosTest {
    private static final File RESOURCES = new File("src/test/resources");
    private final TestSchema db = new TestSchema();

    @AfterEach
    void drop() {
        db.close();
    }

    private <T extends AbstractBasculeMojo> T configure(T mojo, String... locations) {
        mojo.url = PostgresServer.jdbcUrl();
        mojo.schema = db.name();
        mojo.stateSchema = db.stateSchema();
        mojo.basedir = RESOURCES;
        mojo.locations = List.of(locations.length == 0 ? new String[] {"filesystem:migrations"} : locations);
        return mojo;
    }

    @Test
    void migrateRunsEveryPendingMigrationThenNothing() throws Exception {
        MigrateMojo migrate = configure(new MigrateMojo());
        migrate.execute();
        assertThat(migrate.migrated).containsExactly("0001_items", "0002_items_sku");
        assertThat(db.column("SELECT column_name FROM information_schema.columns WHERE table_schema = '" + db.name()
                + "' AND table_name = 'items' ORDER BY ordinal_position")).containsExactly("id", "title", "sku");

        MigrateMojo again = configure(new MigrateMojo());
        again.execute();
        assertThat(again.migrated).isEmpty();
    }

    @Test
    void planStartStatusCompleteWalkTheFolderOneMigrationAtATime() throws Exception {
        PlanMojo plan = configure(new PlanMojo());
        plan.execute();
        assertThat(plan.plan.migration()).isEqualTo("0001_items");
        assertThat(db.column("SELECT count(*) FROM pg_tables WHERE schemaname = '" + db.name() + "'")).containsExactly("0");

        StartMojo start = configure(new StartMojo());
        start.file = "0001_items.yaml";
        start.execute();
        assertThat(start.outcome).isEqualTo(StartOutcome.STARTED);
        CompleteMojo complete = configure(new CompleteMojo());
        complete.execute();
        assertThat(complete.outcome).isEqualTo(CompleteOutcome.COMPLETED);

        // no file: the first migration not completed
        StartMojo next = configure(new StartMojo());
        next.execute();
        assertThat(next.outcome).isEqualTo(StartOutcome.STARTED);
        StatusMojo status = configure(new StatusMojo());
        status.execute();
        assertThat(status.status.active().name()).isEqualTo("0002_items_sku");
        assertThat(status.status.active().phase()).isEqualTo("started");

        CompleteMojo completeNext = configure(new CompleteMojo());
        completeNext.execute();
        assertThat(completeNext.outcome).isEqualTo(CompleteOutcome.COMPLETED);
        StatusMojo after = configure(new StatusMojo());
        after.execute();
        assertThat(after.status.active()).isNull();
    }

    @Test
    void lintFailsTheBuildOnAnErrorAndPassesACleanFolder() throws Exception {
        LintMojo clean = configure(new LintMojo());
        clean.url = null;
        clean.execute();
        assertThat(clean.findings).noneMatch(f -> f.severity() == LintFinding.Severity.ERROR);

        LintMojo bad = configure(new LintMojo(), "filesystem:migrations", "filesystem:bad-migrations");
        bad.url = null;
        assertThatThrownBy(bad::execute).isInstanceOf(MojoFailureException.class).hasMessageContaining("1 error");
        assertThat(bad.findings).anyMatch(f -> f.rule().equals("index-not-concurrent") && f.file().endsWith("0003_items_title_index.yaml"));
    }

    @Test
    void aMissingFolderOrUrlIsAConfigurationError() {
        StatusMojo noUrl = configure(new StatusMojo());
        noUrl.url = null;
        assertThatThrownBy(noUrl::execute).isInstanceOf(MojoExecutionException.class).hasMessageContaining("<url>");
        LintMojo noFolder = configure(new LintMojo(), "classpath:db/nowhere");
        assertThatThrownBy(noFolder::execute).isInstanceOf(MojoExecutionException.class).hasMessageContaining("db/nowhere");
    }

    @Test
    void skipDoesNothing() throws Exception {
        MigrateMojo migrate = configure(new MigrateMojo());
        migrate.skip = true;
        migrate.execute();
        assertThat(db.column("SELECT count(*) FROM pg_tables WHERE schemaname = '" + db.name() + "'")).containsExactly("0");
    }
}
