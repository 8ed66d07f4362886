package dev.bascule.operations;

import dev.bascule.Bascule;
import dev.bascule.BasculeInternals;
import dev.bascule.model.MigrationReader;
import dev.bascule.plan.Plan;
import dev.bascule.plan.PlannedStep;
import dev.bascule.step.Step;
import dev.bascule.plan.TableEffects;
import dev.bascule.testing.Servers;
import dev.bascule.testing.TestDb;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The effects the operations declare with their steps are the ones plan read from the steps'
 * statements before they did, and still reads for plans stored without them: same kind, table and
 * reason for every step of every phase, on both servers, whose rules differ.
 */
class DeclaredEffectsTest {
    static final String[] MORE = {
            "CREATE TABLE invoices (id int PRIMARY KEY, user_id int, total int, code varchar(10),"
                    + " CONSTRAINT invoices_user_fk FOREIGN KEY (user_id) REFERENCES users (id),"
                    + " CONSTRAINT invoices_total_check CHECK (total >= 0), CONSTRAINT invoices_code_key UNIQUE (code))",
            "CREATE TABLE accounts (id int PRIMARY KEY, email varchar(100) NOT NULL)",
            "CREATE TABLE profiles (id int PRIMARY KEY, bio varchar(100), FOREIGN KEY (id) REFERENCES accounts (id))",
            "CREATE TABLE orders (id int PRIMARY KEY, user_id int, note varchar(20))"
    };

    static final List<String> BOTH = List.of(OperationsOnEveryServerTest.ADD_COLUMN, OperationsOnEveryServerTest.DROP_COLUMN,
            OperationsOnEveryServerTest.RENAME_COLUMN, OperationsOnEveryServerTest.CREATE_INDEX,
            OperationsOnEveryServerTest.WIDEN_NAME, OperationsOnEveryServerTest.LEGACY_NOT_NULL,
            OperationsOnEveryServerTest.DROP_INDEX, OperationsOnEveryServerTest.CREATE_TABLE.replace("name: orders", "name: shipments"),
            OperationsOnEveryServerTest.DROP_TABLE, OperationsOnEveryServerTest.RENAME_TABLE,
            OperationsOnEveryServerTest.ADD_FOREIGN_KEY, OperationsOnEveryServerTest.ADD_COLUMN_REFERENCES,
            OperationsOnEveryServerTest.DROP_CONSTRAINTS, OperationsOnEveryServerTest.COMPOSED, OperationsOnEveryServerTest.SPLIT,
            """
              - merge_tables: {from: [accounts, profiles], into: {name: members, columns: [id, email, bio]}}
            """,
            """
              - add_column: {table: users, column: {name: active, type: boolean, nullable: false, default: "1"}}
              - add_column: {table: orders, column: {name: qty, type: int, nullable: false}, up: "1"}
              - alter_column: {table: users, column: email, nullable: true}
              - rename_column: {table: orders, from: note, to: remark}
            """,
            """
              - drop_column: {table: orders, column: note}
            """,
            """
              - rename_constraint: {table: invoices, from: invoices_code_key, to: invoices_code_uq}
            """);

    static final List<String> POSTGRES = List.of("""
              - alter_column: {table: users, column: id, type: bigint}
              - add_column: {table: users, column: {name: nick, type: varchar(20), unique: true}, up: "name"}
              - add_column: {table: orders, column: {name: size, type: int, nullable: false, check: "size >= 0"}, up: "1"}
              - add_check: {table: users, name: users_legacy_positive, expression: "legacy > 0"}
              - add_column: {table: users, column: {name: token, type: uuid, default: "gen_random_uuid()"}}
              - alter_column: {table: orders, column: user_id, type: bigint, nullable: false, up: "coalesce(user_id, 0)"}
            """, """
              - alter_column: {table: users, column: legacy, nullable: false, up: "coalesce(legacy, 0)"}
              - create_index: {name: orders_note_idx, table: orders, columns: [note], where: "note IS NOT NULL"}
              - sql: {up: "UPDATE users SET legacy = 1 WHERE legacy IS NULL; ALTER TABLE users ALTER COLUMN legacy SET NOT NULL", down: "SELECT 1"}
            """, """
              - set_replica_identity: {table: users, identity: {type: full}}
              - sql: {up: "ALTER TABLE orders ADD COLUMN shipped boolean", on_complete: true}
            """, """
              - rename_constraint: {table: invoices, from: invoices_total_check, to: invoices_total_positive}
              - create_constraint: {table: orders, name: orders_user_note_uq, type: unique, columns: [user_id, note]}
            """, """
              - drop_constraint: {table: invoices, name: invoices_total_check, down: "greatest(total, 0)"}
              - create_constraint: {table: users, name: users_legacy_small, type: check, columns: [legacy], check: "legacy < 1000"}
            """);

