package dev.bascule.safety;

import dev.bascule.api.Migration;
import dev.bascule.api.Operation;
import dev.bascule.api.RefusedException;
import dev.bascule.dialect.Catalog;
import dev.bascule.dialect.Dialect;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Before start, the rows an alter_column's new type cannot hold: values longer than a new
 * {@code varchar(n)} / {@code char(n)}, numbers out of a new integer type's range or too large
 * for a new {@code numeric(p,s)}. Copied as they are (no {@code up}, or an {@code up} that is the
 * column itself), such a row would fail every backfill batch that reaches it (MariaDB, and
 * PostgreSQL's integers and numerics) or be cut short without a word (PostgreSQL's cast to
 * varchar). Refused first, with exit 3, how many rows and a sample of their keys, nothing changed,
 * as {@link DuplicateKeys} refuses a unique index over duplicates. A value an {@code up}
 * expression computes is not known before the backfill, and left to it.
 */
public final class ValuesThatDoNotFit {
    static final int SAMPLE = 3;
    private static final int SHOWN = 40;

    private static final Pattern CHARS = Pattern.compile(
            "^\\s*(?:national\\s+)?(?:n?varchar|n?char|character\\s+varying|character|char\\s+varying)\\s*\\(\\s*(\\d+)\\s*\\).*",
            Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
    private static final Pattern INTEGER = Pattern.compile(
            "^\\s*(tinyint|smallint|mediumint|int|integer|bigint|int2|int4|int8)\\s*(?:\\(\\s*\\d+\\s*\\))?\\s*(unsigned)?\\s*(?:zerofill)?\\s*$",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern DECIMAL = Pattern.compile(
            "^\\s*(?:numeric|decimal|dec)\\s*\\(\\s*(\\d+)\\s*(?:,\\s*(\\d+)\\s*)?\\)\\s*(unsigned)?\\s*$", Pattern.CASE_INSENSITIVE);
    /** Old types whose values compare as numbers. */
    private static final Pattern NUMERIC = Pattern.compile(
            "^\\s*(tinyint|smallint|mediumint|int|integer|bigint|int2|int4|int8|numeric|decimal|dec|float|double|real|float4|float8)\\b.*",
            Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
    /** Old types whose values are text (a number's digits are never counted as characters here). */
    private static final Pattern TEXT = Pattern.compile(
            "^\\s*(char|varchar|character|nchar|nvarchar|national|text|tinytext|mediumtext|longtext)\\b.*",
            Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
    /** Bits of each integer type. */
    private static final Map<String, Integer> BITS = Map.ofEntries(Map.entry("tinyint", 8), Map.entry("smallint", 16),
            Map.entry("int2", 16), Map.entry("mediumint", 24), Map.entry("int", 32), Map.entry("integer", 32),
            Map.entry("int4", 32), Map.entry("bigint", 64), Map.entry("int8", 64));

    private ValuesThatDoNotFit() {}

    /** A condition over the column true for a value the new type cannot hold, and what it means. */
    record Misfit(String condition, String meaning) {}

    public static void refuse(Connection c, Dialect dialect, String schema, Migration migration) throws SQLException {
        List<Operation> ops = migration.operations();
        Catalog catalog = null;
        for (int i = 0; i < ops.size(); i++) {
            if (!(ops.get(i) instanceof Operation.AlterColumn ac) || ac.type().isEmpty()) {
                continue;
            }
            if (ac.up().isPresent() && !dialect.catalog().sameColumnName(ac.up().get().strip().replace("`", "").replace("\"", ""),
                    ac.column())) {
                continue; // a value up computes is known only to the backfill
            }
            if (catalog == null) {
                catalog = dialect.catalog().readCatalog(c, schema);
            }
            Catalog.Table table = catalog.tables().get(ac.table());
            if (table == null) {
                continue; // created or renamed by the migration
            }
            Optional<Catalog.Column> column = table.columns().stream()
                    .filter(col -> dialect.catalog().sameColumnName(col.name(), ac.column())).findFirst();
            if (column.isEmpty()) {
                continue;
            }
            Optional<Misfit> misfit = misfit(dialect.quote(column.get().name()), column.get().type(), ac.type().get());
            if (misfit.isEmpty()) {
                continue;
            }
            int at = i;
            rows(c, dialect, schema, table, column.get().name(), misfit.get()).ifPresent(found -> {
                throw new RefusedException("operations[" + at + "].alter_column " + ac.table() + "." + ac.column()
                        + ": " + found + "; change those rows (or choose a wider type), then start again (nothing was changed)");
            });
        }
    }

    static Optional<Misfit> misfit(String column, String oldType, String newType) {
        Matcher m = CHARS.matcher(newType);
        if (m.matches() && TEXT.matcher(oldType).matches()) {
            return Optional.of(new Misfit("char_length(" + column + ") > " + m.group(1),
                    "values longer than " + m.group(1) + " characters, which " + newType.strip() + " cannot hold"));
        }
        if (!NUMERIC.matcher(oldType).matches()) {
            return Optional.empty();
        }
        m = INTEGER.matcher(newType);
        if (m.matches()) {
            int bits = BITS.get(m.group(1).toLowerCase(Locale.ROOT));
            boolean unsigned = m.group(2) != null;
            BigDecimal max = BigDecimal.valueOf(2).pow(unsigned ? bits : bits - 1).subtract(BigDecimal.ONE);
            BigDecimal min = unsigned ? BigDecimal.ZERO : BigDecimal.valueOf(2).pow(bits - 1).negate();
            // a fraction is rounded to the nearest integer, half away from zero, before it is checked
            BigDecimal half = new BigDecimal("0.5");
            return Optional.of(new Misfit(column + " >= " + max.add(half).toPlainString() + " OR " + column + " <= "
                    + min.subtract(half).toPlainString(), "values out of " + newType.strip() + "'s range " + min + ".." + max));
        }
        m = DECIMAL.matcher(newType);
        if (m.matches()) {
            int precision = Integer.parseInt(m.group(1));
            int scale = m.group(2) == null ? 0 : Integer.parseInt(m.group(2));
            if (scale > precision) {
                return Optional.empty(); // the server refuses the type itself
            }
            // rounded to the scale, a value needs fewer than precision - scale digits before the point
            BigDecimal bound = BigDecimal.TEN.pow(precision - scale).subtract(new BigDecimal("0.5").movePointLeft(scale));
            String tooLarge = "abs(" + column + ") >= " + bound.toPlainString();
            return Optional.of(new Misfit(m.group(3) != null ? tooLarge + " OR " + column + " < 0" : tooLarge,
                    "values too large for " + newType.strip()));
        }
        return Optional.empty();
    }

    private static Optional<String> rows(Connection c, Dialect dialect, String schema, Catalog.Table table, String column,
                                         Misfit misfit) throws SQLException {
        String where = " FROM " + dialect.qualify(schema, table.name()) + " WHERE " + misfit.condition();
        long count;
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*)" + where)) {
            rs.next();
            count = rs.getLong(1);
        }
        if (count == 0) {
            return Optional.empty();
        }
        List<String> shown = new ArrayList<>(table.primaryKey());
        if (!shown.contains(column)) {
            shown.add(column);
        }
        List<String> sample = new ArrayList<>();
        String select = "SELECT " + String.join(", ", shown.stream().map(dialect::quote).toList()) + where
                + (table.primaryKey().isEmpty() ? "" : " ORDER BY " + String.join(", ",
                table.primaryKey().stream().map(dialect::quote).toList())) + " LIMIT " + SAMPLE;
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(select)) {
            while (rs.next()) {
                List<String> row = new ArrayList<>();
                for (int k = 0; k < shown.size(); k++) {
                    String value = rs.getString(k + 1);
                    if (value != null && value.length() > SHOWN) {
                        value = value.substring(0, SHOWN) + "...";
                    }
                    row.add(shown.get(k) + "=" + value);
                }
                sample.add("(" + String.join(", ", row) + ")");
            }
        }
        return Optional.of(count + " row(s) of " + table.name() + " hold " + misfit.meaning() + ", e.g. "
                + String.join("; ", sample));
    }
}
