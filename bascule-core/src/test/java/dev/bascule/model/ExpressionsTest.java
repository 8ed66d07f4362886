package dev.bascule.model;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Renaming a column inside expressions the server deparsed: references change, everything else stays. */
class ExpressionsTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '#', quoteCharacter = '^', value = {
            "plain # email # lower(email) # lower(\"new\")",
            "quoted # Email # lower(\"Email\") # lower(\"new\")",
            "unquoted folds # email # EMAIL = 'x' # \"new\" = 'x'",
            "literal untouched # email # 'email' || email # 'email' || \"new\"",
            "function name untouched # lower # lower(lower) # lower(\"new\")",
            "qualified field untouched # email # t.email = email # t.email = \"new\"",
            "type after :: untouched # text # (text)::text # (\"new\")::text",
            "multi-word type # time # (\"time\" >= '08:00:00'::time without time zone) # (\"new\" >= '08:00:00'::time without time zone)",
            "zone in a type # zone # zone::timestamp with time zone # \"new\"::timestamp with time zone",
            "at time zone # zone # (ts AT TIME ZONE zone) # (ts AT TIME ZONE \"new\")",
            "double precision # precision # precision::double precision # \"new\"::double precision",
            "other names # email # email_verified AND email_x # email_verified AND email_x",
    })
    void renamesOnlyReferences(String what, String column, String expression, String expected) {
        assertThat(Expressions.renameColumn(expression, column, "\"new\"")).isEqualTo(expected);
    }
}
