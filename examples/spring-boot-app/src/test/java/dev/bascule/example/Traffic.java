package dev.bascule.example;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One release's users at work: a few threads signing up, renaming and searching in a loop, each
 * operation its own transaction, every failure counted with its message.
 */
final class Traffic implements AutoCloseable {
    /** What a release's service does; both releases' services fit it. */
    interface Operations {
        long register(String name, String email);

        boolean rename(long id, String name);

        List<String> namesStartingWith(String prefix);
    }

    private final String release;
    private final Operations operations;
    private final SharedIds ids;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong succeeded = new AtomicLong();
    private final AtomicLong inserted = new AtomicLong();
    private final Map<String, AtomicLong> failures = new ConcurrentHashMap<>();
    private final List<Thread> threads = new ArrayList<>();

    Traffic(String release, Operations operations, SharedIds ids, int threadCount) {
        this.release = release;
        this.operations = operations;
        this.ids = ids;
        for (int i = 0; i < threadCount; i++) {
            Thread t = new Thread(this::run, release + "-client-" + i);
            threads.add(t);
            t.start();
        }
    }

    private void run() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        while (running.get()) {
            int pick = random.nextInt(3);
            try {
                if (pick == 0) {
                    String name = release + "-" + random.nextInt(1_000_000);
                    long id = operations.register(name, name + "@" + release + ".example.com");
                    ids.add(id);
                    inserted.incrementAndGet();
                } else if (pick == 1) {
                    operations.rename(ids.any(random), release + "-renamed-" + random.nextInt(1_000_000));
                } else {
                    operations.namesStartingWith(release + "-" + random.nextInt(10));
                }
                succeeded.incrementAndGet();
            } catch (RuntimeException e) {
                String hidden = RollbackOverrides.take();
                String failure = hidden == null ? rootMessage(e) : hidden + " (then the rollback: " + rootMessage(e) + ")";
                failures.computeIfAbsent(failure, k -> new AtomicLong()).incrementAndGet();
            }
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? "" : root.getMessage().lines().findFirst().orElse("");
        return root.getClass().getSimpleName() + ": " + message;
    }

    long succeeded() { return succeeded.get(); }

    long inserted() { return inserted.get(); }

    long failed() {
        return failures.values().stream().mapToLong(AtomicLong::get).sum();
    }

    /** Each distinct failure with how many times it happened. */
    Map<String, Long> failures() {
        Map<String, Long> out = new java.util.TreeMap<>();
        failures.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }

    String summary() {
        return release + ": " + succeeded() + " operations succeeded (" + inserted() + " inserts), " + failed() + " failed"
                + (failures.isEmpty() ? "" : " " + failures());
    }

    /** Stops the clients and waits for their last operation to end. */
    @Override
    public void close() throws InterruptedException {
        running.set(false);
        for (Thread t : threads) {
            t.join();
        }
    }

    /** Ids of users both releases created, for renames to pick from. */
    static final class SharedIds {
        private final List<Long> ids = new ArrayList<>();

        synchronized void add(long id) { ids.add(id); }

        synchronized long any(ThreadLocalRandom random) {
            return ids.isEmpty() ? 1 : ids.get(random.nextInt(ids.size()));
        }
    }
}
