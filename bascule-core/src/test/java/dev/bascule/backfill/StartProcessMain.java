package dev.bascule.backfill;

import dev.bascule.Bascule;
import dev.bascule.api.BackfillOptions;
import org.postgresql.ds.PGSimpleDataSource;

import java.nio.file.Path;
import java.time.Duration;

/** Runs {@code start} in a JVM of its own, so a test can kill it with SIGKILL midway. */
public final class StartProcessMain {
    public static void main(String[] args) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(args[0]);
        Bascule.configure().dataSource(ds).schema(args[1]).stateSchema(args[2])
                .backfill(BackfillOptions.defaults().withBatchSize(Integer.parseInt(args[4]))
                        .withBatchDelay(Duration.ofMillis(Long.parseLong(args[5]))))
                .load()
                .start(Bascule.read(Path.of(args[3])));
    }
}
