package dev.bascule.lint;

import org.junit.jupiter.api.Assumptions;

/**
 * The same facts checked on the server matrix's MySQL 8.0 ({@code BASCULE_TEST_MYSQL8_URL}, else the
 * embedded 8.0.31): the MySQL column of the facts, which {@code lint --dialect mysql} and plan give.
 */
class MySqlDdlFactsOnMySql8Test extends MySqlDdlFactsServerTest {
    @Override
    String url() {
        Assumptions.assumeTrue(dev.bascule.testing.Server.MYSQL_8_0.available(), "MySQL 8.0 left out of bascule.test.servers");
        return dev.bascule.testing.Server.MYSQL_8_0.jdbcUrl();
    }
}
