package dev.bascule.cli;

import picocli.CommandLine.Command;

@Command(name = "latest", mixinStandardHelpOptions = true,
        description = {"Print the schema new code should put first in its search_path.",
                "Prints the name only, for scripts:",
                "For scripts: PGOPTIONS=\"-c search_path=$(bascule latest),public\" ..."})
final class LatestCommand extends BaseCommand {
    @Override
    public Integer call() {
        io().out(bascule().latest());
        return 0;
    }
}
