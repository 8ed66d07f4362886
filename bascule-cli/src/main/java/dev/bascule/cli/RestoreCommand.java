package dev.bascule.cli;

import dev.bascule.api.DeprecatedObject;
import dev.bascule.api.RestoreTarget;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.Optional;

@Command(name = "restore", mixinStandardHelpOptions = true,
        description = {"Give a table or column that 'complete --deprecate' kept its original name back.",
                "The data is what it held when it was deprecated; rows written since have NULL in a",
                "restored column. Indexes, constraints, defaults and NOT NULL it lost are not rebuilt.",
                "Refused (exit 3) when the original name is taken."})
final class RestoreCommand extends BaseCommand {
    @Option(names = "--table", required = true, paramLabel = "TABLE",
            description = "a deprecated table's original name; with --column, the column's table as it is named now")
    String table;

    @Option(names = "--column", paramLabel = "COLUMN", description = "a deprecated column's original name")
    String column;

    @Option(names = "--migration", paramLabel = "NAME",
            description = "the migration that deprecated it, when the same name was deprecated more than once")
    String migration;

    @Override
    public Integer call() {
        RestoreTarget target = new RestoreTarget(table, Optional.ofNullable(column), Optional.ofNullable(migration));
        Optional<DeprecatedObject> restored = bascule().restore(target);
        restored.ifPresent(d -> io().out("restored " + d.describe() + " as " + target.describe()
                + (d.kind() == DeprecatedObject.Kind.COLUMN ? "; rows written since it was deprecated have NULL in it" : "")));
        return 0;
    }
}
