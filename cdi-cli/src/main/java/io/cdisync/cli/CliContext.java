package io.cdisync.cli;

import java.io.PrintStream;
import java.util.Map;

/**
 * What a command runs with: where it prints, the environment its config reads {@code ${VAR}} from, and whether a
 * terminal is attached (for the progress line). Passed in, so tests run the commands in-process.
 */
record CliContext(PrintStream out, PrintStream err, Map<String, String> env, boolean terminal) {
}
