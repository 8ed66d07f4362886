package dev.bascule.lint;

import dev.bascule.sql.SqlSyntax;

/** One rule firing on one statement, in the dialect the script was read as (which chooses the rule's text). */
public record Finding(String file, int line, Rule rule, String statement, SqlSyntax dialect) {
    /** A finding in a PostgreSQL script. */
    public Finding(String file, int line, Rule rule, String statement) {
        this(file, line, rule, statement, SqlSyntax.POSTGRESQL);
    }

    private Rule.Text text() {
        return rule.text(dialect).orElseThrow(() -> new IllegalStateException(rule.id() + " has no " + dialect + " text"));
    }

    public Rule.Severity severity() {
        return text().severity();
    }

    public String problem() {
        return text().problem();
    }

    public String instead() {
        return text().instead();
    }

    public String message() {
        return problem() + "; instead: " + instead();
    }
}
