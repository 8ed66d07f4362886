package dev.bascule.plan.operation;

import dev.bascule.step.Step.Assignment;

import java.util.ArrayList;
import java.util.List;

/** What a table's sync trigger computes: new columns from old code's writes (up), old ones from new code's (down). */
final class SyncParts {
    final List<Assignment> up = new ArrayList<>();
    final List<Assignment> down = new ArrayList<>();
}
