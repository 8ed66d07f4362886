package dev.bascule.dialect;

import dev.bascule.api.ColumnDef;
import dev.bascule.api.Operation;

import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Which operations a server's {@link Capabilities} cannot carry out safely, with the reason plan
 * gives, and what the application must know about the others: worked out once for every server
 * from what it lacks.
 */
final class OperationSupport {

    private OperationSupport() {}

    static Optional<String> refusal(Operation op, Capabilities can) {
        String server = can.server();
        if (can.timestampNotNullNeedsConstantDefault()) {
            Optional<String> timestamp = NonConstantTimestampDefault.refusal(op, server);
            if (timestamp.isPresent()) {
                return timestamp;
            }
        }
        if (op instanceof Operation.AlterColumn ac) {
            if (ac.check().isPresent() && !can.notValidConstraints()) {
                return Optional.of(server + ": a 'check' on alter_column would be checked under a table copy (no NOT"
                        + " VALID constraints); alter the column without it");
            }
            if (ac.references().isPresent() && !can.transactionalDdl()) {
                return Optional.of(server + ": 'references' on alter_column is not built for the shadow column; alter"
                        + " the column, then add the key with add_foreign_key in a later migration");
            }
        }
        if (op instanceof Operation.AddForeignKey fk && fk.references().columns().isEmpty()
                && can.foreignKeyNeedsReferencedColumns()) {
            return Optional.of(server + " needs the referenced columns of a foreign key: give references.columns");
        }
        if (op instanceof Operation.AddForeignKey fk) {
            Optional<String> key = keyOptions(fk.references().withOnDelete(fk.onDelete()), "add_foreign_key", can);
            if (key.isPresent()) {
                return key;
            }
        }
        if (op instanceof Operation.AlterColumn ac && ac.references().isPresent()) {
            Optional<String> key = keyOptions(ac.references().get(), "column '" + ac.column() + "'", can);
            if (key.isPresent()) {
                return key;
            }
        }
        if (op instanceof Operation.AddCheck && can.checkNeedsTableCopy().isPresent()) {
            return Optional.of(checkNeedsCopy(can));
        }
        if (op instanceof Operation.DropConstraint dc && dc.duplicates() && !can.transactionalDdl()) {
            return Optional.of(server + ": 'up'/'down' on drop_constraint copy the constraint's column into a shadow column"
                    + " that is swapped in at complete, which MariaDB does not do for a column a constraint uses; drop the"
                    + " constraint without them");
        }
        if (op instanceof Operation.CreateConstraint && !can.transactionalDdl()) {
            return Optional.of(server + ": create_constraint copies its columns into shadow columns with the constraint on"
                    + " them, which is not built here (no NOT VALID checks; the swap of several columns under one constraint"
                    + " is PostgreSQL's); refused");
        }
        if (op instanceof Operation.Sql && !can.transactionalDdl()) {
            return Optional.of(server + " has no transactional DDL: a sql operation cut off midway could not be undone"
                    + " or rerun safely; refused");
        }
        if (op instanceof Operation.SetReplicaIdentity && !can.replicaIdentity()) {
            return Optional.of(server + " has no replica identity (its row-based binary log carries whole rows):"
                    + " set_replica_identity is for PostgreSQL; remove the operation");
        }
        if (op instanceof Operation.AddColumn ac) {
            ColumnDef c = ac.column();
            if (c.generated().filter(ColumnDef.Generated::stored).isPresent() && !can.addGeneratedColumn()) {
                return Optional.of(server + ": add_column adds a stored (PERSISTENT) generated column only by copying the"
                        + " table (ALGORITHM=COPY) under a lock; add it with 'stored: false' (VIRTUAL, added instantly),"
                        + " or create the table with it");
            }
            Optional<String> generated = generated(c, can);
            if (generated.isPresent()) {
                return generated;
            }
            if (c.check().isPresent() && can.checkNeedsTableCopy().isPresent()) {
                return Optional.of(checkNeedsCopy(can) + " (add the column without 'check')");
            }
            Optional<String> references = referencedColumns(c, can);
            if (references.isPresent()) {
                return references;
            }
            if (c.unique() && !can.uniqueOnAddColumn()) {
                return Optional.of(server + ": 'unique' on add_column is not supported yet; add the column, then a"
                        + " create_index with unique: true (built ALGORITHM=INPLACE, LOCK=NONE)");
            }
        }
        if (op instanceof Operation.CreateIndex ci) {
            if (ci.where().isPresent() && !can.partialIndexes()) {
                return Optional.of(server + " has no partial indexes ('where')");
            }
            if (ci.hasOptions() && !can.indexOptions()) {
                return Optional.of(server + " has no " + (!ci.include().isEmpty() ? "INCLUDE columns ('include')"
                        : !ci.opclasses().isEmpty() ? "operator classes ('opclass')" : "index storage parameters"
                        + " ('storage_parameters')") + "; create the index without them");
            }
            Optional<String> only = can.onlineIndexMethod();
            if (ci.method().isPresent() && only.isPresent() && !ci.method().get().equalsIgnoreCase(only.get())) {
                return Optional.of(server + ": index method '" + ci.method().get() + "' is not supported online; use "
                        + only.get());
            }
        }
        if (op instanceof Operation.CreateTable ct) {
            if (ct.primaryKeyName().isPresent() && !can.namedPrimaryKey()) {
                return Optional.of(server + " names every primary key PRIMARY: 'primary_key_name' cannot be kept; remove it");
            }
            for (ColumnDef c : ct.columns()) {
                Optional<String> generated = generated(c, can);
                if (generated.isPresent()) {
                    return generated;
                }
                Optional<String> references = referencedColumns(c, can);
                if (references.isPresent()) {
                    return references;
                }
            }
        }
        return Optional.empty();
    }

