package dev.bascule.fleet;

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
}
