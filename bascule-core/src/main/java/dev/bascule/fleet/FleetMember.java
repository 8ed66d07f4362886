package dev.bascule.fleet;

/**
 * One member of a fleet: a database (its JDBC URL, without credentials), or one schema of it
 * (schema-per-tenant). Each member keeps its own migration state in its own database, in
 * {@code stateSchema}, so that it can also be driven alone with the ordinary commands.
 *
 * @param name        how reports and the journal name it: unique within the fleet
 * @param url         JDBC URL; the user and password come from the command's options or environment
 * @param schema      the application's schema, or null for the command's (by default the dialect's)
 * @param stateSchema where its state is kept, or null for the command's (a schema member's default is
 *                    {@code bascule_<schema>}: members sharing a database must not share a state schema)
 */
public record FleetMember(String name, String url, String schema, String stateSchema) {
    /** A member named by its URL's database and, when set, its schema. */
    public static FleetMember of(String url, String schema, String stateSchema) {
        String path = url.replaceFirst("\\?.*$", "");
        String db = path.substring(path.lastIndexOf('/') + 1);
        String name = db.isEmpty() ? path : db;
        return new FleetMember(schema == null ? name : name + "/" + schema, url, schema,
                stateSchema != null ? stateSchema : schema == null ? null : "bascule_" + schema);
    }

    /** The server it lives on, {@code host:port} as the URL gives it (members sharing one share its connection limit). */
    public String server() {
        String rest = url.replaceFirst("(?i)^jdbc:[a-z]+://", "");
        int end = rest.length();
        for (char c : new char[] {'/', '?'}) {
            int i = rest.indexOf(c);
            if (i >= 0) {
                end = Math.min(end, i);
            }
        }
        return rest.substring(0, end).toLowerCase(java.util.Locale.ROOT);
    }
}
