package dev.bascule.plan.operation;

import dev.bascule.dialect.Dialect;
import dev.bascule.step.Step;
import dev.bascule.step.Step.Assignment;

import java.util.ArrayList;
import java.util.List;

/** What a table's backfill does to each batch: columns it fills, statements copying the batch into other tables. */
final class BackfillParts {
    final List<Assignment> assignments = new ArrayList<>();
    final List<Step.RangeStatement> copies = new ArrayList<>();
}
