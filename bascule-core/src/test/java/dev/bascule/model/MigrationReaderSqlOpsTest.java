package dev.bascule.model;

import dev.bascule.api.InvalidMigrationException;
import dev.bascule.api.Migration;
import dev.bascule.api.Operation;
import dev.bascule.api.Operation.ReplicaIdentity;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** sql's {@code on_complete} and set_replica_identity, as the reader takes them and refuses them. */
class MigrationReaderSqlOpsTest {
    private static final String FILE = "0009_ops.yaml";

    private static Migration read(String operations) {
        return MigrationReader.read(FILE, ("operations:\n" + operations).getBytes(StandardCharsets.UTF_8));
    }

    /** Refused at {@code line}:{@code column}, field {@code field}, exit 2, with {@code message}. */
    private static void refused(String operations, int line, int column, String field, String message) {
        Throwable t = catchThrowable(() -> read(operations));
        assertThat(t).isInstanceOf(InvalidMigrationException.class);
        InvalidMigrationException e = (InvalidMigrationException) t;
        assertThat(e.exitCode()).isEqualTo(2);
        assertThat(e.file()).isEqualTo(FILE);
        assertThat(e.field()).isEqualTo(field);
        assertThat(e.line()).as(e.getMessage()).isEqualTo(line);
        assertThat(e.column()).as(e.getMessage()).isEqualTo(column);
        assertThat(e.getMessage()).startsWith(FILE + ":" + line + ":" + column + ": " + field + ": ").contains(message);
    }

    @Test
    void onCompleteDefaultsToFalseAndIsRead() {
        Migration m = read("""
                  - sql: {up: "select 1"}
                  - sql: {up: "alter table people add column birth_date timestamp", on_complete: true}
                  - sql: {up: "select 1", down: "select 2", on_complete: false, online: true}
                  - sql: {up: "select 1", on_complete: true, down: null}
                """);
        assertThat(m.operations()).containsExactly(
                new Operation.Sql("select 1", Optional.empty(), false, false),
                new Operation.Sql("alter table people add column birth_date timestamp", Optional.empty(), false, true),
                new Operation.Sql("select 1", Optional.of("select 2"), true, false),
                new Operation.Sql("select 1", Optional.empty(), false, true));
        assertThat(new Operation.Sql("select 1", Optional.empty(), false).onComplete()).isFalse();
    }

    @Test
    void downIsRefusedWithOnComplete() {
        refused("  - sql: {up: \"select 1\", down: \"select 2\", on_complete: true}\n", 2, 33, "operations[0].sql.down",
                "'down' is not allowed with on_complete: true");
    }

    @Test
    void onCompleteMustBeABoolean() {
        refused("  - sql: {up: \"select 1\", on_complete: \"yes\"}\n", 2, 40, "operations[0].sql.on_complete",
                "expected true or false");
    }

    @Test
    void everyReplicaIdentityTypeIsRead() {
        Migration m = read("""
                  - set_replica_identity: {table: t, identity: {type: full}}
                  - set_replica_identity: {table: t, identity: {type: DEFAULT}}
                  - set_replica_identity: {table: t, identity: {type: nothing, index: null}}
                  - set_replica_identity:
                      table: t
                      identity: {type: " index ", index: t_key}
                """);
        assertThat(m.operations()).containsExactly(
                new Operation.SetReplicaIdentity("t", ReplicaIdentity.FULL, Optional.empty()),
                new Operation.SetReplicaIdentity("t", ReplicaIdentity.DEFAULT, Optional.empty()),
                new Operation.SetReplicaIdentity("t", ReplicaIdentity.NOTHING, Optional.empty()),
                new Operation.SetReplicaIdentity("t", ReplicaIdentity.INDEX, Optional.of("t_key")));
        assertThat(m.operations().get(0).kind()).isEqualTo("set_replica_identity");
    }

    @Test
    void typeIndexNeedsItsIndex() {
        refused("  - set_replica_identity: {table: t, identity: {type: index}}\n", 2, 48,
                "operations[0].set_replica_identity.identity", "missing required field 'index'");
    }

    @Test
    void indexIsOnlyForTypeIndex() {
        refused("  - set_replica_identity: {table: t, identity: {type: full, index: t_key}}\n", 2, 68,
                "operations[0].set_replica_identity.identity.index", "'index' is only for type index (this is type full)");
    }

    @Test
    void unknownTypeIsRefused() {
        refused("  - set_replica_identity: {table: t, identity: {type: everything}}\n", 2, 55,
                "operations[0].set_replica_identity.identity.type",
                "unknown replica identity 'everything'; expected one of default, full, index, nothing");
    }

    @Test
    void unknownFieldsAndMissingFieldsAreRefused() {
        refused("  - set_replica_identity: {table: t, identity: {type: full, columns: [a]}}\n", 2, 61,
                "operations[0].set_replica_identity.identity.columns", "unknown field 'columns'");
        refused("  - set_replica_identity: {table: t}\n", 2, 5, "operations[0].set_replica_identity",
                "missing required field 'identity'");
        refused("  - set_replica_identity: {table: \"a b\", identity: {type: full}}\n", 2, 35,
                "operations[0].set_replica_identity.table", "invalid identifier");
    }
}
