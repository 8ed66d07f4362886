package dev.bascule.cli;

import dev.bascule.api.VerifyResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Check every row of the tables the started migration changes: each new value must be what the",
                "migration's 'up' gives for the old one (or, for rows new code wrote, the old value what 'down' gives).",
                "Read-only, in short batches. complete runs the same check as its 'verified' gate.",
                "Exit 3 when a row differs."})
final class VerifyCommand extends BaseCommand {
    @Option(names = "--json", description = "print the results as JSON")
    boolean json;

    @Override
    public Integer call() {
        List<VerifyResult> results = bascule().verify();
        io().out(json ? Formats.json(toJson(results)) : text(results));
        return results.stream().allMatch(VerifyResult::ok) ? 0 : 3;
    }

    static String text(List<VerifyResult> results) {
        if (results.isEmpty()) {
            return "nothing to verify";
        }
        StringBuilder sb = new StringBuilder();
        for (VerifyResult r : results) {
            if (!sb.isEmpty()) sb.append('\n');
            sb.append(r.table()).append(": ").append(r.rowsChecked()).append(" rows checked, ");
            if (r.ok()) {
                sb.append("all match");
            } else {
                sb.append(r.mismatched()).append(" differ");
                r.examples().forEach(e -> sb.append("\n  key ").append(e));
                if (r.mismatched() > r.examples().size()) {
                    sb.append("\n  ... and ").append(r.mismatched() - r.examples().size()).append(" more");
                }
            }
        }
        return sb.toString();
    }

    static List<Object> toJson(List<VerifyResult> results) {
        List<Object> list = new ArrayList<>();
        for (VerifyResult r : results) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("table", r.table());
            m.put("rows_checked", r.rowsChecked());
            m.put("mismatched", r.mismatched());
            m.put("examples", r.examples());
            list.add(m);
        }
        return list;
    }
}
