package dev.bascule.plan;

/**
 * A query that fails when an expression or type of the migration does not compile against the
 * live schema (an unknown column in {@code up}, an unknown type, say). Run at plan time in a
 * transaction that is rolled back.
 *
 * @param path       the field of the migration file the expression came from
 * @param syntaxOnly only a syntax error fails the check (a type an earlier sql operation creates
 *                   does not exist yet when the plan is checked)
 * @param type       the field is a type, not an expression (for the message)
 */
public record ExpressionCheck(String path, String query, boolean syntaxOnly, boolean type) {
    public ExpressionCheck(String path, String query) {
        this(path, query, false, false);
    }

    public ExpressionCheck(String path, String query, boolean syntaxOnly) {
        this(path, query, syntaxOnly, false);
    }

    /** A check of a type: {@code query} fails unless the server knows it. */
    public static ExpressionCheck ofType(String path, String query, boolean syntaxOnly) {
        return new ExpressionCheck(path, query, syntaxOnly, true);
    }
}
