package dev.bascule.plan;

import dev.bascule.api.InvalidMigrationException;
import dev.bascule.api.Migration;
import dev.bascule.dialect.Catalog;
import dev.bascule.dialect.Dialect;
import dev.bascule.dialect.mysql.MariaDbDialect;
import dev.bascule.model.MigrationReader;
import dev.bascule.plan.operation.Planner;
import dev.bascule.step.Step;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.type;

/** Comments in plans: set_comment, and the comments of create_table, add_column and alter_column, on every dialect. */
class CommentPlannerTest {

    static Stream<Named<Dialect>> dialects() {
        return PlannerTest.dialects();
    }

    /** users (id, email with a comment, name, gen: generated), commented; orders without comments. */
    static Catalog catalog(Dialect dialect) {
        boolean mariaDb = dialect instanceof MariaDbDialect;
        String integer = mariaDb ? "int(11)" : "integer";
        return CatalogBuilder.of(dialect, "app")
                .table("users", t -> t.notNull("id", integer).commented("email", mariaDb ? "varchar(100)" : "text", "Where we write")
                        .column("name", mariaDb ? "varchar(50)" : "text").generated("gen", integer)
                        .primaryKey("id").comment("People"))
                .table("orders", t -> t.notNull("id", integer).column("total", integer).primaryKey("id"))
                .build();
    }

    static Plan plan(Dialect dialect, String operations) {
        Migration migration = MigrationReader.read(PlannerTest.FILE, ("operations:\n" + operations).getBytes(StandardCharsets.UTF_8));
        return new Planner(dialect, catalog(dialect), migration, "app_state", "app").plan();
    }

    static Step.SqlStep sql(Step step) {
        assertThat(step).isInstanceOf(Step.SqlStep.class);
        return (Step.SqlStep) step;
    }

    static String statements(Step step) {
        return String.join("\n", sql(step).statements());
    }

    static boolean mariaDb(Dialect dialect) {
        return dialect instanceof MariaDbDialect;
    }

    @ParameterizedTest
    @MethodSource("dialects")
    void setCommentOnAColumnAtStartAndRollbackPutsTheOldOneBack(Dialect dialect) {
        Plan plan = plan(dialect, "  - set_comment: {table: users, column: email, comment: \"It's the address\"}\n");
        assertThat(PlannerTest.start(plan)).containsExactly("SCHEMA set comment of users.email",
                "VIEWS create version schema app_0002_change");
        PlannedStep set = plan.start().get(0);
        assertThat(sql(set.action()).lock()).isEqualTo(dialect.locks().comment());
        assertThat(sql(set.action()).effect()).isNotNull();
        assertThat(PlannerTest.descriptions(set.undo())).containsExactly("restore comment of users.email");
        if (mariaDb(dialect)) {
            assertThat(sql(set.action()).lock()).contains("ALGORITHM=INSTANT");
            assertThat(statements(set.action())).contains("MODIFY COLUMN `email` ").contains("QUOTE('It''s the address')")
                    .contains("CHECK_CONSTRAINTS").contains("ALGORITHM=INSTANT, LOCK=NONE");
            assertThat(statements(set.undo().get(0))).contains("QUOTE('Where we write')");
        } else {
            assertThat(sql(set.action()).lock()).isEqualTo("SHARE UPDATE EXCLUSIVE (brief, catalog only)");
            assertThat(statements(set.action())).isEqualTo("COMMENT ON COLUMN \"app\".\"users\".\"email\" IS 'It''s the address'");
            assertThat(statements(set.undo().get(0))).isEqualTo("COMMENT ON COLUMN \"app\".\"users\".\"email\" IS 'Where we write'");
        }
        assertThat(plan.complete()).noneMatch(s -> s.description().contains("comment"));
    }

