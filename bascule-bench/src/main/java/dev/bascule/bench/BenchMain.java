package dev.bascule.bench;

import dev.bascule.bench.ptosc.PtoscCommand;
import dev.bascule.bench.traffic.TrafficCommand;
import dev.bascule.bench.waits.WaitsCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * The bench jar's entry point: one subcommand per benchmark. Arguments that start with an option
 * and name no benchmark are the backfill benchmark's, as they were before there were several.
 * Bad arguments are a message and exit 2; a benchmark that fails is its error's message and exit 1.
 */
@Command(name = "bascule-bench", mixinStandardHelpOptions = true, version = "bascule-bench 0.1.0",
        description = {"Bascule's benchmarks. Each measures Bascule side by side with its baseline in one run,"
                + " prints the command that reproduces it, then its report (Markdown). Compare ratios, not absolutes."},
        subcommands = {BackfillCommand.class, WaitsCommand.class, TrafficCommand.class, PtoscCommand.class, FleetCommand.class,
                CommandLine.HelpCommand.class},
        footer = {"", "Examples:",
                "  java -jar bascule-bench.jar waits --sizes 100000,1000000 --runs 5",
                "  java -jar bascule-bench.jar traffic --rows 1000000",
                "  java -jar bascule-bench.jar ptosc --rounds 2",
                "  java -jar bascule-bench.jar fleet --members 16 --rows 20000",
                "  java -jar bascule-bench.jar help waits",
                "PostgreSQL URL: --url or BASCULE_BENCH_URL; MariaDB: --url or BASCULE_BENCH_MYSQL_URL."})
public final class BenchMain implements Callable<Integer> {
    private static final Set<String> HELP = Set.of("-h", "--help", "-V", "--version");

    @Spec
    private CommandSpec spec;

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        System.exit(run(out, err, args));
    }

    /** Parses and runs {@code args}; returns the exit code (0, 1 when the benchmark failed, 2 for bad arguments). */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cl = new CommandLine(new BenchMain());
        cl.setOut(out);
        cl.setErr(err);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setParameterExceptionHandler((ex, given) -> {
            CommandLine c = ex.getCommandLine();
            c.getErr().println(c.getCommandSpec().qualifiedName() + ": " + ex.getMessage());
            c.getErr().println("Usage: see '" + c.getCommandSpec().qualifiedName() + " --help'");
            return CommandLine.ExitCode.USAGE;
        });
        cl.setExecutionExceptionHandler((ex, c, parseResult) -> {
            c.getErr().println(c.getCommandSpec().qualifiedName() + " failed: " + Reproduce.messages(ex));
            return CommandLine.ExitCode.SOFTWARE;
        });
        return cl.execute(withDefaultBenchmark(cl, List.of(args)).toArray(String[]::new));
    }

    /** {@code --url ...} without a benchmark's name is the backfill benchmark, as it always was. */
    private static List<String> withDefaultBenchmark(CommandLine cl, List<String> args) {
        if (!args.isEmpty() && args.get(0).startsWith("-") && !HELP.contains(args.get(0))
                && !cl.getSubcommands().containsKey(args.get(0))) {
            List<String> all = new java.util.ArrayList<>(args.size() + 1);
            all.add(BackfillCommand.NAME);
            all.addAll(args);
            return all;
        }
        return args;
    }

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "name a benchmark: one of "
                + String.join(", ", spec.subcommands().keySet().stream().filter(n -> !n.equals("help")).toList()));
    }
}
