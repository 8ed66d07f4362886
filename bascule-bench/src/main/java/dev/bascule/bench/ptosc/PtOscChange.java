package dev.bascule.bench.ptosc;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * pt-online-schema-change with its defaults (chunks sized toward 0.5 s, its own load checks on
 * Threads_running), told only what it needs to run unattended on a server without replicas:
 * {@code --recursion-method none} and {@code --no-version-check} (which would call percona.com).
 * Its copy is timed by the lines it prints as it begins and ends it, read as they come (it flushes
 * each line).
 */
record PtOscChange(MariaDbServer server, String executable) implements SchemaChange {
    static final String ALTER = "MODIFY amount BIGINT NOT NULL";
    private static final Pattern COPYING = Pattern.compile("Copying approximately (\\d+) rows");

    @Override
    public String name() {
        return "pt-online-schema-change";
    }

    List<String> command(String dsn) {
        return List.of(executable, "--alter", ALTER, "--execute", "--recursion-method", "none", "--no-version-check", dsn);
    }

    @Override
    public String run(OrdersTable table, CopyPhase copy) throws Exception {
        List<Path> cleanup = new ArrayList<>();
        try {
            ProcessBuilder pb = new ProcessBuilder(command(server.ptoscDsn(table.database(), OrdersTable.NAME, cleanup)))
                    .redirectErrorStream(true);
            Process p = pb.start();
            List<String> output = new ArrayList<>();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    Matcher m = COPYING.matcher(line);
                    if (m.find()) copy.started();
                    if (line.contains("Copied rows OK.")) copy.finished();
                    output.add(line);
                }
            }
            int exit = p.waitFor();
            if (exit != 0 || !copy.seen()) {
                throw new IllegalStateException("pt-online-schema-change exited with " + exit + ": "
                        + String.join(" / ", output.subList(Math.max(0, output.size() - 6), output.size())));
            }
            return "exit 0, " + output.stream().filter(l -> l.startsWith("Successfully altered")).findFirst()
                    .map(l -> l.endsWith(".") ? l.substring(0, l.length() - 1) : l).orElse("no success line");
        } finally {
            for (Path f : cleanup) Files.deleteIfExists(f);
        }
    }
}
