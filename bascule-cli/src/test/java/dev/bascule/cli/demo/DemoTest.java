package dev.bascule.cli.demo;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class DemoTest {
    @Test
    void migratesUnderTrafficWithoutAnyClientError() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int code;
        long t0 = System.nanoTime();
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            code = Demo.run(out);
        }
        long seconds = (System.nanoTime() - t0) / 1_000_000_000L;
        String output = bytes.toString(StandardCharsets.UTF_8);
        System.out.println(output); // kept in the surefire report

        assertThat(code).as(output).isEqualTo(0);
        assertThat(output).contains("No client saw an error.")
                .doesNotContain("FAILED")
                // start steps
                .contains("add column customers.email_domain")
                .contains("sync trigger on customers")
                .contains("backfill customers")
                .contains("build index customers_email_domain_idx")
                .contains("create version schema public_0001_customers_v2")
                // complete steps
                .contains("drop sync trigger on customers")
                .contains("rename column customers.name to full_name")
                .contains("set customers.email_domain not null")
                // how to run it for real, and the checks
                .contains("./bascule --url jdbc:postgresql://")
                .contains("SET search_path = public_0001_customers_v2, public")
                // old code on the baseline's version from the start, dropped by complete
                .contains("old clients use SET search_path = public_baseline, public")
                .contains("drop previous version schema public_baseline")
                .contains("[ok] email_domain = split_part(email, '@', 2) in every row")
                .contains("[ok] column email_domain is NOT NULL")
                .contains("[ok] index customers_email_domain_idx exists and is valid")
                .contains("[ok] column full_name exists and column name is gone");
        assertThat(output.lines().count()).as("lines of output").isLessThanOrEqualTo(64);
        assertThat(seconds).as("seconds").isLessThan(60);
    }
}
