package dev.bascule.plan;

/**
 * A query that fails when an expression of the migration does not compile against the live
 * schema (an unknown column in {@code up}, say). Run at plan time in a transaction that is rolled back.
 *
 * @param path       the field of the migration file the expression came from
 * @param syntaxOnly only a syntax error fails the check (a type an earlier sql operation creates
 *                   does not exist yet when the plan is checked)
 */
public record ExpressionCheck(String path, String query, boolean syntaxOnly) {
    public ExpressionCheck(String path, String query) {
        this(path, query, false);
    }
}