    @ParameterizedTest
    @MethodSource("dialects")
    void setCommentNullRemovesTheTablesCommentAndRollbackPutsItBack(Dialect dialect) {
        Plan plan = plan(dialect, "  - set_comment: {table: users, comment: null}\n"
                + "  - set_comment: {table: orders, comment: \"Sales\"}\n");
        assertThat(PlannerTest.start(plan)).containsExactly("SCHEMA remove comment of users", "SCHEMA set comment of orders",
                "VIEWS create version schema app_0002_change");
        String q = mariaDb(dialect) ? "`" : "\"";
        String users = q + "app" + q + "." + q + "users" + q;
        String orders = q + "app" + q + "." + q + "orders" + q;
        if (mariaDb(dialect)) {
            assertThat(statements(plan.start().get(0).action())).isEqualTo("ALTER TABLE " + users + " COMMENT = '', ALGORITHM=INSTANT, LOCK=NONE");
            assertThat(statements(plan.start().get(0).undo().get(0))).isEqualTo("ALTER TABLE " + users + " COMMENT = 'People', ALGORITHM=INSTANT, LOCK=NONE");
            assertThat(statements(plan.start().get(1).undo().get(0))).isEqualTo("ALTER TABLE " + orders + " COMMENT = '', ALGORITHM=INSTANT, LOCK=NONE");
        } else {
            assertThat(statements(plan.start().get(0).action())).isEqualTo("COMMENT ON TABLE " + users + " IS NULL");
            assertThat(statements(plan.start().get(0).undo().get(0))).isEqualTo("COMMENT ON TABLE " + users + " IS 'People'");
            assertThat(statements(plan.start().get(1).undo().get(0))).isEqualTo("COMMENT ON TABLE " + orders + " IS NULL");
        }
        // rollback undoes newest first
        assertThat(PlannerTest.descriptions(plan.rollback())).containsExactly("drop version schema app_0002_change",
                "restore comment of orders", "restore comment of users");
    }

    @ParameterizedTest
    @MethodSource("dialects")
    void setCommentRefusesWhatTheMigrationMakesOrAlters(Dialect dialect) {
        PlannerTest.refused(dialect, "  - set_comment: {table: nope, comment: x}\n", "operations[0].set_comment.table",
                "unknown table 'nope' in schema 'app'");
        PlannerTest.refused(dialect, "  - set_comment: {table: users, column: nope, comment: x}\n", "operations[0].set_comment.column",
                "unknown column 'nope' in table 'users'");
        assertThatThrownBy(() -> plan(dialect, "  - create_table: {name: t, columns: [{name: id, type: int}]}\n"
                + "  - set_comment: {table: t, comment: x}\n")).asInstanceOf(type(InvalidMigrationException.class))
                .satisfies(e -> assertThat(e.getMessage()).contains("operations[1].set_comment.table: table 't' is created by this"
                        + " same migration; give its comment in create_table"));
        assertThatThrownBy(() -> plan(dialect, "  - add_column: {table: users, column: {name: b, type: int}}\n"
                + "  - set_comment: {table: users, column: b, comment: x}\n")).asInstanceOf(type(InvalidMigrationException.class))
                .satisfies(e -> assertThat(e.getMessage()).contains("operations[1].set_comment.column: column 'b' is added by this"
                        + " same migration; give its comment in add_column"));
    }

    @Test
    void mariaDbRefusesTheCommentOfAGeneratedColumn() {
        assertThatThrownBy(() -> plan(new MariaDbDialect(), "  - set_comment: {table: users, column: gen, comment: x}\n"))
                .asInstanceOf(type(InvalidMigrationException.class)).satisfies(e -> assertThat(e.getMessage())
                        .contains("operations[0].set_comment.column: the comment of column 'gen' cannot be set on MariaDB: it is a"
                                + " generated column"));
        // PostgreSQL's COMMENT ON touches nothing else
        assertThat(PlannerTest.start(plan(new dev.bascule.dialect.postgresql.PostgresDialect(),
                "  - set_comment: {table: users, column: gen, comment: x}\n"))).first().isEqualTo("SCHEMA set comment of users.gen");
    }

