package dev.bascule.bench.ptosc;

import java.util.concurrent.atomic.AtomicLongArray;

/** The loaded rows some client sent an update for (whether it succeeded or not), from many threads. */
final class Touched {
    private final AtomicLongArray bits;

    Touched(long rows) {
        bits = new AtomicLongArray((int) (rows / 64) + 1);
    }

    void add(long id) {
        int word = (int) (id >>> 6);
        long mask = 1L << (id & 63);
        long prev;
        do {
            prev = bits.get(word);
            if ((prev & mask) != 0) return;
        } while (!bits.compareAndSet(word, prev, prev | mask));
    }

    boolean contains(long id) {
        return (bits.get((int) (id >>> 6)) & (1L << (id & 63))) != 0;
    }
}
