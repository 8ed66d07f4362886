package dev.bascule.cli;

import dev.bascule.api.HistoryEntry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

@Command(name = "history", mixinStandardHelpOptions = true,
        description = "List the migrations started, completed or rolled back: who, when, checksum.")
final class HistoryCommand extends BaseCommand {
    @Option(names = "--json", description = "print the history as JSON")
    boolean json;

    @Override
    public Integer call() {
        List<HistoryEntry> history = bascule().history();
        io().out(json ? Formats.json(toJson(history)) : text(history));
        return 0;
    }

    static String text(List<HistoryEntry> history) {
        if (history.isEmpty()) {
            return "no migrations yet";
        }
        int nameWidth = Math.max(4, history.stream().mapToInt(h -> h.name().length()).max().orElse(4));
        int byWidth = Math.max(7, history.stream().mapToInt(h -> h.appliedBy() == null ? 1 : h.appliedBy().length()).max().orElse(7));
        int schemaWidth = Math.max(6, history.stream().mapToInt(h -> h.schema().length()).max().orElse(6));
        String format = "%-" + nameWidth + "s  %-" + schemaWidth + "s  %-12s  %-" + byWidth + "s  %-26s  %-26s  %s";
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, format, "NAME", "SCHEMA", "PHASE", "APPLIED", "STARTED",
                "COMPLETED / ROLLED BACK", "CHECKSUM").stripTrailing());
        for (HistoryEntry h : history) {
            String ended = h.completedAt() != null ? Formats.time(h.completedAt())
                    : h.rolledBackAt() != null ? Formats.time(h.rolledBackAt()) : "-";
            sb.append('\n').append(String.format(Locale.ROOT, format, h.name(), h.schema(), h.phase(),
                    h.appliedBy() == null ? "-" : h.appliedBy(), Formats.time(h.startedAt()), ended,
                    h.checksum() == null ? "-" : h.checksum().substring(0, Math.min(12, h.checksum().length()))).stripTrailing());
            if (h.isBaseline()) {
                sb.append("  (baseline" + (h.baseline().isEmpty() ? "" : "; adopted " + h.baseline()) + ")");
            }
            if (!h.forcedGates().isEmpty()) {
                sb.append("  (forced gates: ").append(String.join(", ", h.forcedGates())).append(')');
            }
        }
        return sb.toString();
    }

    static List<Object> toJson(List<HistoryEntry> history) {
        List<Object> list = new ArrayList<>();
        for (HistoryEntry h : history) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", h.name());
            m.put("schema", h.schema());
            m.put("phase", h.phase());
            m.put("checksum", h.checksum());
            m.put("applied_by", h.appliedBy());
            m.put("started_at", Formats.isoTime(h.startedAt()));
            m.put("completed_at", Formats.isoTime(h.completedAt()));
            m.put("rolled_back_at", Formats.isoTime(h.rolledBackAt()));
            m.put("forced_gates", h.forcedGates());
            if (h.isBaseline()) {
                m.put("baseline", true);
                m.put("adopted", h.baseline().isEmpty() ? null : h.baseline());
            }
            list.add(m);
        }
        return list;
    }
}
