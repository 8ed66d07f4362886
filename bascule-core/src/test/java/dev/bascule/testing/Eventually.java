package dev.bascule.testing;

/** Waiting for something another thread or process does, without sleeping longer than it takes. */
public final class Eventually {
    public interface Condition {
        boolean holds() throws Exception;
    }

    private Eventually() {}

    /** Polls {@code condition} every 20 ms until it holds; fails after 20 s. */
    public static void waitFor(Condition condition) throws Exception {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!condition.holds()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not reached in 20 s");
            }
            Thread.sleep(20);
        }
    }
}
