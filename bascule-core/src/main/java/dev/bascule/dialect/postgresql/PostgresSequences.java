package dev.bascule.dialect.postgresql;

import dev.bascule.dialect.SequenceDdl;

import java.util.List;

/** PostgreSQL's sequences and identity columns. */
final class PostgresSequences extends PostgresRole implements SequenceDdl {

    PostgresSequences(PostgresDialect dialect) {
        super(dialect);
    }

    @Override
    public String nextValue(String sequenceSchema, String sequence) {
        return "nextval(" + literal(qualify(sequenceSchema, sequence)) + "::regclass)";
    }

    @Override
    public String rememberNextValue(String key, String sequenceSchema, String sequence) {
        return "SELECT set_config(" + literal("bascule." + key) + ", " + nextValue(sequenceSchema, sequence) + "::text, true)";
    }

    @Override
    public List<String> addIdentityFromRemembered(String key, String schema, String table, String column, String kind) {
        return List.of("ALTER TABLE " + qualify(schema, table) + " ALTER COLUMN " + quote(column) + " ADD GENERATED " + kind
                        + " AS IDENTITY",
                "SELECT setval(pg_get_serial_sequence(" + literal(qualify(schema, table)) + ", " + literal(column) + "),"
                        + " current_setting(" + literal("bascule." + key) + ")::bigint, false)");
    }

    @Override
    public String setSequenceOwner(String sequenceSchema, String sequence, String schema, String table, String column) {
        return "ALTER SEQUENCE " + qualify(sequenceSchema, sequence) + " OWNED BY " + qualify(schema, table) + "."
                + quote(column);
    }

    @Override
    public String setSequenceType(String sequenceSchema, String sequence, String type) {
        return "ALTER SEQUENCE " + qualify(sequenceSchema, sequence) + " AS " + type;
    }
}
