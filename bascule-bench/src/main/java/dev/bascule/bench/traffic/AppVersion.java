package dev.bascule.bench.traffic;

/**
 * The statements one version of the application sends to {@code accounts}: the old code knows
 * {@code visits} as an int and has no {@code email_lower}; the new code writes {@code email_lower}
 * itself (it computes it, as code that owns a derived column does) and reads both.
 *
 * @param update parameters: the new e-mail, then (new code) its lower case, then the id
 */
public record AppVersion(String name, String insert, String update, String read, boolean writesEmailLower) {

    public static final AppVersion OLD = new AppVersion("old",
            "INSERT INTO accounts (email, visits, payload) VALUES (?, 0, ?)",
            "UPDATE accounts SET visits = visits + 1, email = ? WHERE id = ?",
            "SELECT id, email, visits, payload FROM accounts WHERE id = ?",
            false);

    public static final AppVersion NEW = new AppVersion("new",
            "INSERT INTO accounts (email, email_lower, visits, payload) VALUES (?, ?, 0, ?)",
            "UPDATE accounts SET visits = visits + 1, email = ?, email_lower = ? WHERE id = ?",
            "SELECT id, email, email_lower, visits, payload FROM accounts WHERE id = ?",
            true);
}
