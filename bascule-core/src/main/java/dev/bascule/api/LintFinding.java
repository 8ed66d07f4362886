package dev.bascule.api;

/**
 * A lint rule firing on one statement.
 *
 * @param file      the file as it was given
 * @param line      the statement's first line
 * @param rule      the rule's id ({@code add-column-default-volatile}, ...)
 * @param dialect   the SQL the statement was read as: {@code postgresql} or {@code mysql}
 * @param problem   what the statement does to a live database
 * @param instead   the safe way to do it
 * @param statement the statement, cut to at most 120 characters
 */
public record LintFinding(String file, int line, String rule, Severity severity, String dialect, String problem,
                          String instead, String statement) {
    /** An error fails {@code bascule lint} (exit 3); a warning is reported only. */
    public enum Severity { ERROR, WARNING }

    public String message() {
        return problem + "; instead: " + instead;
    }
}
