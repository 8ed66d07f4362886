package dev.bascule.convert;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bascule.Bascule;
import dev.bascule.Convert;
import dev.bascule.api.InputLimits;
import dev.bascule.api.Migration;
import dev.bascule.testing.Server;
import dev.bascule.testing.TestDb;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * MySQL/MariaDB-flavoured Flyway scripts (backticks, {@code ENGINE=InnoDB}, {@code AUTO_INCREMENT},
 * {@code MODIFY COLUMN}, {@code CHANGE COLUMN}, {@code ADD INDEX}, {@code RENAME TABLE}, {@code DROP FOREIGN KEY})
 * converted to migrations valid against the JSON Schema, then planned, started and completed on MariaDB,
 * where an {@code sql} operation would be refused: every statement of the folder becomes an operation.
 */
class MySqlFlywayConvertTest {
    static List<Path> folder() throws Exception {
        Path dir = Path.of(MySqlFlywayConvertTest.class.getResource("/convert/flyway-mysql").toURI());
        try (Stream<Path> files = Files.list(dir)) {
            return files.sorted(Comparator.comparingInt(p -> Integer.parseInt(p.getFileName().toString().replaceAll("^V(\\d+)__.*", "$1"))))
                    .toList();
        }
    }

    @Test
    void aFolderOfMariaDbFlywayMigrationsConvertsToFilesThatPlanStartAndCompleteOnMariaDb(@TempDir Path out) throws Exception {
        FlywayConvertTest.loadSchema();
        List<Path> sources = folder();
        assertThat(sources).hasSizeGreaterThanOrEqualTo(20);
        List<Migration> migrations = new ArrayList<>();
        Set<String> kinds = new TreeSet<>();
        for (Path f : sources) {
            Convert.Result r = Convert.file(f, InputLimits.DEFAULT);
            JsonNode tree = FlywayConvertTest.tree(r.yaml());
            assertThat(FlywayConvertTest.schema.validate(tree)).as(f.getFileName() + "\n" + r.yaml()).isEmpty();
            assertThat(r.sqlSteps()).as(f.getFileName() + "\n" + r.yaml()).isZero();
            tree.get("operations").elements().forEachRemaining(op -> kinds.add(op.fieldNames().next()));
            Path yaml = out.resolve(r.name() + ".yaml");
            Files.writeString(yaml, r.yaml());
            migrations.add(Bascule.read(yaml));
        }
        assertThat(kinds).containsExactlyInAnyOrder("create_table", "drop_table", "rename_table", "add_column", "drop_column",
                "rename_column", "alter_column", "create_index", "drop_index", "add_foreign_key", "drop_constraint");
        try (TestDb db = Server.MARIADB.get()) {
            Bascule b = db.bascule().quietTime(java.time.Duration.ZERO).load();
            b.init();
            for (int i = 0; i < migrations.size(); i++) {
                Migration m = migrations.get(i);
                String source = sources.get(i).getFileName() + "\n" + Files.readString(out.resolve(m.name() + ".yaml"));
                try {
                    assertThat(b.plan(m).start()).as(source).isNotEmpty();
                    b.start(m);
                    b.complete();
                } catch (RuntimeException e) {
                    throw new AssertionError(source, e);
                }
                if (m.name().equals("V2__create_orders")) {
                    db.exec("INSERT INTO customers (email, name) VALUES ('ada@example.com', 'Ada')",
                            "INSERT INTO orders (customer_id, total) VALUES (1, 12.50)");
                }
                if (m.name().equals("V4__add_phone")) {
                    // the application fills phones before V13 makes them required (MySQL's strict mode refuses NULLs too)
                    db.exec("UPDATE customers SET phone = '555-0100'");
                }
            }
            assertThat(db.column("SELECT table_name FROM information_schema.tables WHERE table_schema = '" + db.name()
                    + "' AND table_type = 'BASE TABLE'")).containsExactlyInAnyOrder("customers", "order_lines", "orders", "products");
            assertThat(db.column("SELECT column_name FROM information_schema.columns WHERE table_schema = '" + db.name()
                    + "' AND table_name = 'customers' ORDER BY ordinal_position"))
                    .containsExactly("id", "email", "full_name", "created_at", "loyalty_points");
            assertThat(db.value("SELECT column_type FROM information_schema.columns WHERE table_schema = '" + db.name()
                    + "' AND table_name = 'orders' AND column_name = 'total_amount'")).isEqualTo("decimal(14,2)");
            assertThat(db.value("SELECT column_type FROM information_schema.columns WHERE table_schema = '" + db.name()
                    + "' AND table_name = 'customers' AND column_name = 'full_name'")).isEqualTo("varchar(150)");
            assertThat(db.value("SELECT concat(full_name, ' ', loyalty_points) FROM customers")).isEqualTo("Ada 0");
            assertThat(db.value("SELECT total_amount FROM orders")).isEqualTo("12.50");
            assertThat(db.column("SELECT constraint_name FROM information_schema.referential_constraints WHERE constraint_schema = '"
                    + db.name() + "'")).containsExactlyInAnyOrder("order_items_order_fk", "orders_customer_fk");
        }
    }

    @Test
    void whatNoOperationFitsStaysSqlWithTheMySqlLintFindings() {
        Convert.Result r = Convert.text("V9__extras.sql", """
                ALTER TABLE `orders` MODIFY COLUMN `status` VARCHAR(40) NOT NULL COMMENT 'order state';
                ALTER TABLE `orders` ENGINE=MyISAM;
                ALTER TABLE `orders` ADD COLUMN `note` TEXT AFTER `status`;
                UPDATE `orders` SET `status` = 'open' WHERE `status` = 'new';
                """);
        assertThat(r.operations()).isZero();
        assertThat(r.sqlSteps()).isEqualTo(4);
        assertThat(r.yaml()).contains("# lint ").contains("ALGORITHM");
    }
}
