package dev.bascule.bench.traffic;

/**
 * What a client runs and where: a version of the application's statements and the search_path
 * its connection sets (SQL, identifiers quoted). Deploying a client means handing it a new one.
 */
public record Assignment(AppVersion version, String searchPath, String label) {

    public static Assignment of(AppVersion version, String... schemas) {
        StringBuilder path = new StringBuilder();
        for (String s : schemas) {
            if (path.length() > 0) path.append(", ");
            path.append('"').append(s.replace("\"", "\"\"")).append('"');
        }
        return new Assignment(version, path.toString(), version.name() + " code on " + String.join(", ", schemas));
    }
}
