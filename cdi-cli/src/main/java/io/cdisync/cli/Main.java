package io.cdisync.cli;

import io.cdisync.core.CdiException;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.Set;

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
        String command = args[0];
        try {
            switch (command) {
                case "demo":
                    return new DemoCommand(out, err).run(rest);
                case "keygen":
                    return new KeygenCommand(out, err, System.getenv()).run(rest);
                case "sync":
                    return commands(out, err).run(command, Arguments.parse(command, rest, Set.of("--config", "--dry-run", "--json")));
                case "check":
                    return commands(out, err).run(command, Arguments.parse(command, rest, Set.of("--config")));
                case "preview":
                    return commands(out, err).run(command, Arguments.parse(command, rest, Set.of("--config", "--limit")));
                case "status":
                    return commands(out, err).run(command, Arguments.parse(command, rest, Set.of("--config", "--json")));
                case "retry-failed":
                    return commands(out, err).run(command, Arguments.parse(command, rest, Set.of("--config", "--json")));
                default:
                    err.println("cdi: unknown command '" + command + "'");
                    usage(err);
                    return USAGE;
            }
        } catch (Arguments.UsageException e) {
            err.println(e.getMessage());
            return USAGE;
        } catch (ConfigException e) {
            err.println("cdi " + command + ": bad config: " + e.getMessage());
            return USAGE;
        } catch (CdiException e) {
            err.println("cdi " + command + ": failed: " + e.getMessage());
            return GLOBAL_FAILURE;
        }
    }

    private static Commands commands(PrintStream out, PrintStream err) {
        return new Commands(out, err, System.getenv(), System.console() != null);
    }

    private static void usage(PrintStream out) {
        out.println("usage: cdi <command> [options]");
        out.println();
        out.println("commands:");
        out.println("  demo [--rows N]                      sync a generated sample table into a local fake Braze");
        out.println("  check   --config FILE                connection test, table and columns, validation summary");
        out.println("  preview --config FILE [--limit N]    the next rows and the Braze objects they would become");
        out.println("  sync    --config FILE [--dry-run] [--json]   run the sync once");
        out.println("  status  --config FILE [--json]       watermark and last run");
        out.println("  retry-failed --config FILE [--json]  re-send the failed rows kept in the run log");
        out.println("  keygen  --out DIR [--user NAME]      Snowflake key pair + ALTER USER statement");
        out.println();
        out.println("exit codes: 0 success, 1 global failure, 2 bad usage or config, 3 finished with row errors");
    }
}
