package dev.bascule.model;

import dev.bascule.sql.SqlSyntax;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Renaming a column inside expressions the server deparsed: references change, everything else
 * stays. Which texts are one expression, read as each dialect's server reads them.
 */
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

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"lower(email)", "'it''s' || name", "\"Odd \"\"name\"\"\" + 1", "a - -1", "coalesce(x, 'a;b -- /* # $')",
            "(a)", "'(' || ')'", "1", "x::text", "'{\"a\":1}'::jsonb ? 'a'", "a # b"})
    void oneExpressionOnPostgres(String expression) {
        assertThat(Expressions.problem(expression, SqlSyntax.POSTGRESQL)).isEmpty();
        assertThat(Expressions.problem(expression)).as("the reader, before the dialect is known").isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"upper(name)", "'it''s' || name", "\"a string\"", "`odd``name` + 1", "a - -1",
            "concat('a;b -- /* # $')", "CHAR(92)", "a$b + 1"})
    void oneExpressionOnMariaDb(String expression) {
        assertThat(Expressions.problem(expression, SqlSyntax.MYSQL)).isEmpty();
        assertThat(Expressions.problem(expression)).as("the reader, before the dialect is known").isEmpty();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '^', value = {
            "both | 1; DROP TABLE users | ';'",
            "both | 1 -- x | comments (--)",
            "both | a--1 | comments (--)",
            "both | 1 /* x */ | comments (/* */",
            "both | 1 /*! , x = 1 */ | comments (/* */",
            "both | 1 /*M! , x = 1 */ | comments (/* */",
            "both | 1 */ | comments (/* */",
            "both | '\\'' ), u text) AS SELECT 1 #' | (92)",
            "both | 'a\\b' | not even in a literal",
            "both | name\\ | '\\'",
            "both | 'x'), legacy_flag = (true | closes a parenthesis",
            "both | ) OR (1 = 1 | closes a parenthesis",
            "both | ((1) | not closed",
            "both | 'unterminated | string literal is not closed",
            "both | 'a'' | string literal is not closed",
            "postgresql | E'x' | escape strings",
            "postgresql | e'x' | escape strings",
            "postgresql | \"unterminated | quoted identifier is not closed",
            "mysql | \"unterminated | string literal is not closed",
            "postgresql | $$x$$ | dollar quoting",
            "postgresql | $x$') DROP TABLE t $x$ | dollar quoting",
            "postgresql | $1 | '$'",
            "postgresql | `x` | '`'",
            "mysql | upper(name) # shout | '#'",
            "mysql | '#' # ' | '#'",
            "mysql | `a` + ? | '?'",
            "mysql | `unterminated | quoted identifier is not closed",
    })
    void notOneExpression(String dialects, String expression, String message) {
        for (SqlSyntax dialect : dialects.equals("both") ? SqlSyntax.values() : new SqlSyntax[] {SqlSyntax.parse(dialects)}) {
            assertThat(Expressions.problem(expression, dialect)).as(dialect + ": " + expression).get(org.assertj.core.api.InstanceOfAssertFactories.STRING)
                    .contains(message);
        }
        if (dialects.equals("both")) {
            assertThat(Expressions.problem(expression)).as("the reader: " + expression).isPresent();
        }
    }
}
