package dev.bascule.model;

import dev.bascule.api.ColumnDef;
import dev.bascule.api.ForeignKeyRef;
import dev.bascule.api.InvalidMigrationException;
import dev.bascule.api.MigrationSource;
import dev.bascule.api.Operation;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Names one migration may not give twice (columns of one table, indexes, constraints of one table),
 * checked on the whole file once it is read, so the error points at the second use.
 */
final class DuplicateNames {

    private DuplicateNames() {
    }

    /** Names that must be unique within one migration: columns of one table, indexes, constraints. */
    static void check(List<Operation> ops, MigrationSource source) {
        Set<String> indexes = new HashSet<>();
        Map<String, Set<String>> addedColumns = new HashMap<>();
        Set<String> constraints = new HashSet<>();
        for (int i = 0; i < ops.size(); i++) {
            Operation op = ops.get(i);
            if (op instanceof Operation.CreateTable ct) {
                Set<String> seen = new HashSet<>();
                for (int c = 0; c < ct.columns().size(); c++) {
                    if (!seen.add(ct.columns().get(c).name())) {
                        throw InvalidMigrationException.at(source, MigrationSource.fieldPath(i, op.kind(), "columns/" + c + "/name"),
                                "duplicate column '" + ct.columns().get(c).name() + "'");
                    }
                }
                Set<String> names = new HashSet<>();
                for (int c = 0; c < ct.constraints().size(); c++) {
                    if (!names.add(ct.constraints().get(c).name())) {
                        throw InvalidMigrationException.at(source, MigrationSource.fieldPath(i, op.kind(), "constraints/" + c + "/name"),
                                "duplicate constraint name '" + ct.constraints().get(c).name() + "'");
                    }
                }
                for (int c = 0; c < ct.columns().size(); c++) {
                    for (Map.Entry<String, String> named : columnConstraintNames(ct.columns().get(c)).entrySet()) {
                        if (!names.add(named.getValue())) {
                            throw InvalidMigrationException.at(source, MigrationSource.fieldPath(i, op.kind(), "columns/" + c
                                    + "/" + named.getKey()), "duplicate constraint name '" + named.getValue() + "'");
                        }
                    }
                }
                if (ct.primaryKeyName().isPresent() && !names.add(ct.primaryKeyName().get())) {
                    throw InvalidMigrationException.at(source, MigrationSource.fieldPath(i, op.kind(), "primary_key_name"),
                            "duplicate constraint name '" + ct.primaryKeyName().get() + "'");
                }
                for (String pk : ct.primaryKey()) {
                    if (!seen.contains(pk)) {
                        throw InvalidMigrationException.at(source, MigrationSource.fieldPath(i, op.kind(), "primary_key"),
                                "primary key column '" + pk + "' is not a column of the table");
                    }
                }
            } else if (op instanceof Operation.CreateIndex ci && !indexes.add(ci.name())) {
                throw InvalidMigrationException.at(source, MigrationSource.fieldPath(i, op.kind(), "name"),
                        "duplicate index name '" + ci.name() + "'");
            } else if (op instanceof Operation.AddColumn ac
                    && !addedColumns.computeIfAbsent(ac.table(), t -> new HashSet<>()).add(ac.column().name())) {
                throw InvalidMigrationException.at(source, MigrationSource.fieldPath(i, op.kind(), "column/name"),
                        "duplicate column '" + ac.column().name() + "' added twice to table '" + ac.table() + "'");
            } else if (op instanceof Operation.AddColumn ac) {
                for (Map.Entry<String, String> named : columnConstraintNames(ac.column()).entrySet()) {
                    if (!constraints.add(ac.table() + "." + named.getValue())) {
                        throw InvalidMigrationException.at(source, MigrationSource.fieldPath(i, op.kind(), "column/" + named.getKey()),
                                "duplicate constraint name '" + named.getValue() + "'");
                    }
                }
            } else if (op instanceof Operation.AlterColumn ac) {
                for (Map.Entry<String, String> e : constraintNames(ac.uniqueName(), ac.checkName(), ac.references()).entrySet()) {
                    if (!constraints.add(ac.table() + "." + e.getValue())) {
                        throw InvalidMigrationException.at(source, MigrationSource.fieldPath(i, op.kind(), e.getKey()),
                                "duplicate constraint name '" + e.getValue() + "'");
                    }
                }
            } else if (op instanceof Operation.AddCheck ck && !constraints.add(ck.table() + "." + ck.name())) {
                throw InvalidMigrationException.at(source, MigrationSource.fieldPath(i, op.kind(), "name"),
                        "duplicate constraint name '" + ck.name() + "'");
            } else if (op instanceof Operation.AddForeignKey fk && fk.name().isPresent()
                    && !constraints.add(fk.table() + "." + fk.name().get())) {
                throw InvalidMigrationException.at(source, MigrationSource.fieldPath(i, op.kind(), "name"),
                        "duplicate constraint name '" + fk.name().get() + "'");
            }
        }
    }

    /** The names a column's declaration gives its constraints, by field under the column. */
    private static Map<String, String> columnConstraintNames(ColumnDef c) {
        return constraintNames(c.uniqueName(), c.checkName(), c.references());
    }

    private static Map<String, String> constraintNames(Optional<String> unique, Optional<String> check,
                                                       Optional<ForeignKeyRef> references) {
        Map<String, String> named = new LinkedHashMap<>();
        unique.ifPresent(n -> named.put("unique/name", n));
        check.ifPresent(n -> named.put("check/name", n));
        references.flatMap(ForeignKeyRef::name).ifPresent(n -> named.put("references/name", n));
        return named;
    }
}
