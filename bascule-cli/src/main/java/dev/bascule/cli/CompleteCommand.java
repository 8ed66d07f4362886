package dev.bascule.cli;

import dev.bascule.SafetyChecks;
import dev.bascule.Bascule;
import dev.bascule.api.BasculeException;
import dev.bascule.api.ContractMode;
import dev.bascule.api.DeprecatedObject;
import dev.bascule.api.InvalidMigrationException;
import dev.bascule.api.MigrationStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

@Command(name = "complete", mixinStandardHelpOptions = true,
        description = {"Run the safety gates, then contract. Not reversible.",
                "Removes what only the old version used and finalizes (renames, NOT NULL, VALIDATE).",
                "Asks for confirmation unless --yes. With --deprecate, tables and columns it would drop",
                "are kept under a marked name until 'purge' drops them ('restore' gives one back)."})
final class CompleteCommand extends BaseCommand {
    @Option(names = {"-y", "--yes"}, description = "do not ask for confirmation (needed when there is no console)")
    boolean yes;

    @Option(names = "--deprecate", description = "keep the tables and columns complete would drop, renamed"
            + " _bascule_deprecated_<id>_<name>, until 'bascule purge' drops them")
    boolean deprecate;

    @Option(names = "--force-gate", paramLabel = "NAME",
            description = "override one safety gate (repeatable; recorded in the history). Gates: ${COMPLETION-CANDIDATES}",
            completionCandidates = GateNames.class)
    List<String> forceGates = List.of();

    @Option(names = "--force-preflight", paramLabel = "NAME",
            description = "override one preflight check (repeatable; recorded in the history). Checks: ${COMPLETION-CANDIDATES}",
            completionCandidates = PreflightNames.class)
    List<String> forcePreflight = List.of();

    @Option(names = "--quiet-time", paramLabel = "SECONDS",
            description = "what was in use since start (an index complete drops, a name it removes, the old version's"
                    + " views) must then go unused this long (gates index_unused, no_recent_use, old_version_idle; default 15)")
    Integer quietTime;

    @Override
    public Integer call() {
        if (quietTime != null && quietTime < 0) {
            throw new InvalidMigrationException("--quiet-time must not be negative");
        }
        SafetyChecks.requireKnownPreflight(forcePreflight); // before the prompt, like --force-gate
        Set<String> forced = new LinkedHashSet<>(forceGates);
        List<String> known = GateNames.names();
        for (String g : forced) {
            if (!known.contains(g)) {
                throw new InvalidMigrationException("unknown gate '" + g + "' in --force-gate; gates are " + String.join(", ", known));
            }
        }
        if (!yes && !cli.terminal().interactive()) {
            throw new InvalidMigrationException("complete cannot be undone and there is no console to confirm it on;"
                    + " pass --yes to complete without a prompt");
        }
        Bascule.Builder builder = cli.configured(dev.bascule.api.BackfillOptions.defaults());
        Bascule bascule = (quietTime == null ? builder : builder.quietTime(java.time.Duration.ofSeconds(quietTime))).load();
        MigrationStatus.Active active = bascule.status().active();
        if (active == null) {
            io().out("no migration is started; nothing to complete");
            return 0;
        }
        if (!yes) {
            if (!cli.terminal().confirm("Complete migration " + active.name() + "?"
                    + (deprecate ? " Dropped tables and columns are kept as deprecated;" : "") + " This cannot be undone [y/N] ")) {
                throw new BasculeException("complete cancelled; nothing was changed");
            }
        }
        ContractMode mode = deprecate ? ContractMode.DEPRECATE : ContractMode.DROP;
        switch (bascule.complete(forced, Set.copyOf(forcePreflight), mode)) {
            case COMPLETED -> {
                io().out("completed " + active.name() + "; new code uses schema " + bascule.latest());
                List<DeprecatedObject> kept = bascule.deprecated().stream()
                        .filter(d -> d.migration().equals(active.name())).toList();
                if (!kept.isEmpty()) {
                    io().out("deprecated, not dropped: " + String.join(", ", kept.stream().map(DeprecatedObject::describe).toList())
                            + "\n'bascule purge --older-than DURATION' drops them; 'bascule restore' gives one its name back");
                }
            }
            case NOTHING_TO_COMPLETE -> { } // the listener said why
        }
        return 0;
    }

    /** The names of the safety gates, for --force-gate. */
    static final class GateNames implements Iterable<String> {
        static List<String> names() {
            return SafetyChecks.gateNames();
        }

        @Override
        public java.util.Iterator<String> iterator() {
            return names().iterator();
        }
    }

    /** The names of the preflight checks, for --force-preflight. */
    static final class PreflightNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return SafetyChecks.preflightNames().iterator();
        }
    }
}
