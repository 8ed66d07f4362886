package dev.bascule.lint;

import org.junit.jupiter.api.Assumptions;

/**
 * The same facts checked on the server matrix's MariaDB 11.4 ({@code BASCULE_TEST_MARIADB114_URL}, else
 * embedded), where a table copy no longer blocks writes: {@code ALGORITHM=COPY, LOCK=NONE} since 11.2.
 */
class MySqlDdlFactsOnMariaDb114Test extends MySqlDdlFactsServerTest {
    @Override
    String url() {
        Assumptions.assumeTrue(dev.bascule.testing.Server.MARIADB_11_4.available(),
                "MariaDB 11.4 left out of bascule.test.servers");
        return dev.bascule.testing.Server.MARIADB_11_4.jdbcUrl();
    }
}
