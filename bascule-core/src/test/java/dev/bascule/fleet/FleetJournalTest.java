package dev.bascule.fleet;

import dev.bascule.api.InvalidMigrationException;
import dev.bascule.api.RefusedException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The journal's lock within one process (across processes: FleetCommandTest and FleetProofTest, with a real second process). */
class FleetJournalTest {
    @TempDir
    Path dir;

    @Test
    void oneHolderAtATimeAndTheNextTakesItOnceReleased() throws Exception {
        Path file = dir.resolve("fleet.yaml.journal.json");
        FleetJournal first = FleetJournal.open(file);
        try (FleetJournal.Lock held = first.lock()) {
            assertThat(Files.readString(first.lockFile())).startsWith("pid " + ProcessHandle.current().pid() + ", since ");
            assertThatThrownBy(() -> FleetJournal.open(file).lock())
                    .isInstanceOf(RefusedException.class)
                    .hasMessageContaining("another fleet command is running on the journal " + file)
                    .hasMessageContaining("held by pid " + ProcessHandle.current().pid());
        }
        try (FleetJournal.Lock again = FleetJournal.open(file).lock()) {
            assertThat(first.lockFile()).exists();
        }
    }

    @Test
    void aLockFileWithoutItsLockIsNoObstacle() throws Exception {
        Path file = dir.resolve("j.json");
        // what a killed command leaves: the file, with its note, and no lock
        Files.writeString(dir.resolve("j.json.lock"), "pid 999999, since 2026-01-01T00:00:00Z");
        try (FleetJournal.Lock held = FleetJournal.open(file).lock()) {
            assertThat(Files.readString(dir.resolve("j.json.lock"))).startsWith("pid " + ProcessHandle.current().pid());
        }
    }

    @Test
    void takingTheLockReadsTheJournalAfreshSoACommandThatWaitedSeesWhatTheHolderDid() throws Exception {
        Path file = dir.resolve("j.json");
        FleetJournal waited = FleetJournal.open(file); // read before the other command ran
        FleetJournal other = FleetJournal.open(file);
        try (FleetJournal.Lock held = other.lock()) {
            other.begin("start", "0001_a");
            other.record("t1", FleetJournal.DONE, null);
        }
        try (FleetJournal.Lock held = waited.lock()) {
            assertThat(waited.action()).isEqualTo("start");
            assertThat(waited.migration()).isEqualTo("0001_a");
            assertThat(waited.state("t1")).isEqualTo(FleetJournal.DONE);
        }
    }

    @Test
    void aHandEditedJournalWithWrongTypesIsExitTwoNamingItsField() throws Exception {
        Path file = dir.resolve("j.json");
        String[][] cases = {
                {"{\"action\": 5, \"migration\": \"m\", \"members\": {}}", "action"},
                {"{\"action\": \"deploy\", \"migration\": \"m\", \"members\": {}}", "action"},
                {"{\"action\": \"start\", \"migration\": {\"x\": 1}, \"members\": {}}", "migration"},
                {"{\"action\": \"start\", \"migration\": \"m\", \"members\": [\"a\"]}", "members"},
                {"{\"action\": \"start\", \"migration\": \"m\", \"members\": {\"a\": {\"state\": \"finished\"}}}", "members.a.state"},
                {"{\"action\": \"start\", \"migration\": \"m\", \"members\": {\"a\": \"done\"}}", "members.a"},
                {"{\"action\": \"start\", \"migr", "not valid JSON"},
                {"", "empty"}};
        for (String[] c : cases) {
            Files.writeString(file, c[0]);
            assertThatThrownBy(() -> FleetJournal.open(file)).as(c[0]).isInstanceOf(InvalidMigrationException.class)
                    .hasMessageContaining(file.toString()).hasMessageContaining(c[1]);
        }
    }
}
