package dev.bascule.plan.operation;

import dev.bascule.api.Operation;

/** The class that knows each kind of operation. */
public final class OperationPlanners {
    private OperationPlanners() {}

    /**
     * The planner of {@code op}. The switch has no {@code default}: an {@link Operation.Kind}
     * without its class here does not compile, and each record must name its kind (an abstract
     * method of {@link Operation}), so a new operation cannot be skipped silently.
     */
    public static OperationPlanner<?> of(Operation op) {
        return switch (op.operationKind()) {
            case CREATE_TABLE -> new CreateTable((Operation.CreateTable) op);
            case DROP_TABLE -> new DropTable((Operation.DropTable) op);
            case RENAME_TABLE -> new RenameTable((Operation.RenameTable) op);
            case ADD_COLUMN -> new AddColumn((Operation.AddColumn) op);
            case DROP_COLUMN -> new DropColumn((Operation.DropColumn) op);
            case RENAME_COLUMN -> new RenameColumn((Operation.RenameColumn) op);
            case ALTER_COLUMN -> new AlterColumn((Operation.AlterColumn) op);
            case CREATE_INDEX -> new CreateIndex((Operation.CreateIndex) op);
            case DROP_INDEX -> new DropIndex((Operation.DropIndex) op);
            case ADD_FOREIGN_KEY -> new AddForeignKey((Operation.AddForeignKey) op);
            case ADD_CHECK -> new AddCheck((Operation.AddCheck) op);
            case DROP_CONSTRAINT -> new DropConstraint((Operation.DropConstraint) op);
            case SPLIT_TABLE -> new SplitTable((Operation.SplitTable) op);
            case MERGE_TABLES -> new MergeTables((Operation.MergeTables) op);
            case SQL -> new Sql((Operation.Sql) op);
            case SET_REPLICA_IDENTITY -> new SetReplicaIdentity((Operation.SetReplicaIdentity) op);
            case SET_COMMENT -> new SetComment((Operation.SetComment) op);
            case RENAME_CONSTRAINT -> new RenameConstraint((Operation.RenameConstraint) op);
            case CREATE_CONSTRAINT -> new CreateConstraint((Operation.CreateConstraint) op);
            case REBUILD_TABLE -> new RebuildTable((Operation.RebuildTable) op);
        };
    }
}
