package dev.bascule.spring;

import dev.bascule.testing.Server;
import dev.bascule.testing.TestDb;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

/** The starter on MariaDB: the pool's connections in the version database, with {@code @bascule_version}. */
class BasculeAutoConfigurationMariaDbTest {
    private final TestDb db = Server.MARIADB.get();

    @AfterEach
    void drop() {
        db.close();
    }

    private ApplicationContextRunner app(String... properties) {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class, BasculeAutoConfiguration.class))
                .withPropertyValues("spring.datasource.url=" + Server.MARIADB.jdbcUrl(),
                        "spring.datasource.hikari.maximum-pool-size=2",
                        "bascule.schema=" + db.name(), "bascule.state-schema=" + db.stateSchema(),
                        "bascule.quiet-time=0s")
                .withPropertyValues(properties);
    }

    @Test
    void thePoolsConnectionsUseTheVersionDatabaseAndSayTheirVersion() {
        app("bascule.locations=classpath:db/release1").run(context -> assertThat(context).hasNotFailed());
        app("bascule.locations=classpath:db/release1,classpath:db/release2", "bascule.mode=expand").run(context -> {
            assertThat(context).hasNotFailed();
            String version = db.name() + "_0002_users_full_name";
            try (Connection c = context.getBean(DataSource.class).getConnection(); Statement s = c.createStatement()) {
                try (ResultSet rs = s.executeQuery("SELECT DATABASE(), @bascule_version")) {
                    rs.next();
                    assertThat(rs.getString(1)).isEqualTo(version);
                    assertThat(rs.getString(2)).isEqualTo(version);
                }
                s.execute("INSERT INTO users (id, full_name) VALUES (1, 'Ada')");
            }
            // the started rename: the base table still has the old name, the new version's write is there
            assertThat(db.value("SELECT name FROM users WHERE id = 1")).isEqualTo("Ada");
        });
    }
}
