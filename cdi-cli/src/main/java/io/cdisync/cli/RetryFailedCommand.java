package io.cdisync.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cdisync.core.SyncListener;
import io.cdisync.core.ops.RetryResult;
import io.cdisync.core.ops.RunStatus;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code cdi retry-failed}: re-sends the failed rows kept in the run log; exit code 0, 3 when rows failed again, 1 on a global failure. */
@Command(name = "retry-failed", description = "Re-send the failed rows kept in the run log.")
final class RetryFailedCommand implements Callable<Integer> {
    private final CliContext context;

    @Mixin
    ConfigOption config;

    @Option(names = "--json", description = "Print the result as one JSON object.")
    boolean json;

    RetryFailedCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        try (SyncSetup setup = config.setup(context)) {
            if (setup.runLog() == null) {
                throw new ConfigException("state.type: retry-failed needs the run log kept with state type file");
            }
            RetryResult retry = setup.operator(new SyncListener() { }).retryFailedRows(setup.integration());
            print(setup.config.sync().name(), retry, context.out());
            if (retry.run() != null && retry.run().status() == RunStatus.ERROR) {
                return Main.GLOBAL_FAILURE;
            }
            return retry.failedAgain() > 0 ? Main.ROW_ERRORS : Main.OK;
        }
    }

    private void print(String name, RetryResult retry, PrintStream out) {
        if (json) {
            ObjectNode root = JsonReports.JSON.createObjectNode();
            root.put("sync", name);
            root.put("status", retry.run() == null ? "NOTHING_TO_RETRY" : retry.run().status().name());
            root.put("retried", retry.retried());
            root.put("delivered", retry.delivered());
            root.put("failedAgain", retry.failedAgain());
            root.put("notRetryable", retry.notRetryable());
            root.put("left", retry.left());
            if (retry.run() != null && retry.run().failure() != null) {
                root.put("failure", retry.run().failure());
            }
            out.println(root);
            return;
        }
        out.println("retry-failed " + name + ": " + retry.retried() + " failed rows re-sent: " + retry.delivered() + " delivered, "
                + retry.failedAgain() + " failed again" + (retry.left() > 0 ? ", " + retry.left() + " left for the next retry" : ""));
        if (retry.notRetryable() > 0) {
            out.println("  " + retry.notRetryable() + " failed rows were kept without their payload and cannot be re-sent"
                    + " (set sync.keepFailedRowPayloads: true to keep it)");
        }
        if (retry.run() != null && retry.run().failure() != null) {
            out.println("  failure: " + retry.run().failure());
        }
    }
}
