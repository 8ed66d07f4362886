package dev.bascule.lint;

import dev.bascule.testing.Server;
import dev.bascule.testing.TestDb;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What lint takes for a rewrite is one, on the server: a table rewrite gives the table a new file
 * (pg_relation_filenode changes), a change in place keeps it. Checked for the changes lint lets pass when it
 * knows the old type, and for the ones it reports.
 */
class PostgresRewriteFactsServerTest {
    private static String file(TestDb db) {
        return db.value("SELECT pg_relation_filenode('lint_rw')");
    }

    @Test
    void widenedVarcharsAndNumericsKeepTheFileNarrowedOnesAndAddedSequencesDoNot() {
        try (TestDb db = Server.POSTGRESQL.get()) {
            db.exec("CREATE TABLE lint_rw (id bigint PRIMARY KEY, name varchar(100), bio varchar(100), code varchar(100),"
                    + " price numeric(10, 2))", "INSERT INTO lint_rw VALUES (1, 'a', 'b', 'c', 1.5)");
            for (String inPlace : List.of("ALTER TABLE lint_rw ALTER COLUMN name TYPE varchar(200)",
                    "ALTER TABLE lint_rw ALTER COLUMN bio TYPE text",
                    "ALTER TABLE lint_rw ALTER COLUMN price TYPE numeric(12, 2)",
                    "ALTER TABLE lint_rw ADD COLUMN n int DEFAULT 0",
                    "ALTER TABLE lint_rw ADD COLUMN ids bigint[] DEFAULT cast(array[] as bigint[])")) {
                String before = file(db);
                db.exec(inPlace);
                assertThat(file(db)).as(inPlace).isEqualTo(before);
                assertThat(ColumnTypeFacts.noRewrite("varchar(100)", "varchar(200)")).isTrue();
            }
            assertThat(ColumnTypeFacts.noRewrite("varchar(100)", "text")).isTrue();
            assertThat(ColumnTypeFacts.noRewrite("numeric(10,2)", "numeric(12, 2)")).isTrue();
            for (String rewrite : List.of("ALTER TABLE lint_rw ALTER COLUMN code TYPE varchar(50)",
                    "ALTER TABLE lint_rw ADD COLUMN s bigserial",
                    "ALTER TABLE lint_rw ADD COLUMN g bigint GENERATED ALWAYS AS (id * 2) STORED",
                    "ALTER TABLE lint_rw ADD COLUMN i bigint GENERATED ALWAYS AS IDENTITY")) {
                String before = file(db);
                db.exec(rewrite);
                assertThat(file(db)).as(rewrite).isNotEqualTo(before);
            }
            assertThat(ColumnTypeFacts.noRewrite("varchar(100)", "varchar(50)")).isFalse();
            assertThat(ColumnTypeFacts.noRewrite("int", "bigint")).isFalse();
        }
    }
}
