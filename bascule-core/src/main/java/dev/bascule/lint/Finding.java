package dev.bascule.lint;

/** One rule firing on one statement. */
public record Finding(String file, int line, Rule rule, String statement) {
    public String message() {
        return rule.problem() + "; instead: " + rule.instead();
    }
}
