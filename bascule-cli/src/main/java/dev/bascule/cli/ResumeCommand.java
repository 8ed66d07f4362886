package dev.bascule.cli;

import picocli.CommandLine.Command;

@Command(name = "resume", mixinStandardHelpOptions = true,
        description = "Resume a paused backfill, from any process.")
final class ResumeCommand extends BaseCommand {
    @Override
    public Integer call() {
        bascule().pause(false);
        io().out("backfill resumed; if no start is running, run 'bascule start FILE' again to finish it");
        return 0;
    }
}
