/**
 * Bascule's library: the facade {@code dev.bascule.Bascule} and the values it takes and returns
 * ({@code dev.bascule.api}). Everything else (planning, dialects, state, backfill, rehearsal) is an
 * implementation detail that may change between releases, so it is not exported.
 */
module dev.bascule.core {
    exports dev.bascule;
    exports dev.bascule.api;
    exports dev.bascule.fleet;

    requires transitive java.sql;
    requires java.net.http;
    requires org.postgresql.jdbc;
    requires org.mariadb.jdbc;
    requires com.fasterxml.jackson.databind;
    requires com.fasterxml.jackson.dataformat.yaml;
    requires org.yaml.snakeyaml;
    requires org.slf4j;
    requires HdrHistogram;

    // Jackson reads and writes these records by reflection: a stored plan, gate evidence, baseline
    // and deprecation markers
    opens dev.bascule.api to com.fasterxml.jackson.databind;
    opens dev.bascule.plan to com.fasterxml.jackson.databind;
    opens dev.bascule.step to com.fasterxml.jackson.databind;
    opens dev.bascule.command to com.fasterxml.jackson.databind;
    opens dev.bascule.safety to com.fasterxml.jackson.databind;
    opens dev.bascule.deprecation to com.fasterxml.jackson.databind;
}
