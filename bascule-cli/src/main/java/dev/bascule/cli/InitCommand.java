package dev.bascule.cli;

import picocli.CommandLine.Command;

@Command(name = "init", mixinStandardHelpOptions = true,
        description = "Create the state schema (default bascule) and its tables; safe to run again.")
final class InitCommand extends BaseCommand {
    @Override
    public Integer call() {
        bascule().init();
        io().out("state schema " + cli.resolve().stateSchema() + " is ready");
        return 0;
    }
}
