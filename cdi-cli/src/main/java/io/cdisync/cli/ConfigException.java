package io.cdisync.cli;

/** A bad config file: the message names the key and the problem. Exit code 2. */
final class ConfigException extends RuntimeException {
    ConfigException(String message) {
        super(message);
    }
}
