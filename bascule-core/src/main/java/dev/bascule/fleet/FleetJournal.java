package dev.bascule.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bascule.api.BasculeException;
import dev.bascule.api.InputLimits;
import dev.bascule.api.InvalidMigrationException;
import dev.bascule.input.InputFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a fleet command has done so far, in a local JSON file rewritten atomically (a temporary file
 * renamed over it) after every member: the phase run ({@code start}, {@code complete},
 * {@code rollback}), the migration, and each member's outcome. A fleet command killed at any point
 * leaves a journal that is whole, so running it again skips the members already done and continues
 * the others (each member's own start, complete or rollback resumes from its own state).
 *
 * <p>Beside it, {@code <journal>.paused} exists while the fleet is paused ({@code fleet pause}).
 */
public final class FleetJournal {
    public static final String DONE = "done";
    public static final String FAILED = "failed";
    public static final String RUNNING = "running";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private String action;
    private String migration;
    private final Map<String, String> states = new LinkedHashMap<>();
    private final Map<String, String> errors = new LinkedHashMap<>();

    private FleetJournal(Path file) {
        this.file = file;
    }

    /** The journal at {@code file}, empty when there is none yet. */
    public static FleetJournal open(Path file) {
        FleetJournal j = new FleetJournal(file);
        if (Files.exists(file)) {
            JsonNode root;
            try {
                root = JSON.readTree(InputFiles.read(file, InputLimits.DEFAULT));
            } catch (IOException e) {
                throw new InvalidMigrationException(file.toString(), 1, 1, "", "the fleet journal is not valid JSON;"
                        + " delete it to start the fleet's phase over (each member keeps its own state)");
            }
            if (root == null || !root.isObject()) {
                throw new InvalidMigrationException(file.toString(), 1, 1, "", "the fleet journal is not a JSON object");
            }
            j.action = root.path("action").asText(null);
            j.migration = root.path("migration").asText(null);
            root.path("members").fields().forEachRemaining(e -> {
                j.states.put(e.getKey(), e.getValue().path("state").asText(""));
                if (e.getValue().hasNonNull("error")) {
                    j.errors.put(e.getKey(), e.getValue().path("error").asText());
                }
            });
        }
        return j;
    }

    /** The default journal of a fleet file: {@code <fleet file>.journal.json} beside it. */
    public static Path besides(Path fleetFile) {
        return fleetFile.resolveSibling(fleetFile.getFileName() + ".journal.json");
    }

    public Path file() {
        return file;
    }

    public synchronized String action() {
        return action;
    }

    public synchronized String migration() {
        return migration;
    }

    public synchronized String state(String member) {
        return states.get(member);
    }

    public synchronized String error(String member) {
        return errors.get(member);
    }

    /** Whether every one of {@code members} is done in the current phase. */
    public synchronized boolean allDone(Iterable<FleetMember> members) {
        for (FleetMember m : members) {
            if (!DONE.equals(states.get(m.name()))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Begins {@code action} of {@code migration}: when the journal holds the same, it goes on (done
     * members stay done, failed ones are tried again); otherwise it is started over.
     */
    public synchronized void begin(String action, String migration) {
        if (action.equals(this.action) && java.util.Objects.equals(migration, this.migration)) {
            states.replaceAll((k, v) -> DONE.equals(v) ? v : "");
            errors.clear();
        } else {
            this.action = action;
            this.migration = migration;
            states.clear();
            errors.clear();
        }
        write();
    }

    public synchronized void record(String member, String state, String error) {
        states.put(member, state);
        if (error == null) {
            errors.remove(member);
        } else {
            errors.put(member, error);
        }
        write();
    }

    public Path pauseMarker() {
        return file.resolveSibling(file.getFileName() + ".paused");
    }

    public boolean paused() {
        return Files.exists(pauseMarker());
    }

    public void setPaused(boolean paused) {
        try {
            if (paused) {
                if (!Files.exists(pauseMarker())) {
                    Files.writeString(pauseMarker(), "paused by 'bascule fleet pause'\n");
                }
            } else {
                Files.deleteIfExists(pauseMarker());
            }
        } catch (IOException e) {
            throw new BasculeException("cannot " + (paused ? "write " : "remove ") + pauseMarker() + ": " + e.getMessage());
        }
    }

    private void write() {
        ObjectNode root = JSON.createObjectNode();
        root.put("action", action);
        root.put("migration", migration);
        ObjectNode ms = root.putObject("members");
        states.forEach((k, v) -> {
            ObjectNode m = ms.putObject(k);
            m.put("state", v);
            if (errors.containsKey(k)) {
                m.put("error", errors.get(k));
            }
        });
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            Files.write(tmp, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new BasculeException("cannot write the fleet journal " + file + ": " + e.getMessage(), e);
        }
    }
}
