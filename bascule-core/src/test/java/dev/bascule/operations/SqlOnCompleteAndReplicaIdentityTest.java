package dev.bascule.operations;

import dev.bascule.Bascule;
import dev.bascule.api.InvalidMigrationException;
import dev.bascule.testing.Scenario;
import dev.bascule.testing.Server;
import dev.bascule.testing.TestDb;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static dev.bascule.testing.Scenario.migration;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * sql with on_complete (pgroll's example 32_sql_on_complete) and set_replica_identity (pgroll's
 * 29_set_replica_identity) through start, complete and rollback on PostgreSQL, and MariaDB's
 * refusals, which change nothing.
 */
class SqlOnCompleteAndReplicaIdentityTest {
    static final String[] BASE = {
            "CREATE TABLE people (id bigserial PRIMARY KEY, name text NOT NULL, code text NOT NULL, nick text)",
            "CREATE UNIQUE INDEX people_code_key ON people (code)",
            "INSERT INTO people (name, code) SELECT 'p' || g, 'c' || g FROM generate_series(1, 50) g"
    };

    /** relreplident of people, and the name of its identity index if any. */
    private static String identity(TestDb db) {
        return db.value("SELECT c.relreplident::text || coalesce(':' || (SELECT ic.relname FROM pg_index i JOIN pg_class ic"
                + " ON ic.oid = i.indexrelid WHERE i.indrelid = c.oid AND i.indisreplident), '') FROM pg_class c"
                + " WHERE c.oid = '" + db.name() + ".people'::regclass");
    }

    private static String columnsOfPeople(TestDb db) {
        return db.value("SELECT string_agg(attname, ',' ORDER BY attnum) FROM pg_attribute WHERE attrelid = '"
                + db.name() + ".people'::regclass AND attnum > 0 AND NOT attisdropped");
    }

    // ------------------------------------------------------------------ sql on_complete

    @Test
    void onCompleteSqlRunsAtCompleteNotAtStart() throws Exception {
        try (TestDb db = TestDb.postgres()) {
            db.exec(BASE);
            Bascule b = db.bascule().load();
            b.start(migration("""
                    operations:
                      - sql:
                          up: ALTER TABLE people ADD COLUMN birth_date timestamp
                          on_complete: true
                    """));
            assertThat(columnsOfPeople(db)).isEqualTo("id,name,code,nick");
            b.complete(Set.of());
            assertThat(columnsOfPeople(db)).isEqualTo("id,name,code,nick,birth_date");
        }
    }

    @Test
    void onCompleteSqlSeesWhatTheOperationsBeforeItDidAtComplete() throws Exception {
        new Scenario(Server.POSTGRESQL, """
                operations:
                  - rename_column: {table: people, from: name, to: full_name}
                  - sql: {up: "UPDATE people SET full_name = upper(full_name) WHERE id <= 2", on_complete: true}
                  - drop_column: {table: people, column: nick}
                """, BASE).completes(v -> {
                    assertThat(v.newValue("SELECT full_name FROM people WHERE id = 1")).isEqualTo("p1");
                    v.neu("INSERT INTO people (full_name, code) VALUES ('new', 'n1')");
                }, v -> {
                    assertThat(v.newValue("SELECT string_agg(full_name, ',' ORDER BY id) FROM people WHERE id <= 3"))
                            .isEqualTo("P1,P2,p3");
                    assertThat(v.newValue("SELECT full_name FROM people WHERE code = 'n1'")).isEqualTo("new");
                });
    }

    @Test
    void rollbackBeforeCompleteRunsNothingOfIt() throws Exception {
        new Scenario(Server.POSTGRESQL, """
                operations:
                  - sql: {up: "DROP TABLE people", on_complete: true}
                """, BASE).rollsBack(v -> assertThat(v.oldValue("SELECT count(*) FROM people")).isEqualTo("50"));
    }

    // ------------------------------------------------------------------ set_replica_identity