    @ParameterizedTest
    @MethodSource(Servers.MATRIX)
    void everyStepDeclaresTheEffectItsStatementsHave(Supplier<TestDb> server) throws Exception {
        try (TestDb db = server.get()) {
            db.exec(OperationsOnEveryServerTest.BASE);
            db.exec(MORE);
            Bascule bascule = db.bascule().load();
            List<String> migrations = new ArrayList<>(BOTH);
            if (db.dialect().equals("postgresql")) {
                migrations.addAll(POSTGRES);
            }
            int declared = 0;
            for (String operations : migrations) {
                Plan plan = BasculeInternals.plan(bascule, MigrationReader.read("0001_m.yaml",
                        ("operations:\n" + operations).getBytes(StandardCharsets.UTF_8)));
                Plan stored = undeclared(plan);
                TableEffects fromDeclarations = TableEffects.of(plan, BasculeInternals.dialect(bascule));
                TableEffects fromStatements = TableEffects.of(stored, BasculeInternals.dialect(bascule));
                List<Step> steps = ordered(plan);
                List<Step> storedSteps = ordered(stored);
                for (int i = 0; i < steps.size(); i++) {
                    if (steps.get(i).effect() != null) {
                        declared++;
                    }
                    if (steps.get(i).description().startsWith("sql ")) {
                        // only the user knows what a sql operation's statements do: they are read
                        assertThat(steps.get(i).effect()).as(steps.get(i).description()).isNull();
                    }
                    assertThat(fromDeclarations.of(steps.get(i)))
                            .as("%s: %s", operations.strip(), steps.get(i).description())
                            .isEqualTo(fromStatements.of(storedSteps.get(i)));
                }
                assertThat(fromDeclarations.tables()).as(operations).containsExactlyElementsOf(fromStatements.tables());
            }
            assertThat(declared).isGreaterThan(30);
        }
    }

    /** Every step of the plan in the order the phases run them, as TableEffects walks them. */
    private static List<Step> ordered(Plan plan) {
        List<Step> steps = new ArrayList<>();
        plan.start().forEach(p -> steps.add(p.action()));
        steps.addAll(plan.validations());
        steps.addAll(plan.complete());
        steps.addAll(plan.rollback());
        steps.addAll(plan.deprecatingComplete());
        return steps;
    }

    /** The plan as an earlier release stored it: no step declares its effect. */
    private static Plan undeclared(Plan plan) {
        return new Plan(plan.migration(), plan.schema(), plan.versionSchema(), plan.previousVersionSchema(),
                plan.start().stream().map(p -> new PlannedStep(p.stage(), undeclared(p.action()),
                        p.undo().stream().map(DeclaredEffectsTest::undeclared).toList(), p.undoWhenUnfinished())).toList(),
                undeclared(plan.validations()), undeclared(plan.complete()), plan.droppedTables(), plan.notes(),
                plan.verifications(), plan.droppedColumns(), plan.droppedIndexes(), plan.retiredNames(),
                undeclared(plan.deprecatingComplete()), plan.contractMode());
    }

    private static List<Step> undeclared(List<Step> steps) {
        return steps.stream().map(DeclaredEffectsTest::undeclared).toList();
    }

    private static Step undeclared(Step step) {
        if (step instanceof Step.SqlStep s) {
            return new Step.SqlStep(s.description(), s.table(), s.lock(), s.statements(), s.skipIf(), s.transactional(),
                    s.concurrent());
        }
        if (step instanceof Step.IndexBuildStep i) {
            return new Step.IndexBuildStep(i.description(), i.table(), i.lock(), i.schema(), i.index(), i.create());
        }
        return step;
    }
}
