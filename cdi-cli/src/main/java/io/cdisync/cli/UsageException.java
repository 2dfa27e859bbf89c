package io.cdisync.cli;

/** Bad command-line usage found after parsing (a missing or out-of-range option): exit code 2. The message is printed as it is. */
final class UsageException extends RuntimeException {
    UsageException(String message) {
        super(message);
    }
}