    @Test
    void replicaIdentityIsSetAtStartAndKeptByComplete() throws Exception {
        try (TestDb db = TestDb.postgres()) {
            db.exec(BASE);
            Bascule b = db.bascule().load();
            assertThat(identity(db)).isEqualTo("d");
            b.start(migration("""
                    operations:
                      - set_replica_identity: {table: people, identity: {type: full}}
                    """));
            assertThat(identity(db)).isEqualTo("f");
            b.complete(Set.of());
            assertThat(identity(db)).isEqualTo("f");
        }
    }

    @Test
    void anIndexIdentityIsSetAndRollbackPutsBackThePreviousOne() throws Exception {
        try (TestDb db = TestDb.postgres()) {
            db.exec(BASE);
            db.exec("ALTER TABLE people REPLICA IDENTITY NOTHING");
            Bascule b = db.bascule().load();
            b.start(migration("""
                    operations:
                      - set_replica_identity:
                          table: people
                          identity: {type: index, index: people_code_key}
                    """));
            assertThat(identity(db)).isEqualTo("i:people_code_key");
            b.rollback();
            assertThat(identity(db)).isEqualTo("n");
        }
    }

    @Test
    void rollbackFromDefaultToAnIndexIdentity() throws Exception {
        try (TestDb db = TestDb.postgres()) {
            db.exec(BASE);
            db.exec("ALTER TABLE people REPLICA IDENTITY USING INDEX people_code_key");
            Bascule b = db.bascule().load();
            b.start(migration("""
                    operations:
                      - set_replica_identity: {table: people, identity: {type: default}}
                    """));
            assertThat(identity(db)).isEqualTo("d");
            b.rollback();
            assertThat(identity(db)).isEqualTo("i:people_code_key");
        }
    }

    @Test
    void anIndexThatCannotBeTheIdentityIsRefusedAtPlanAndNothingChanges() throws Exception {
        try (TestDb db = TestDb.postgres()) {
            db.exec(BASE);
            db.exec("CREATE UNIQUE INDEX people_nick_key ON people (nick)");
            Bascule b = db.bascule().load();
            List<String> before = db.snapshot();
            assertThatThrownBy(() -> b.start(migration("""
                    operations:
                      - set_replica_identity: {table: people, identity: {type: index, index: people_nick_key}}
                    """))).isInstanceOf(InvalidMigrationException.class).satisfies(e -> {
                        InvalidMigrationException ie = (InvalidMigrationException) e;
                        assertThat(ie.exitCode()).isEqualTo(2);
                        assertThat(ie.field()).isEqualTo("operations[0].set_replica_identity.identity.index");
                        assertThat(ie.line()).isEqualTo(2);
                        assertThat(ie.getMessage()).contains("index 'people_nick_key' is on column 'nick', which is nullable");
                    });
            assertThat(identity(db)).isEqualTo("d");
            assertThat(db.snapshot()).containsExactlyElementsOf(before);
            assertThat(db.versions()).isEmpty();
        }
    }

    // ------------------------------------------------------------------ MariaDB

    @Test
    void mariaDbRefusesBothAndChangesNothing() throws Exception {
        try (TestDb db = TestDb.mariadb()) {
            db.exec("CREATE TABLE people (id int PRIMARY KEY, name varchar(50) NOT NULL)");
            Bascule b = db.bascule().load();
            List<String> before = db.snapshot();
            assertThatThrownBy(() -> b.start(migration("""
                    operations:
                      - set_replica_identity: {table: people, identity: {type: full}}
                    """))).isInstanceOf(InvalidMigrationException.class)
                    .hasMessageContaining("operations[0].set_replica_identity: MariaDB has no replica identity (its"
                            + " row-based binary log carries whole rows): set_replica_identity is for PostgreSQL;"
                            + " remove the operation");
            assertThatThrownBy(() -> b.start(migration("""
                    operations:
                      - sql: {up: "ALTER TABLE people ADD COLUMN nick varchar(20)", on_complete: true}
                    """))).isInstanceOf(InvalidMigrationException.class)
                    .hasMessageContaining("operations[0].sql: MariaDB has no transactional DDL: a sql operation cut off"
                            + " midway could not be undone or rerun safely; refused");
            assertThat(db.snapshot()).containsExactlyElementsOf(before);
            assertThat(db.versions()).isEmpty();
        }
    }
}
