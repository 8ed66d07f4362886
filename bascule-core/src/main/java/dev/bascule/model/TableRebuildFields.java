package dev.bascule.model;

import dev.bascule.api.Operation;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * rebuild_table's fields. Each option is a word checked here, never SQL as written: the engine
 * (InnoDB only: the copy triggers and the row check need transactions), a character set and
 * collation name, a row format from InnoDB's list.
 */
final class TableRebuildFields {
    /** A character set or collation name as the servers spell them: {@code utf8mb4}, {@code utf8mb4_0900_ai_ci}. */
    private static final Pattern CHARSET_NAME = Pattern.compile("[A-Za-z0-9_]{1,64}");
    private static final Set<String> ROW_FORMATS = Set.of("DYNAMIC", "COMPACT", "REDUNDANT", "COMPRESSED");

    private TableRebuildFields() {}

    static Operation read(FieldReader f) {
        String table = f.requiredIdentifier("table");
        Optional<String> engine = f.optionalString("engine").map(e -> {
            if (!e.strip().equalsIgnoreCase("InnoDB")) {
                throw f.error(f.path("engine"), f.optional("engine").get().position(), "expected InnoDB: the copy"
                        + " triggers and the row check before the cut-over need a transactional engine");
            }
            return "InnoDB";
        });
        Optional<String> charset = name(f, "charset");
        Optional<String> collation = name(f, "collation");
        if (collation.isPresent() && charset.isEmpty()) {
            throw f.error(f.path("collation"), f.optional("collation").get().position(), "give 'charset' too: the"
                    + " collation's character set, which every text column is converted to");
        }
        Optional<String> rowFormat = f.optionalString("row_format").map(r -> {
            String norm = r.strip().toUpperCase(Locale.ROOT);
            if (!ROW_FORMATS.contains(norm)) {
                throw f.error(f.path("row_format"), f.optional("row_format").get().position(),
                        "expected one of COMPACT, COMPRESSED, DYNAMIC, REDUNDANT");
            }
            return norm;
        });
        List<String> primaryKey = f.optionalIdentifierList("primary_key");
        if (f.optional("primary_key").isPresent() && primaryKey.isEmpty()) {
            throw f.error(f.path("primary_key"), f.optional("primary_key").get().position(), "must not be empty: a table"
                    + " keeps a primary key (drop_constraint cannot drop one either)");
        }
        if (primaryKey.size() > MigrationReader.MAX_KEY_COLUMNS) {
            throw f.error(f.path("primary_key"), f.optional("primary_key").get().position(), primaryKey.size()
                    + " columns: a key has at most " + MigrationReader.MAX_KEY_COLUMNS + " columns");
        }
        if (new HashSet<>(primaryKey).size() != primaryKey.size()) {
            throw f.error(f.path("primary_key"), f.optional("primary_key").get().position(), "a column is named twice");
        }
        Optional<String> previousKeyName = f.optionalIdentifier("previous_key_name");
        if (previousKeyName.isPresent() && primaryKey.isEmpty()) {
            throw f.error(f.path("previous_key_name"), f.optional("previous_key_name").get().position(),
                    "names the unique key the old primary key becomes: give 'primary_key' too");
        }
        return new Operation.RebuildTable(table, engine, charset, collation, rowFormat, primaryKey, previousKeyName);
    }

    private static Optional<String> name(FieldReader f, String field) {
        return f.optionalString(field).map(v -> {
            if (!CHARSET_NAME.matcher(v.strip()).matches()) {
                throw f.error(f.path(field), f.optional(field).get().position(), "expected a name of letters, digits"
                        + " and _ such as utf8mb4" + (field.equals("collation") ? "_bin" : ""));
            }
            return v.strip().toLowerCase(Locale.ROOT);
        });
    }
}
