package dev.bascule.dialect;

import dev.bascule.api.Operation;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A {@code timestamp} column made NOT NULL with a non-constant default ({@code current_timestamp}):
 * MariaDB (and a server like it) turns such a column from NULL to NOT NULL only by copying the table ({@code
 * ALGORITHM=INPLACE is not supported. Reason: cannot convert NULL to non-constant DEFAULT}, error
 * 1846; a {@code datetime} is converted in place). Bascule adds the column NULL at start and sets
 * NOT NULL at complete, so complete would fail every time: refused at plan time instead.
 */
final class NonConstantTimestampDefault {
    private static final Pattern TIMESTAMP = Pattern.compile("(?i)\\s*timestamp\\b.*");
    private static final Pattern CONSTANT = Pattern.compile("(?i)\\s*(-?\\d+(\\.\\d+)?|'([^']|'')*'|true|false|null)\\s*");

    private NonConstantTimestampDefault() {}

    static Optional<String> refusal(Operation op, String server) {
        String type;
        boolean notNull;
        Optional<String> dflt;
        if (op instanceof Operation.AddColumn ac) {
            type = ac.column().type();
            notNull = !ac.column().nullable();
            dflt = ac.column().defaultValue();
        } else if (op instanceof Operation.AlterColumn ac && ac.type().isPresent()) {
            type = ac.type().get();
            notNull = ac.nullable().map(n -> !n).orElse(false);
            dflt = ac.defaultValue();
        } else {
            return Optional.empty();
        }
        if (!notNull || !TIMESTAMP.matcher(type).matches() || dflt.isEmpty() || CONSTANT.matcher(dflt.get()).matches()) {
            return Optional.empty();
        }
        return Optional.of(server + " sets a timestamp column NOT NULL with a non-constant default ('" + dflt.get()
                + "') only by copying the table under a lock (error 1846 for ALGORITHM=INPLACE), so complete could"
                + " never finish; use datetime (converted in place), a constant default, or nullable: true");
    }
}
