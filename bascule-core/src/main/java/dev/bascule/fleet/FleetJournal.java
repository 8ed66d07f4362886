package dev.bascule.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bascule.api.BasculeException;
import dev.bascule.api.InputLimits;
import dev.bascule.api.InvalidMigrationException;
import dev.bascule.api.RefusedException;
import dev.bascule.input.InputFiles;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a fleet command has done so far, in a local JSON file rewritten atomically (a temporary file
 * renamed over it) after every member: the phase run ({@code start}, {@code complete},
 * {@code rollback}), the migration, and each member's outcome. A fleet command killed at any point
 * leaves a journal that is whole, so running it again skips the members already done and continues
 * the others (each member's own start, complete or rollback resumes from its own state).
 *
 * <p>Beside it, {@code <journal>.paused} exists while the fleet is paused ({@code fleet pause}), and
 * {@code <journal>.lock} is the file a running fleet command holds an operating-system lock on
 * ({@link #lock()}): the lock goes with the process, so a killed command leaves nothing to clear.
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

    /** The file {@link #lock()} locks. */
    public Path lockFile() {
        return file.resolveSibling(file.getFileName() + ".lock");
    }

    /**
     * Takes the journal for this process: a second fleet command on the same journal (another
     * process, or another thread of this one) is refused at once, exit 3, naming the holder. The
     * lock is the operating system's ({@link FileChannel#tryLock()}), released when the returned
     * handle is closed or the process ends however it ends (a {@code kill -9} included), so a stale
     * lock cannot block a resume; the file itself stays and is harmless.
     */
    public Lock lock() {
        Path lf = lockFile();
        FileChannel ch;
        try {
            ch = FileChannel.open(lf, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new BasculeException("cannot open the fleet journal's lock file " + lf + ": " + e.getMessage(), e);
        }
        FileLock held;
        try {
            held = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            held = null; // this JVM holds it already (another command run in-process)
        } catch (IOException e) {
            close(ch);
            throw new BasculeException("cannot lock " + lf + ": " + e.getMessage(), e);
        }
        if (held == null) {
            String holder = holder(ch);
            close(ch);
            throw new RefusedException("another fleet command is running on the journal " + file
                    + (holder.isEmpty() ? "" : " (" + holder + ")") + "; wait for it to end, or stop it"
                    + " ('bascule fleet pause' stops it beginning members). A killed command's lock goes with its process.");
        }
        try {
            String who = "pid " + ProcessHandle.current().pid() + ", since " + java.time.Instant.now();
            ch.truncate(0);
            ch.write(java.nio.ByteBuffer.wrap(who.getBytes(StandardCharsets.UTF_8)), 0);
        } catch (IOException e) {
            // the lock holds without the note of who holds it
        }
        FileLock lock = held;
        return () -> {
            try {
                lock.release();
            } catch (IOException e) {
                // closing the channel releases it too
            }
            close(ch);
        };
    }

    /** A held journal; closing it lets the next fleet command take it. */
    public interface Lock extends AutoCloseable {
        @Override
        void close();
    }

    private static String holder(FileChannel ch) {
        try {
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(200);
            int n = ch.read(b, 0);
            String s = n <= 0 ? "" : new String(b.array(), 0, n, StandardCharsets.UTF_8).strip();
            return s.matches("pid \\d{1,12}, since [0-9TZ:.\\-]{1,40}") ? "held by " + s : "";
        } catch (IOException e) {
            return "";
        }
    }

    private static void close(FileChannel ch) {
        try {
            ch.close();
        } catch (IOException e) {
            // nothing more to release
        }
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
