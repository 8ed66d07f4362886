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
        j.load();
        return j;
    }

    /**
     * (Re)reads the file: at open, and again once the lock is held, so that a command that waited
     * for another sees what that one did. A journal edited by hand is checked field by field (exit 2).
     */
    private synchronized void load() {
        action = null;
        migration = null;
        states.clear();
        errors.clear();
        if (!Files.exists(file)) {
            return;
        }
        String name = file.toString();
        String restart = "; delete it to start the fleet's phase over (each member keeps its own state)";
        byte[] bytes = InputFiles.read(file, InputLimits.DEFAULT);
        JsonNode root;
        try {
            root = JSON.readTree(bytes);
        } catch (IOException e) {
            throw new InvalidMigrationException(name, 1, 1, "", "the fleet journal is not valid JSON" + restart);
        }
        if (root == null || root.isMissingNode()) {
            throw new InvalidMigrationException(name, 1, 1, "", "the fleet journal is empty" + restart);
        }
        if (!root.isObject()) {
            throw new InvalidMigrationException(name, 1, 1, "", "the fleet journal is not a JSON object" + restart);
        }
        action = text(name, root, "", "action", restart);
        if (action != null && !ACTIONS.contains(action)) {
            throw new InvalidMigrationException(name, 1, 1, "action", "expected one of " + String.join(", ", ACTIONS) + restart);
        }
        migration = text(name, root, "", "migration", restart);
        JsonNode ms = root.path("members");
        if (!ms.isMissingNode() && !ms.isNull() && !ms.isObject()) {
            throw new InvalidMigrationException(name, 1, 1, "members", "expected an object of member: {state, error}" + restart);
        }
        for (java.util.Iterator<Map.Entry<String, JsonNode>> it = ms.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String field = "members." + (e.getKey().matches("[A-Za-z0-9_./:-]{1,200}") ? e.getKey() : "(member)");
            if (!e.getValue().isObject()) {
                throw new InvalidMigrationException(name, 1, 1, field, "expected {state, error}" + restart);
            }
            String state = text(name, e.getValue(), field + ".", "state", restart);
            if (state != null && !STATES.contains(state)) {
                throw new InvalidMigrationException(name, 1, 1, field + ".state", "expected one of done, failed, running, or \"\"" + restart);
            }
            states.put(e.getKey(), state == null ? "" : state);
            String error = text(name, e.getValue(), field + ".", "error", restart);
            if (error != null) {
                errors.put(e.getKey(), error);
            }
        }
    }

    private static final java.util.List<String> ACTIONS = java.util.List.of("start", "complete", "rollback");
    private static final java.util.Set<String> STATES = java.util.Set.of("", DONE, FAILED, RUNNING);

    private static String text(String file, JsonNode parent, String prefix, String key, String restart) {
        JsonNode n = parent.get(key);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual()) {
            throw new InvalidMigrationException(file, 1, 1, prefix + key, "expected text" + restart);
        }
        return n.asText();
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
        try {
            load();
        } catch (RuntimeException e) {
            release(held, ch);
            throw e;
        }
        FileLock lock = held;
        return () -> release(lock, ch);
    }

    private static void release(FileLock lock, FileChannel ch) {
        try {
            lock.release();
        } catch (IOException e) {
            // closing the channel releases it too
        }
        close(ch);
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
