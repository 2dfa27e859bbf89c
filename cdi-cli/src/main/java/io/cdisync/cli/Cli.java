package io.cdisync.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The {@code cdi} command and its subcommands, on picocli: {@code --help} and {@code --version} on every command,
 * a suggestion for a mistyped command or option. Parsing keeps the hand-written parser's rules: an option given
 * twice takes the last value, and {@code @file} arguments are not expanded.
 */
@Command(name = "cdi", scope = ScopeType.INHERIT, mixinStandardHelpOptions = true, versionProvider = CliVersion.class,
        subcommands = CommandLine.HelpCommand.class, synopsisSubcommandLabel = "<command>",
        description = "Sync rows from a data warehouse into Braze, as a config file describes.",
        footer = {"", "exit codes: 0 success, 1 global failure, 2 bad usage or config, 3 row errors"})
final class Cli implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    private final CliContext context;

    private Cli(CliContext context) {
        this.context = context;
    }

    /** No command: the usage on stderr, exit code 2. */
    @Override
    public Integer call() {
        spec.commandLine().usage(context.err());
        return Main.USAGE;
    }

    /** The command line for one invocation, printing where {@code context} says. */
    static CommandLine commandLine(CliContext context) {
        CommandLine cli = new CommandLine(new Cli(context))
                .addSubcommand(new DemoCommand(context))
                .addSubcommand(new CheckCommand(context))
                .addSubcommand(new PreviewCommand(context))
                .addSubcommand(new SyncCommand(context))
                .addSubcommand(new StatusCommand(context))
                .addSubcommand(new RetryFailedCommand(context))
                .addSubcommand(new KeygenCommand(context));
        CliErrors errors = new CliErrors(context.err());
        return cli.setOut(new PrintWriter(context.out(), true))
                .setErr(new PrintWriter(context.err(), true))
                .setOverwrittenOptionsAllowed(true)
                .setExpandAtFiles(false)
                .setParameterExceptionHandler(errors)
                .setExecutionExceptionHandler(errors);
    }
}