    /**
     * A part's copy trigger updates the split table, which a server like MariaDB refuses (error
     * 1442) when the statement that fired it uses that table too; the statement fails whole,
     * nothing half-copied.
     */
    static Optional<String> note(Operation op, Capabilities can) {
        if (op instanceof Operation.SplitTable st && !can.triggersMayWriteTheirStatementsTable()) {
            return Optional.of("until complete, " + can.server() + " refuses (error 1442) a statement of new code that"
                    + " writes " + st.into().stream().map(Operation.TablePart::name).collect(Collectors.joining(" or "))
                    + " and also reads or writes " + st.from() + " (a subquery, a join, INSERT .. SELECT): the copy"
                    + " trigger would update " + st.from() + " under that statement; the statement fails whole, so"
                    + " write in two statements");
        }
        return Optional.empty();
    }

    private static String checkNeedsCopy(Capabilities can) {
        return can.server() + " has no NOT VALID constraints, and " + can.checkNeedsTableCopy().orElseThrow()
                + ": the table would be copied under a lock that blocks writes; refused";
    }

    private static Optional<String> referencedColumns(ColumnDef c, Capabilities can) {
        if (c.references().isPresent() && c.references().get().columns().isEmpty()
                && can.foreignKeyNeedsReferencedColumns()) {
            return Optional.of(can.server() + " needs the referenced columns of a foreign key: give references.columns"
                    + " for column '" + c.name() + "'");
        }
        return c.references().flatMap(r -> keyOptions(r, "column '" + c.name() + "'", can));
    }

    /** Why generated column {@code c} cannot be made as declared here, or empty. */
    private static Optional<String> generated(ColumnDef c, Capabilities can) {
        if (c.generated().isEmpty()) {
            return Optional.empty();
        }
        if (!c.generated().get().stored() && !can.virtualGeneratedColumns()) {
            return Optional.of(can.server() + " has stored generated columns only: column '" + c.name() + "' needs"
                    + " 'stored: true' (the default)");
        }
        if (!c.nullable() && !can.generatedColumnsNotNull()) {
            return Optional.of(can.server() + " takes no NOT NULL on a generated column: column '" + c.name() + "' needs"
                    + " 'nullable: true'");
        }
        return Optional.empty();
    }

    /** Why a foreign key's match type or actions cannot be kept here, or empty. */
    private static Optional<String> keyOptions(dev.bascule.api.ForeignKeyRef ref, String where, Capabilities can) {
        if (ref.matchFull() && !can.foreignKeyMatchFull()) {
            return Optional.of(can.server() + " parses MATCH FULL and ignores it (a key with some columns NULL would"
                    + " not be refused): match_type FULL of " + where + " is refused; use SIMPLE (the default)");
        }
        if (!can.foreignKeySetDefault()) {
            for (Optional<String> action : java.util.List.of(ref.onDelete(), ref.onUpdate())) {
                if (action.filter("SET DEFAULT"::equals).isPresent()) {
                    return Optional.of(can.server() + " parses SET DEFAULT and keeps no action instead: the SET DEFAULT"
                            + " action of " + where + " is refused; use SET NULL, CASCADE, RESTRICT or NO ACTION");
                }
            }
        }
        return Optional.empty();
    }
}
