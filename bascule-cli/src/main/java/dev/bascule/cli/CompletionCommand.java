package dev.bascule.cli;

import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(name = "completion", mixinStandardHelpOptions = true,
        description = {"Print a shell completion script for bash and zsh (picocli's generator): commands, options and",
                "their values complete with TAB.",
                "  bash:  source <(bascule completion)     (or save it in /etc/bash_completion.d/bascule)",
                "  zsh:   autoload -U +X bashcompinit && bashcompinit && source <(bascule completion)"})
final class CompletionCommand extends BaseCommand {
    @Override
    public Integer call() {
        CommandLine root = cli.spec.commandLine();
        io().rawOut().print(AutoComplete.bash("bascule", root));
        io().rawOut().flush();
        return 0;
    }
}
