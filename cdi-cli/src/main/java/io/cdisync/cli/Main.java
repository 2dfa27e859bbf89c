package io.cdisync.cli;

import java.io.PrintStream;
import java.util.Arrays;

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
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("help")) {
            usage(args.length == 0 ? err : out);
            return args.length == 0 ? USAGE : OK;
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        switch (args[0]) {
            case "demo":
                return new DemoCommand(out, err).run(rest);
            default:
                err.println("cdi: unknown command '" + args[0] + "'");
                usage(err);
                return USAGE;
        }
    }

    private static void usage(PrintStream out) {
        out.println("usage: cdi <command> [options]");
        out.println();
        out.println("commands:");
        out.println("  demo [--rows N]   sync a generated sample table into a local fake Braze and print the report");
    }
}
