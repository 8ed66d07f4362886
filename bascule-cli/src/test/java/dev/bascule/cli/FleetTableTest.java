package dev.bascule.cli;

import dev.bascule.fleet.Fleet;
import dev.bascule.fleet.FleetMember;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The fleet's table prints what members' databases say (errors, throttle reasons): never a control character. */
class FleetTableTest {
    @Test
    void aMembersErrorOrThrottleReasonCannotDriveTheTerminal() {
        FleetMember m = FleetMember.of("jdbc:postgresql://h/tenant_01", null, null);
        Fleet.MemberStatus s = new Fleet.MemberStatus(m, "0001_a", "starting", 5, 10, 1.5, Duration.ofSeconds(3),
                "lag \u001b[2J\u001b]0;pwned\u0007high", false, false, "running", "value \u001b[31mred\u001b[0m\r rewritten");
        String table = FleetCommand.table(FleetTable.rows(List.of(s), x -> x));
        assertThat(table).doesNotContain("\u001b").doesNotContain("\u0007").doesNotContain("\r");
        assertThat(table).contains("tenant_01").contains("red");
    }
}
