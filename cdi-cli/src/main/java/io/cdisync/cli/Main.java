package io.cdisync.cli;

import java.io.PrintStream;
import picocli.CommandLine;

/**
 * The {@code cdi} command line. Exit codes are a public contract: 0 success, 1 global failure,
 * 2 bad usage or bad configuration, 3 finished with row errors.
 */
public final class Main {
    static final int OK = 0;
    static final int GLOBAL_FAILURE = 1;
    static final int USAGE = 2;
    static final int ROW_ERRORS = 3;

    private Main() {
    }

    public static void main(String[] args) {
        // Quiet library logs unless the operator asks for them; must run before any logger is created.
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, new CliContext(out, err, System.getenv(), System.console() != null));
    }

    static int run(String[] args, CliContext context) {
        CommandLine cli = Cli.commandLine(context);
        try {
            return cli.execute(args);
        } finally {
            cli.getOut().flush();
            cli.getErr().flush();
        }
    }
}
