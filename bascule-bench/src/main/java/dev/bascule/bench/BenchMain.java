package dev.bascule.bench;

import dev.bascule.bench.ptosc.PtoscBenchmark;
import dev.bascule.bench.traffic.TrafficBenchmark;

import java.util.Arrays;

/**
 * The bench jar's entry point: {@code traffic ...} runs application traffic through a whole
 * migration; {@code ptosc ...} compares Bascule with pt-online-schema-change on MariaDB;
 * {@code fleet ...} compares a fleet run with the same members one after another; anything
 * else is the backfill benchmark's arguments, as before there were several.
 */
public final class BenchMain {
    private BenchMain() {}

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("traffic")) {
            TrafficBenchmark.main(Arrays.copyOfRange(args, 1, args.length));
        } else if (args.length > 0 && args[0].equals("fleet")) {
            FleetBenchmark.main(Arrays.copyOfRange(args, 1, args.length));
        } else if (args.length > 0 && args[0].equals("ptosc")) {
            PtoscBenchmark.main(Arrays.copyOfRange(args, 1, args.length));
        } else {
            BackfillBenchmark.main(args);
        }
    }
}
