package dev.bascule.bench.traffic;

import org.HdrHistogram.Histogram;

/** Latency of the operations of one kind that succeeded, in milliseconds, and how many failed. */
public record OpStats(long count, double p50, double p99, double max, long errors) {

    public static OpStats of(Histogram micros, long errors) {
        if (micros.getTotalCount() == 0) {
            return new OpStats(0, 0, 0, 0, errors);
        }
        return new OpStats(micros.getTotalCount(), micros.getValueAtPercentile(50) / 1000.0,
                micros.getValueAtPercentile(99) / 1000.0, micros.getMaxValue() / 1000.0, errors);
    }
}
