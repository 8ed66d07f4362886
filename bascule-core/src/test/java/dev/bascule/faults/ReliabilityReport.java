package dev.bascule.faults;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The trials of a run, summed up per fault kind, printed and written to {@code target/reliability.md}. */
final class ReliabilityReport {
    private final List<Trial> trials = new ArrayList<>();
    private final String command;

    ReliabilityReport(String command) {
        this.command = command;
    }

    synchronized void add(Trial t) {
        trials.add(t);
        System.out.println("[faults] " + t.line());
    }

    synchronized List<String> summary() {
        List<String> lines = new ArrayList<>();
        lines.add("| fault | trials | survived | hit mid-command | rows checked (last trial) | rows lost | rows wrong | reruns needed (total, max) | writer errors |");
        lines.add("|---|---:|---:|---:|---:|---:|---:|---|---:|");
        for (Trial.FaultKind kind : Trial.FaultKind.values()) {
            List<Trial> of = trials.stream().filter(t -> t.kind() == kind).toList();
            if (of.isEmpty()) {
                continue;
            }
            lines.add(String.format("| %s | %d | %d | %d | %,d | %d | %d | %d, %d | %d |", kind.title, of.size(),
                    of.stream().filter(Trial::survived).count(), of.stream().filter(Trial::midCommand).count(),
                    of.get(of.size() - 1).findings().rowsChecked(),
                    of.stream().mapToInt(t -> t.findings().rowsLost()).sum(),
                    of.stream().mapToInt(t -> t.findings().rowsWrong()).sum(),
                    of.stream().mapToInt(Trial::reruns).sum(), of.stream().mapToInt(Trial::reruns).max().orElse(0),
                    of.stream().mapToInt(t -> t.writerErrors().size()).sum()));
        }
        return lines;
    }

    synchronized void write(Path file) throws IOException {
        List<String> out = new ArrayList<>();
        out.add("# Fault injection");
        out.add("");
        out.add("`" + command + "`");
        out.add("");
        out.addAll(summary());
        out.add("");
        out.add("## Trials");
        out.add("");
        out.add("```");
        trials.forEach(t -> out.add(t.line()));
        out.add("```");
        Files.createDirectories(file.getParent());
        Files.write(file, out);
        System.out.println("[faults] summary\n" + String.join("\n", summary()) + "\n[faults] written to " + file.toAbsolutePath());
    }
}
