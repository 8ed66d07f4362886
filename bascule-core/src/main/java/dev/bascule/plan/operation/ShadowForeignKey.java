package dev.bascule.plan.operation;

import dev.bascule.dialect.Catalog;

/** The foreign key of an altered column as it is, and as start makes it again on the shadow. */
record ShadowForeignKey(Catalog.ForeignKey original, Catalog.ForeignKey onShadow, Constraints.AddedConstraint added) {}
