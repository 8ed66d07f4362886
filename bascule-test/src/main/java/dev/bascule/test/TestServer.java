package dev.bascule.test;

/** The servers {@link BasculeTest} can start or reach. */
public enum TestServer {
    POSTGRESQL("postgresql"),
    MARIADB("mariadb");

    private final String property;

    TestServer(String property) {
        this.property = property;
    }

    /** The system property naming this server's JDBC URL ({@code bascule.test.postgresql.url}). */
    public String urlProperty() {
        return property("url");
    }

    /** The system property of one of this server's settings: {@code url}, {@code user}, {@code password}. */
    public String property(String setting) {
        return "bascule.test." + property + "." + setting;
    }

    /** The environment variable naming this server's JDBC URL ({@code BASCULE_TEST_POSTGRESQL_URL}). */
    public String urlVariable() {
        return "BASCULE_TEST_" + name() + "_URL";
    }
}
