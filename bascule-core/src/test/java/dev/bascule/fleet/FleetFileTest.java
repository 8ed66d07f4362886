package dev.bascule.fleet;

import dev.bascule.api.InputLimits;
import dev.bascule.api.InvalidMigrationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Hostile fleet files: each refused (exit 2) naming file, line and field, before any database is opened. */
class FleetFileTest {
    @TempDir
    Path dir;

    private FleetSpec read(String yaml) throws IOException {
        Path f = dir.resolve("fleet.yaml");
        Files.writeString(f, yaml);
        return FleetFile.read(f, InputLimits.DEFAULT);
    }

    private void refused(String yaml, String... parts) {
        assertThatThrownBy(() -> read(yaml)).as(yaml).isInstanceOf(InvalidMigrationException.class)
                .satisfies(e -> assertThat(e.getMessage()).contains(parts).doesNotContain("hunter2"));
    }

    @Test
    void aCanaryLargerThanTheListedFleetIsRefused() throws Exception {
        refused("members:\n  - jdbc:postgresql://h/a\n  - jdbc:postgresql://h/b\ncanary: 3\n",
                "fleet.yaml:4:9: canary", "3 members", "2");
        // as large as the fleet is allowed (one member, canary 1); with a query the count is checked once it has run
        assertThat(read("members:\n  - jdbc:postgresql://h/a\ncanary: 1\n").canary(1)).isEqualTo(1);
        assertThat(read("query: select url from tenants\ncanary: 50\n").canaryCount()).isEqualTo(50);
    }

    @Test
    void theSameDatabaseOrStateSchemaUnderTwoNamesIsRefused() {
        refused("members:\n  - {url: jdbc:postgresql://h/db, name: a}\n  - {url: \"jdbc:postgresql://H/db?ssl=false\", name: b}\n",
                "fleet.yaml:3:5: members[1]", "the same database", "members[0]");
        refused("members:\n  - {url: jdbc:postgresql://h/db, schema: t1, name: a}\n  - {url: jdbc:postgresql://h/db, schema: t1, name: b}\n",
                "members[1]", "members[0]");
        // two tenants of one database sharing one state schema would overwrite each other's state
        refused("members:\n  - {url: jdbc:postgresql://h/db, schema: t1, state_schema: st}\n"
                + "  - {url: jdbc:postgresql://h/db, schema: t2, state_schema: st}\n", "members[1]", "state schema", "members[0]");
    }

    @Test
    void aSchemaMemberOfOneDatabaseIsNotTheWholeDatabase() throws Exception {
        // the database itself (its default schema and state schema) and a tenant schema of it are two members
        assertThat(read("members:\n  - jdbc:postgresql://h/db\n  - {url: jdbc:postgresql://h/db, schema: t1}\n").members()).hasSize(2);
    }

    @Test
    void credentialsInAnyParameterOfAMemberUrlAreRefused() {
        for (String url : new String[] {"jdbc:postgresql://h/db?sslpassword=hunter2", "jdbc:mariadb://h/db?trustStorePassword=hunter2",
                "jdbc:mariadb://h/db?keyStorePassword=hunter2", "jdbc:postgresql://h/db?ssl=true&USER=x&Password=hunter2",
                "jdbc:mysql://h/db;password=hunter2", "jdbc:postgresql://h/db?pwd=hunter2"}) {
            refused("members:\n  - " + url + "\n", "fleet.yaml:2:5: members[0]", "credentials in the fleet file are refused");
        }
    }

    @Test
    void controlCharactersInAMemberUrlAreRefusedSoNoNameCanDriveTheTerminal() {
        // YAML's "\e" is ESC: a member named by its URL would redraw the operator's terminal
        refused("members:\n  - \"jdbc:postgresql://h/db\\e[2J\"\n", "fleet.yaml:2:5: members[0]", "not a PostgreSQL");
        refused("members:\n  - \"jdbc:postgresql://h/db\\u0007\"\n", "members[0]");
        assertThat(FleetFile.urlProblem("jdbc:postgresql://h/db\u001b]0;x\u0007")).isNotNull();
    }
}
