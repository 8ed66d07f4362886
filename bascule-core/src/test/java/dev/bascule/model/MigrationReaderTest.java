package dev.bascule.model;

import dev.bascule.api.ColumnDef;
import dev.bascule.api.ForeignKeyRef;
import dev.bascule.api.Migration;
import dev.bascule.api.MigrationSource;
import dev.bascule.api.Operation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class MigrationReaderTest {

    /** One of each operation of the SPEC, every optional field set somewhere. */
    /** The example of the SPEC, as written there. */
    static final String SPEC_EXAMPLE_YAML = """
                name: 0002_users_email_required
                operations:
                  - add_column:
                      table: users
                      column: {name: email_verified, type: boolean, nullable: false, default: "false"}
                  - alter_column:
                      table: users
                      column: email
                      type: varchar(320)          # optional: change type
                      nullable: false             # optional: add NOT NULL
                      up: "coalesce(lower(email), 'unknown')"   # old -> new value, SQL over the row's old columns
                      down: "email"                             # new -> old, for rows written by new code
                  - rename_column: {table: users, from: name, to: full_name}
                  - create_index: {name: users_email_idx, table: users, columns: [email], unique: true}
                  - drop_column: {table: users, column: legacy_flag}
                """;

    static final String ALL_OPERATIONS_YAML = """
            name: 0007_everything
            operations:
              - create_table:
                  name: users
                  columns:
                    - {name: id, type: bigint, nullable: false}
                    - name: email
                      type: varchar(320)
                      nullable: true
                      default: "'none'"
                      unique: true
                      check: "email <> ''"
                    - {name: team_id, type: bigint, references: {table: teams, columns: [id], on_delete: set_null}}
                    - {name: score, type: "numeric(10, 2)", default: 0}
                  primary_key: [id]
                  constraints:
                    - {name: users_score_positive, check: "score >= 0"}
                    - {name: users_email_team_key, unique: [email, team_id]}
              - drop_table: {name: legacy}
              - rename_table: {from: people, to: persons}
              - add_column:
                  table: users
                  column: {name: email_verified, type: boolean, nullable: false, default: false}
                  up: "email is not null"
              - drop_column: {table: users, column: legacy_flag, down: "false"}
              - rename_column: {table: users, from: name, to: full_name}
              - alter_column:
                  table: users
                  column: email
                  type: varchar(320)
                  nullable: false
                  default: "'unknown'"
                  check: "length(email) > 3"
                  unique: true
                  references: {table: emails, columns: [address], on_delete: cascade}
                  up: "coalesce(lower(email), 'unknown')"
                  down: email
              - create_index: {name: users_email_idx, table: users, columns: [email, id], unique: true, where: "email is not null", method: GIN}
              - drop_index: {name: users_old_idx}
              - add_foreign_key:
                  table: orders
                  name: orders_user_fk
                  columns: [user_id]
                  references: {table: users, columns: [id]}
                  on_delete: "no action"
              - add_check: {table: orders, name: orders_total_positive, expression: "total > 0"}
              - drop_constraint: {table: orders, name: orders_old_check}
              - split_table:
                  from: users
                  into:
                    - {name: accounts, columns: [id, email], primary_key: [id]}
                    - {name: profiles, columns: [id, full_name]}
              - merge_tables:
                  from: [accounts, profiles]
                  into: {name: users2, columns: [id, email, full_name], primary_key: [id]}
              - sql: {up: "create extension if not exists pgcrypto", down: "drop extension pgcrypto", online: true}
              - set_replica_identity: {table: orders, identity: {type: index, index: orders_total_key}}
              - set_comment: {table: users, column: email, comment: "Where we write"}
              - rename_constraint: {table: orders, from: orders_total_positive, to: orders_total_check}
              - create_constraint:
                  table: orders
                  name: orders_user_total_key
                  type: unique
                  columns: [user_id, total]
                  up: {total: "coalesce(total, 0)"}
                  down: {total: total}
              - rebuild_table: {table: orders, engine: innodb, charset: utf8mb4, collation: utf8mb4_bin, row_format: dynamic, primary_key: [user_id, total], previous_key_name: orders_id_key}
            """;

    static final String ALL_OPERATIONS_JSON = """
            {
              "name": "0007_everything",
              "operations": [
                {"create_table": {
                  "name": "users",
                  "columns": [
                    {"name": "id", "type": "bigint", "nullable": false},
                    {"name": "email", "type": "varchar(320)", "nullable": true, "default": "'none'", "unique": true,
                     "check": "email <> ''"},
                    {"name": "team_id", "type": "bigint", "references": {"table": "teams", "columns": ["id"], "on_delete": "set_null"}},
                    {"name": "score", "type": "numeric(10, 2)", "default": 0}
                  ],
                  "primary_key": ["id"],
                  "constraints": [
                    {"name": "users_score_positive", "check": "score >= 0"},
                    {"name": "users_email_team_key", "unique": ["email", "team_id"]}
                  ]}},
                {"drop_table": {"name": "legacy"}},
                {"rename_table": {"from": "people", "to": "persons"}},
                {"add_column": {"table": "users",
                  "column": {"name": "email_verified", "type": "boolean", "nullable": false, "default": false},
                  "up": "email is not null"}},
                {"drop_column": {"table": "users", "column": "legacy_flag", "down": "false"}},
                {"rename_column": {"table": "users", "from": "name", "to": "full_name"}},
                {"alter_column": {"table": "users", "column": "email", "type": "varchar(320)", "nullable": false,
                  "default": "'unknown'", "check": "length(email) > 3", "unique": true,
                  "references": {"table": "emails", "columns": ["address"], "on_delete": "cascade"},
                  "up": "coalesce(lower(email), 'unknown')", "down": "email"}},
                {"create_index": {"name": "users_email_idx", "table": "users", "columns": ["email", "id"], "unique": true,
                  "where": "email is not null", "method": "GIN"}},
                {"drop_index": {"name": "users_old_idx"}},
                {"add_foreign_key": {"table": "orders", "name": "orders_user_fk", "columns": ["user_id"],
                  "references": {"table": "users", "columns": ["id"]}, "on_delete": "no action"}},
                {"add_check": {"table": "orders", "name": "orders_total_positive", "expression": "total > 0"}},
                {"drop_constraint": {"table": "orders", "name": "orders_old_check"}},
                {"split_table": {"from": "users", "into": [
                  {"name": "accounts", "columns": ["id", "email"], "primary_key": ["id"]},
                  {"name": "profiles", "columns": ["id", "full_name"]}]}},
                {"merge_tables": {"from": ["accounts", "profiles"],
                  "into": {"name": "users2", "columns": ["id", "email", "full_name"], "primary_key": ["id"]}}},
                {"sql": {"up": "create extension if not exists pgcrypto", "down": "drop extension pgcrypto", "online": true}},
                {"set_replica_identity": {"table": "orders", "identity": {"type": "index", "index": "orders_total_key"}}},
                {"set_comment": {"table": "users", "column": "email", "comment": "Where we write"}},
                {"rename_constraint": {"table": "orders", "from": "orders_total_positive", "to": "orders_total_check"}},
                {"create_constraint": {"table": "orders", "name": "orders_user_total_key", "type": "unique",
                  "columns": ["user_id", "total"], "up": {"total": "coalesce(total, 0)"}, "down": {"total": "total"}}},
                {"rebuild_table": {"table": "orders", "engine": "InnoDB", "charset": "utf8mb4", "collation": "utf8mb4_bin",
                  "row_format": "DYNAMIC", "primary_key": ["user_id", "total"], "previous_key_name": "orders_id_key"}}
              ]
            }
            """;

    static final List<Operation> ALL_OPERATIONS = List.of(
            new Operation.CreateTable("users", List.of(
                    new ColumnDef("id", "bigint", false, Optional.empty(), false, Optional.empty(), Optional.empty()),
                    new ColumnDef("email", "varchar(320)", true, Optional.of("'none'"), true, Optional.empty(),
                            Optional.of("email <> ''")),
                    new ColumnDef("team_id", "bigint", true, Optional.empty(), false,
                            Optional.of(new ForeignKeyRef("teams", List.of("id"), Optional.of("SET NULL"))), Optional.empty()),
                    new ColumnDef("score", "numeric(10, 2)", true, Optional.of("0"), false, Optional.empty(), Optional.empty())),
                    List.of("id"),
                    List.of(new Operation.TableConstraint("users_score_positive", Optional.of("score >= 0"), List.of()),
                            new Operation.TableConstraint("users_email_team_key", Optional.empty(), List.of("email", "team_id")))),
            new Operation.DropTable("legacy"),
            new Operation.RenameTable("people", "persons"),
            new Operation.AddColumn("users",
                    new ColumnDef("email_verified", "boolean", false, Optional.of("false"), false, Optional.empty(), Optional.empty()),
                    Optional.of("email is not null")),
            new Operation.DropColumn("users", "legacy_flag", Optional.of("false")),
            new Operation.RenameColumn("users", "name", "full_name"),
            new Operation.AlterColumn("users", "email", Optional.of("varchar(320)"), Optional.of(false),
                    Optional.of("'unknown'"), Optional.of("length(email) > 3"), Optional.of(true),
                    Optional.of(new ForeignKeyRef("emails", List.of("address"), Optional.of("CASCADE"))),
                    Optional.of("coalesce(lower(email), 'unknown')"), Optional.of("email")),
            new Operation.CreateIndex("users_email_idx", "users", List.of("email", "id"), true,
                    Optional.of("email is not null"), Optional.of("gin")),
            new Operation.DropIndex("users_old_idx"),
            new Operation.AddForeignKey("orders", Optional.of("orders_user_fk"), List.of("user_id"),
                    new ForeignKeyRef("users", List.of("id"), Optional.empty()), Optional.of("NO ACTION")),
            new Operation.AddCheck("orders", "orders_total_positive", "total > 0"),
            new Operation.DropConstraint("orders", "orders_old_check"),
            new Operation.SplitTable("users", List.of(
                    new Operation.TablePart("accounts", List.of("id", "email"), List.of("id")),
                    new Operation.TablePart("profiles", List.of("id", "full_name"), List.of()))),
            new Operation.MergeTables(List.of("accounts", "profiles"),
                    new Operation.TablePart("users2", List.of("id", "email", "full_name"), List.of("id"))),
            new Operation.Sql("create extension if not exists pgcrypto", Optional.of("drop extension pgcrypto"), true),
            new Operation.SetReplicaIdentity("orders", Operation.ReplicaIdentity.INDEX, Optional.of("orders_total_key")),
            new Operation.SetComment("users", Optional.of("email"), Optional.of("Where we write")),
            new Operation.RenameConstraint("orders", "orders_total_positive", "orders_total_check"),
            new Operation.CreateConstraint("orders", "orders_user_total_key", Operation.ConstraintType.UNIQUE,
                    List.of("user_id", "total"), Optional.empty(), java.util.Map.of("total", "coalesce(total, 0)"),
                    java.util.Map.of("total", "total")),
            new Operation.RebuildTable("orders", Optional.of("InnoDB"), Optional.of("utf8mb4"), Optional.of("utf8mb4_bin"),
                    Optional.of("DYNAMIC"), List.of("user_id", "total"), Optional.of("orders_id_key")));

    private static Migration read(String fileName, String content) {
        return MigrationReader.read(fileName, content.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void theSampleCoversEveryOperation() {
        assertThat(ALL_OPERATIONS).extracting(Operation::kind)
                .containsExactlyElementsOf(MigrationReader.operationNames());
    }

    @Test
    void everyOperationParsesFromYaml() {
        Migration m = read("0007_everything.yaml", ALL_OPERATIONS_YAML);
        assertThat(m.name()).isEqualTo("0007_everything");
        assertThat(m.operations()).containsExactlyElementsOf(ALL_OPERATIONS);
    }

    @Test
    void everyOperationParsesFromJson() {
        Migration m = read("0007_everything.json", ALL_OPERATIONS_JSON);
        assertThat(m.name()).isEqualTo("0007_everything");
        assertThat(m.operations()).containsExactlyElementsOf(ALL_OPERATIONS);
    }

    @Test
    void ymlExtensionAndUpperCaseExtensionAreYaml() {
        assertThat(read("0007_everything.yml", ALL_OPERATIONS_YAML).operations()).isEqualTo(ALL_OPERATIONS);
        assertThat(read("0007_everything.YAML", ALL_OPERATIONS_YAML).operations()).isEqualTo(ALL_OPERATIONS);
        assertThat(read("0007_everything.Json", ALL_OPERATIONS_JSON).operations()).isEqualTo(ALL_OPERATIONS);
    }

    @Test
    void theSpecExampleParses() {
        Migration m = read("0002_example.yaml", SPEC_EXAMPLE_YAML);
        assertThat(m.name()).isEqualTo("0002_users_email_required");
        assertThat(m.operations()).containsExactly(
                new Operation.AddColumn("users",
                        new ColumnDef("email_verified", "boolean", false, Optional.of("false"), false, Optional.empty(), Optional.empty()),
                        Optional.empty()),
                new Operation.AlterColumn("users", "email", Optional.of("varchar(320)"), Optional.of(false), Optional.empty(),
                        Optional.empty(), Optional.empty(), Optional.empty(),
                        Optional.of("coalesce(lower(email), 'unknown')"), Optional.of("email")),
                new Operation.RenameColumn("users", "name", "full_name"),
                new Operation.CreateIndex("users_email_idx", "users", List.of("email"), true, Optional.empty(), Optional.empty()),
                new Operation.DropColumn("users", "legacy_flag", Optional.empty()));
    }

    @Test
    void optionalFieldsTakeTheirDefaults() {
        Migration m = read("0001_minimal.yaml", """
                operations:
                  - create_table: {name: t, columns: [{name: id, type: bigint}]}
                  - create_index: {name: t_idx, table: t, columns: [id]}
                  - add_foreign_key: {table: t, columns: [id], references: {table: u}}
                  - sql: {up: "select 1"}
                  - alter_column: {table: t, column: id}
                """);
        assertThat(m.operations()).containsExactly(
                new Operation.CreateTable("t",
                        List.of(new ColumnDef("id", "bigint", true, Optional.empty(), false, Optional.empty(), Optional.empty())),
                        List.of(), List.of()),
                new Operation.CreateIndex("t_idx", "t", List.of("id"), false, Optional.empty(), Optional.empty()),
                new Operation.AddForeignKey("t", Optional.empty(), List.of("id"), new ForeignKeyRef("u", List.of(), Optional.empty()),
                        Optional.empty()),
                new Operation.Sql("select 1", Optional.empty(), false),
                new Operation.AlterColumn("t", "id", Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                        Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty()));
    }

    @Test
    void nullMeansAbsentForOptionalFields() {
        Migration m = read("0001_nulls.yaml", """
                name: ~
                operations:
                  - add_column:
                      table: t
                      column: {name: c, type: text, nullable: null, default: ~, references: null}
                      up:
                  - create_table: {name: u, columns: [{name: id, type: int}], primary_key: null, constraints: null}
                """);
        assertThat(m.name()).isEqualTo("0001_nulls");
        assertThat(m.operations()).containsExactly(
                new Operation.AddColumn("t",
                        new ColumnDef("c", "text", true, Optional.empty(), false, Optional.empty(), Optional.empty()),
                        Optional.empty()),
                new Operation.CreateTable("u",
                        List.of(new ColumnDef("id", "int", true, Optional.empty(), false, Optional.empty(), Optional.empty())),
                        List.of(), List.of()));
    }

    @Test
    void anExplicitNullDefaultOnAlterColumnDropsTheDefaultWhereAnAbsentOneKeepsIt() {
        Migration m = read("0001_defaults.yaml", """
                operations:
                  - alter_column: {table: t, column: a, default: null}
                  - alter_column: {table: t, column: b, default: ~}
                  - alter_column: {table: t, column: c, type: bigint}
                  - alter_column: {table: t, column: d, default: "0"}
                """);
        List<Operation.AlterColumn> ops = m.operations().stream().map(Operation.AlterColumn.class::cast).toList();
        assertThat(ops).extracting(Operation.AlterColumn::dropDefault).containsExactly(true, true, false, false);
        assertThat(ops).extracting(Operation.AlterColumn::defaultValue)
                .containsExactly(Optional.empty(), Optional.empty(), Optional.empty(), Optional.of("0"));
        assertThat(ops).extracting(Operation.AlterColumn::defaultChanges).containsExactly(true, true, false, true);
        Migration json = read("0001_defaults.json", """
                {"operations": [{"alter_column": {"table": "t", "column": "a", "default": null}},
                                {"alter_column": {"table": "t", "column": "b", "nullable": false}}]}
                """);
        assertThat(json.operations()).extracting(op -> ((Operation.AlterColumn) op).dropDefault()).containsExactly(true, false);
    }

    @Test
    void expressionsAcceptStringsNumbersAndBooleans() {
        Migration m = read("0001_exprs.yaml", """
                operations:
                  - add_column: {table: t, column: {name: a, type: int, default: 42, check: true}, up: 7}
                  - add_column: {table: t, column: {name: b, type: numeric, default: 2.5}, up: false}
                  - add_check: {table: t, name: c, expression: true}
                  - sql: {up: "select 1", down: 0}
                """);
        assertThat(m.operations()).containsExactly(
                new Operation.AddColumn("t",
                        new ColumnDef("a", "int", true, Optional.of("42"), false, Optional.empty(), Optional.of("true")),
                        Optional.of("7")),
                new Operation.AddColumn("t",
                        new ColumnDef("b", "numeric", true, Optional.of("2.5"), false, Optional.empty(), Optional.empty()),
                        Optional.of("false")),
                new Operation.AddCheck("t", "c", "true"),
                new Operation.Sql("select 1", Optional.of("0"), false));
    }

    @Test
    void unquotedNumericExpressionsKeepTheirSpelling() {
        Migration m = read("0001_exprs.yaml", """
                operations:
                  - add_column: {table: t, column: {name: a, type: text, default: 010}}
                  - add_column: {table: t, column: {name: b, type: numeric, default: 1.50}, up: 0x1F}
                """);
        assertThat(((Operation.AddColumn) m.operations().get(0)).column().defaultValue()).contains("010");
        assertThat(((Operation.AddColumn) m.operations().get(1)).column().defaultValue()).contains("1.50");
        assertThat(((Operation.AddColumn) m.operations().get(1)).up()).contains("0x1F");
    }

    @Test
    void typesAreTrimmedAndMayBeMultiWordOrArrays() {
        Migration m = read("0001_types.yaml", """
                operations:
                  - create_table:
                      name: t
                      columns:
                        - {name: a, type: "  timestamp with time zone  "}
                        - {name: b, type: "text[]"}
                        - {name: c, type: "numeric(10,2)"}
                        - {name: d, type: "pg_catalog.int4"}
                        - {name: e, type: "character varying(20)[]"}
                """);
        var ct = (Operation.CreateTable) m.operations().get(0);
        assertThat(ct.columns()).extracting(ColumnDef::type).containsExactly(
                "timestamp with time zone", "text[]", "numeric(10,2)", "pg_catalog.int4", "character varying(20)[]");
    }

    @Test
    void onDeleteAndMethodAreNormalized() {
        Migration m = read("0001_norm.yaml", """
                operations:
                  - add_foreign_key: {table: a, columns: [b_id], references: {table: b}, on_delete: " Set_Default "}
                  - add_foreign_key: {table: a, columns: [c_id], references: {table: c}, on_delete: "restrict"}
                  - create_index: {name: i, table: a, columns: [b_id], method: BRIN}
                """);
        assertThat(((Operation.AddForeignKey) m.operations().get(0)).onDelete()).contains("SET DEFAULT");
        assertThat(((Operation.AddForeignKey) m.operations().get(1)).onDelete()).contains("RESTRICT");
        assertThat(((Operation.CreateIndex) m.operations().get(2)).method()).contains("brin");
    }

    @Test
    void identifiersUpTo63CharactersAreAccepted() {
        String name63 = "t" + "x".repeat(62);
        Migration m = read("0001_long.yaml", "operations:\n  - drop_table: {name: " + name63 + "}\n");
        assertThat(m.operations()).containsExactly(new Operation.DropTable(name63));
    }

    @Test
    void nameDefaultsToTheFileNameWithoutExtension(@TempDir Path dir) throws IOException {
        String body = "operations:\n  - drop_table: {name: legacy}\n";
        Path yaml = Files.writeString(dir.resolve("0003_drop_legacy.yaml"), body);
        Path yml = Files.writeString(dir.resolve("0004_drop_again.yml"), body);
        Path json = Files.writeString(dir.resolve("0005_drop_json.json"), "{\"operations\": [{\"drop_table\": {\"name\": \"legacy\"}}]}");
        assertThat(MigrationReader.read(yaml).name()).isEqualTo("0003_drop_legacy");
        assertThat(MigrationReader.read(yml).name()).isEqualTo("0004_drop_again");
        assertThat(MigrationReader.read(json).name()).isEqualTo("0005_drop_json");
        assertThat(MigrationReader.read("some/dir/0006_x.yaml", body.getBytes(StandardCharsets.UTF_8)).name())
                .isEqualTo("0006_x");
    }

    @Test
    void anExplicitNameWinsOverTheFileName(@TempDir Path dir) throws IOException {
        Path f = Files.writeString(dir.resolve("0003_file.yaml"), "name: custom_name\noperations:\n  - drop_table: {name: t}\n");
        assertThat(MigrationReader.read(f).name()).isEqualTo("custom_name");
    }

    @Test
    void checksumIsTheSha256OfTheContent(@TempDir Path dir) throws IOException {
        Path f = Files.writeString(dir.resolve("0001_a.yaml"), "operations:\n  - drop_table: {name: t}\n");
        String first = MigrationReader.read(f).checksum();
        assertThat(first).matches("[0-9a-f]{64}");
        // SHA-256 of the exact bytes (as computed by sha256sum)
        assertThat(first).isEqualTo("1cfff71f4b4266f01d59b2bf35107700dd322c11ad65b82f6b8c0a07f33e90e4");
        assertThat(MigrationReader.read(f).checksum()).as("stable").isEqualTo(first);

        Files.writeString(f, "operations:\n  - drop_table: {name: u}\n");
        String changed = MigrationReader.read(f).checksum();
        assertThat(changed).matches("[0-9a-f]{64}").isNotEqualTo(first);

        // even a change that parses to the same operations changes the checksum
        Files.writeString(f, "operations:\n  - drop_table: {name: u}   # comment\n");
        assertThat(MigrationReader.read(f).checksum()).isNotEqualTo(changed);
    }

    @Test
    void sourceRecordsPositionsOfFields() {
        Migration m = read("0001_pos.yaml", """
                operations:
                  - add_column:
                      table: users
                      column: {name: email, type: text}
                """);
        MigrationSource src = m.source();
        assertThat(src.file()).isEqualTo("0001_pos.yaml");
        // a field stands where its key stands, not where its value does
        assertThat(src.locate(MigrationSource.fieldPath(0, "add_column", "table"))).isEqualTo(new MigrationSource.Position(3, 7));
        assertThat(src.locate(MigrationSource.fieldPath(0, "add_column", "column/name")))
                .isEqualTo(new MigrationSource.Position(4, 16));
        assertThat(src.locate(MigrationSource.fieldPath(0, "add_column", "column")))
                .isEqualTo(new MigrationSource.Position(4, 7));
        assertThat(src.locate(MigrationSource.fieldPath(0, "add_column", "")))
                .isEqualTo(new MigrationSource.Position(2, 5));
        // a path with no position of its own falls back to its closest enclosing field
        assertThat(src.locate(MigrationSource.fieldPath(0, "add_column", "column/unique")))
                .isEqualTo(src.locate(MigrationSource.fieldPath(0, "add_column", "column")));
    }
}
