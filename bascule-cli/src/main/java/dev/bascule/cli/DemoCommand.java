package dev.bascule.cli;

import dev.bascule.cli.demo.Demo;
import picocli.CommandLine.Command;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Run a sample migration under simulated traffic on an embedded PostgreSQL.",
                "Loads sample data, migrates it while clients read and write, and shows the result.",
                "Needs no server and ignores the connection options."})
final class DemoCommand extends BaseCommand {
    @Override
    public Integer call() {
        return Demo.run(io().rawOut());
    }
}
