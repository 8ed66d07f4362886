package dev.bascule.plan.operation;

import dev.bascule.api.ColumnDef;
import dev.bascule.dialect.Catalog;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Columns of the tables split_table and merge_tables create, declared like the columns they copy. */
final class CopiedColumns {
    private CopiedColumns() {}

    static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /** A column declared like {@code c}, with its comment; {@code nullable} null keeps its nullability. */
    static ColumnDef copyOf(Catalog.Column c, Boolean nullable) {
        return new ColumnDef(c.name(), c.type(), nullable == null ? c.nullable() : nullable,
                Optional.ofNullable(c.defaultExpression()), false, Optional.empty(), Optional.empty(),
                Optional.ofNullable(c.comment()));
    }

    static ColumnDef withoutDefault(ColumnDef c) {
        return new ColumnDef(c.name(), c.type(), c.nullable(), Optional.empty(), c.unique(), c.references(), c.check(),
                c.comment(), c.uniqueName(), c.checkName(), c.generated());
    }}
