package io.cdisync.cli;

import java.nio.file.Path;
import java.util.Set;

/** Parsed options of a config-driven command. */
record Arguments(Path config, boolean dryRun, boolean json, int limit) {
    static Arguments parse(String command, String[] args, Set<String> allowed) {
        Path config = null;
        boolean dryRun = false;
        boolean json = false;
        int limit = 10;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!allowed.contains(arg)) {
                throw new UsageException("cdi " + command + ": unknown option '" + arg + "'; options are " + new java.util.TreeSet<>(allowed));
            }
            switch (arg) {
                case "--config" -> config = Path.of(value(command, args, ++i, arg));
                case "--dry-run" -> dryRun = true;
                case "--json" -> json = true;
                case "--limit" -> {
                    String value = value(command, args, ++i, arg);
                    try {
                        limit = Integer.parseInt(value);
                    } catch (NumberFormatException e) {
                        throw new UsageException("cdi " + command + ": --limit needs a number, got '" + value + "'");
                    }
                    if (limit < 1) {
                        throw new UsageException("cdi " + command + ": --limit must be at least 1");
                    }
                }
                default -> throw new IllegalStateException(arg);
            }
        }
        if (config == null) {
            throw new UsageException("cdi " + command + ": --config FILE is required");
        }
        return new Arguments(config, dryRun, json, limit);
    }

    private static String value(String command, String[] args, int i, String option) {
        if (i >= args.length) {
            throw new UsageException("cdi " + command + ": " + option + " needs a value");
        }
        return args[i];
    }

    /** Bad command-line usage: exit code 2. */
    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }
}
