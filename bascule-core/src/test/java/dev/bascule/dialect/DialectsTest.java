package dev.bascule.dialect;

import dev.bascule.dialect.detect.Dialects;
import dev.bascule.Bascule;
import dev.bascule.dialect.mysql.MariaDbDialect;
import dev.bascule.dialect.postgresql.PostgresDialect;
import dev.bascule.testing.MariaDbServer;
import dev.bascule.testing.PostgresServer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Which dialect serves a server, chosen by its URL or by the connection, and how it quotes what it writes into SQL. */
class DialectsTest {
    @Test
    void theDialectIsChosenByUrlAndByTheConnection() {
        assertThat(Dialects.forUrl("jdbc:mariadb://h/db")).get().isInstanceOf(MariaDbDialect.class);
        assertThat(Dialects.forUrl("jdbc:mysql://h/db")).get().isInstanceOf(MariaDbDialect.class);
        assertThat(Dialects.forUrl("jdbc:postgresql://h/db")).get().isInstanceOf(PostgresDialect.class);
        assertThat(Dialects.forUrl("jdbc:sqlserver://h")).isEmpty();
        assertThat(dev.bascule.BasculeInternals.dialect(Bascule.configure().dataSource(MariaDbServer.dataSource()).load())).isInstanceOf(MariaDbDialect.class);
        assertThat(dev.bascule.BasculeInternals.dialect(Bascule.configure().dataSource(PostgresServer.dataSource()).load())).isInstanceOf(PostgresDialect.class);
    }

    @Test
    void anIdentifierIsAlwaysQuoted() {
        Dialect dialect = new MariaDbDialect();
        assertThat(dialect.quote("we`ird")).isEqualTo("`we``ird`");
        assertThat(dialect.literal("it's \\ ok")).isEqualTo("'it''s \\\\ ok'");
    }
}
