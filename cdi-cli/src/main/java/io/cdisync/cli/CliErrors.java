package io.cdisync.cli;

import io.cdisync.core.CdiException;
import java.io.PrintStream;
import java.util.TreeSet;
import picocli.CommandLine;
import picocli.CommandLine.MissingParameterException;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Turns what goes wrong into a message on stderr and the exit code of the public contract: bad usage and bad
 * config 2 (the message names the option or key), a global failure 1. Anything else is a bug: picocli prints
 * its stack trace and exits with 1.
 */
final class CliErrors implements CommandLine.IParameterExceptionHandler, CommandLine.IExecutionExceptionHandler {
    private final PrintStream err;

    CliErrors(PrintStream err) {
        this.err = err;
    }

    @Override
    public int handleParseException(ParameterException e, String[] args) {
        CommandLine command = e.getCommandLine();
        String name = command.getCommandSpec().qualifiedName();
        boolean root = command.getParent() == null;
        if (e instanceof UnmatchedArgumentException unmatched && !unmatched.getUnmatched().isEmpty()) {
            String argument = unmatched.getUnmatched().get(0);
            if (root) {
                err.println(name + ": unknown command '" + argument + "'");
            } else {
                err.println(name + ": unknown option '" + argument + "'; options are " + options(command));
            }
        } else if (e instanceof MissingParameterException missing && e.getMessage().startsWith("Missing required option")) {
            for (ArgSpec arg : missing.getMissing()) {
                String option = arg instanceof OptionSpec o ? o.longestName() + " " : "";
                err.println(name + ": " + option + arg.paramLabel() + " is required");
            }
        } else {
            err.println(name + ": " + e.getMessage());
        }
        UnmatchedArgumentException.printSuggestions(e, err);
        if (root) {
            command.usage(err);
        } else {
            err.println("see '" + name + " --help'");
        }
        return Main.USAGE;
    }

    @Override
    public int handleExecutionException(Exception e, CommandLine command, ParseResult parsed) throws Exception {
        String name = command.getCommandSpec().qualifiedName();
        if (e instanceof UsageException) {
            err.println(e.getMessage());
            err.println("see '" + name + " --help'");
            return Main.USAGE;
        }
        if (e instanceof ConfigException) {
            err.println(name + ": bad config: " + e.getMessage());
            return Main.USAGE;
        }
        if (e instanceof CdiException) {
            err.println(name + ": failed: " + e.getMessage());
            return Main.GLOBAL_FAILURE;
        }
        throw e;
    }

    /** The command's own options, without --help and --version. */
    private static TreeSet<String> options(CommandLine command) {
        TreeSet<String> names = new TreeSet<>();
        for (OptionSpec option : command.getCommandSpec().options()) {
            if (!option.usageHelp() && !option.versionHelp()) {
                names.add(option.longestName());
            }
        }
        return names;
    }
}
