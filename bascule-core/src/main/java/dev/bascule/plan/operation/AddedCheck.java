package dev.bascule.plan.operation;

import dev.bascule.api.Operation;

/** An add_check, whose expression names physical columns: an altered one would be dropped under it by the swap. */
record AddedCheck(int index, Operation.AddCheck op, String table) {}
