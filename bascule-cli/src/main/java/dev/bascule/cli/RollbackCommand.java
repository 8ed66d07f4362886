package dev.bascule.cli;

import dev.bascule.Bascule;
import dev.bascule.api.MigrationStatus;
import picocli.CommandLine.Command;

@Command(name = "rollback", mixinStandardHelpOptions = true,
        description = {"Undo the active migration's start.",
                "The database is as before start, data included. Running it again continues an",
                "interrupted rollback."})
final class RollbackCommand extends BaseCommand {
    @Override
    public Integer call() {
        Bascule bascule = bascule();
        MigrationStatus.Active active = bascule.status().active();
        switch (bascule.rollback()) {
            case ROLLED_BACK -> io().out("rolled back " + (active == null ? "the active migration" : active.name())
                    + "; code uses schema " + bascule.latest());
            case NOTHING_TO_ROLL_BACK -> { } // the listener said why
        }
        return 0;
    }
}