    @ParameterizedTest
    @MethodSource("dialects")
    void createTableAndAddColumnSetTheirComments(Dialect dialect) {
        Plan plan = plan(dialect, """
                  - create_table:
                      name: staff
                      comment: "Who works here"
                      columns: [{name: id, type: int, nullable: false, comment: "The key"}, {name: role, type: text}]
                      primary_key: [id]
                  - add_column: {table: orders, column: {name: note, type: text, comment: "Free text"}}
                """);
        String create = statements(plan.start().get(0).action());
        String add = statements(plan.start().stream().filter(s -> s.action().description().equals("add column orders.note"))
                .findFirst().orElseThrow().action());
        if (mariaDb(dialect)) {
            assertThat(create).contains("`id` int NOT NULL COMMENT 'The key'").endsWith("ENGINE=InnoDB COMMENT = 'Who works here'");
            assertThat(add).contains("ADD COLUMN IF NOT EXISTS `note` text NULL INVISIBLE COMMENT 'Free text', ALGORITHM=INSTANT");
        } else {
            assertThat(create).contains("COMMENT ON TABLE \"app\".\"staff\" IS 'Who works here'")
                    .contains("COMMENT ON COLUMN \"app\".\"staff\".\"id\" IS 'The key'").doesNotContain("\"role\" IS");
            assertThat(add).contains("COMMENT ON COLUMN \"app\".\"orders\".\"note\" IS 'Free text'");
        }
    }

    @ParameterizedTest
    @MethodSource("dialects")
    void alterColumnsNewColumnKeepsTheOldComment(Dialect dialect) {
        Plan plan = plan(dialect, "  - alter_column: {table: users, column: email, nullable: false, up: \"coalesce(email, '')\"}\n");
        String add = statements(plan.start().get(0).action());
        assertThat(plan.start().get(0).action().description()).isEqualTo("add column users._bascule_new_email (new email)");
        if (mariaDb(dialect)) {
            assertThat(add).contains("COMMENT 'Where we write'");
            // complete shows the shadow by restating it: with its comment
            assertThat(plan.complete().stream().map(CommentPlannerTest::statementsOrEmpty))
                    .anyMatch(s -> s.contains("MODIFY COLUMN") && s.contains("QUOTE(COLUMN_COMMENT)"));
        } else {
            assertThat(add).contains("COMMENT ON COLUMN \"app\".\"users\".\"_bascule_new_email\" IS 'Where we write'");
        }
    }

    @ParameterizedTest
    @MethodSource("dialects")
    void alterColumnGivesTheNewColumnItsCommentOrNone(Dialect dialect) {
        Plan renamed = plan(dialect, "  - alter_column: {table: users, column: email, nullable: false, up: \"coalesce(email, '')\","
                + " comment: \"New words\"}\n");
        assertThat(statements(renamed.start().get(0).action())).contains("'New words'").doesNotContain("Where we write");
        Plan removed = plan(dialect, "  - alter_column: {table: users, column: email, nullable: false, up: \"coalesce(email, '')\","
                + " comment: null}\n");
        assertThat(statements(removed.start().get(0).action())).doesNotContain("COMMENT");
    }

    @ParameterizedTest
    @MethodSource("dialects")
    void alterColumnAfterSetCommentCarriesTheCommentSetCommentGave(Dialect dialect) {
        Plan plan = plan(dialect, "  - set_comment: {table: users, column: email, comment: \"Set first\"}\n"
                + "  - alter_column: {table: users, column: email, nullable: false, up: \"coalesce(email, '')\"}\n");
        assertThat(plan.start().get(1).action().description()).isEqualTo("add column users._bascule_new_email (new email)");
        assertThat(statements(plan.start().get(1).action())).contains("'Set first'").doesNotContain("Where we write");
        Plan removed = plan(dialect, "  - set_comment: {table: users, column: email, comment: null}\n"
                + "  - alter_column: {table: users, column: email, nullable: false, up: \"coalesce(email, '')\"}\n");
        assertThat(statements(removed.start().get(1).action())).doesNotContain("COMMENT");
    }

    @ParameterizedTest
    @MethodSource("dialects")
    void alterColumnWithOnlyACommentBuildsNoShadow(Dialect dialect) {
        Plan plan = plan(dialect, "  - alter_column: {table: users, column: name, comment: \"Full name\"}\n");
        assertThat(PlannerTest.start(plan)).containsExactly("SCHEMA set comment of users.name",
                "VIEWS create version schema app_0002_change");
        assertThat(PlannerTest.descriptions(plan.complete())).noneMatch(d -> d.contains("_bascule_new"));
        // the message for an alter_column with nothing at all is as it was
        PlannerTest.refused(dialect, "  - alter_column: {table: users, column: name}\n", "operations[0].alter_column.column",
                "nothing to alter: give at least one of type, nullable, default, check, unique, references or up");
    }

    private static String statementsOrEmpty(Step step) {
        return step instanceof Step.SqlStep s ? String.join("\n", s.statements()) : "";
    }
}
