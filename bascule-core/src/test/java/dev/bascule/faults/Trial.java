package dev.bascule.faults;

import java.util.List;

/**
 * One fault injected and recovered from.
 *
 * @param kind        the fault (a row of the report's summary)
 * @param what        the command faulted and the command that recovered, e.g. "kill complete, rerun complete"
 * @param fault       when and where the fault landed: delay, the last step or batch the process reported
 * @param midCommand  whether the fault hit a command still running (a kill timed after the command ended is no kill)
 * @param reruns      runs of the recovering command until it succeeded (refusals while the killed process's
 *                    sessions were still ending included)
 * @param findings    what the consistency check found
 * @param writes      writes the concurrent application made during the trial
 * @param writerErrors statements of the application the database refused (lost connections aside)
 */
record Trial(FaultKind kind, String what, String fault, boolean midCommand, int reruns, ConsistencyCheck.Findings findings,
             int writes, List<String> writerErrors, long millis) {

    enum FaultKind {
        KILL("kill -9 of the Bascule process"),
        RESTART("PostgreSQL restarted mid-command"),
        DROP("Bascule's connections terminated"),
        CONCURRENT("two Bascule processes at once");

        final String title;

        FaultKind(String title) {
            this.title = title;
        }
    }

    boolean survived() {
        return findings.consistent() && reruns > 0;
    }

    String line() {
        return String.format("%-10s %-48s %s | mid-command %s | reruns %d | rows %d, lost %d, wrong %d | writes %d, writer errors %d | %d ms%s",
                kind, what, fault, midCommand ? "yes" : "no", reruns, findings.rowsChecked(), findings.rowsLost(),
                findings.rowsWrong(), writes, writerErrors.size(), millis,
                findings.consistent() ? "" : "\n    PROBLEMS: " + String.join("\n    ", findings.problems())
                        + (writerErrors.isEmpty() ? "" : "\n    writer errors: " + writerErrors.subList(0, Math.min(3, writerErrors.size()))));
    }
}
