package dev.bascule.cli;

import picocli.CommandLine.Command;

@Command(name = "pause", mixinStandardHelpOptions = true,
        description = {"Pause the active migration's backfill, from any process.",
                "The running start stops after its current batch and waits for 'bascule resume'."})
final class PauseCommand extends BaseCommand {
    @Override
    public Integer call() {
        bascule().pause(true);
        io().out("backfill paused: the running start stops after its current batch; run 'bascule resume' to go on");
        return 0;
    }
}
