package dev.bascule.dialect;

import java.util.List;

/**
 * A real table as the catalog describes it, everything a scratch copy needs to be built from.
 *
 * @param estimatedRows  {@code pg_class.reltuples}; negative when never analyzed
 * @param key            the primary key's columns, in key order; empty without one
 * @param constraints    primary key, unique, exclusion and check constraints, primary key first
 * @param indexes        indexes that back no constraint
 * @param foreignKeys    this table's foreign keys, to any table
 * @param sequences      column defaults that call {@code nextval} on a sequence
 * @param identities     identity columns (their sequence is copied by {@code LIKE ... INCLUDING IDENTITY})
 * @param triggers       the application's own triggers on the table, which a copy does not carry
 * @param otherUniques   unique indexes besides the primary key's
 */
public record SourceTable(String name, double estimatedRows, List<Column> columns, List<String> key,
                   List<Definition> constraints, List<Definition> indexes, List<ForeignKey> foreignKeys,
                   List<SequenceDefault> sequences, List<String> identities, List<String> triggers, int otherUniques) {

    /** @param insertable false for generated columns and identities GENERATED ALWAYS */
    public record Column(String name, boolean insertable, boolean generated, boolean hasDefault) {}

    /**
     * A constraint's or an index's definition as the server prints it with {@code search_path =
     * pg_catalog} (so every name in it outside pg_catalog is schema-qualified and keeps its meaning).
     * For an index, {@code definition} is what follows {@code ON schema.table}: {@code USING btree (...)}.
     */
    public record Definition(String name, String kind, String definition) {}

    /** Actions and match type are pg_constraint's one-letter codes. */
    public record ForeignKey(String name, List<String> columns, String refSchema, String refTable, List<String> refColumns,
                      char onUpdate, char onDelete, char match, boolean deferrable, boolean deferred, boolean validated) {}

    /**
     * @param defaultExpression the column default, as printed with {@code search_path = pg_catalog}
     * @param sequenceLiteral   how the sequence appears in it: {@code 'public.users_id_seq'::regclass}
     * @param owned             the sequence belongs to this column (serial)
     */
    public record SequenceDefault(String column, String sequence, String defaultExpression, String sequenceLiteral, boolean owned,
                           String type, long increment, long min, long max, long start, boolean cycle) {}

    public List<String> columnNames() {
        return columns.stream().map(Column::name).toList();
    }

    /** Columns an INSERT may name. */
    public List<String> insertableColumns() {
        return columns.stream().filter(Column::insertable).map(Column::name).toList();
    }

    public boolean generated(String column) {
        return columns.stream().anyMatch(c -> c.name().equals(column) && !c.insertable());
    }

    /** A new row gets its key by itself: a one-column key with a default or an identity. */
    public boolean keyGenerated() {
        return key.size() == 1 && columns.stream().anyMatch(c -> c.name().equals(key.get(0)) && c.hasDefault());
    }
}
