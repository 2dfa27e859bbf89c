package io.cdisync.core.ops;

import io.cdisync.core.CdiException;
import io.cdisync.core.spi.SourceConnector;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;

/**
 * The outcome of a connection test: connectivity, permissions, table and required columns, as
 * {@link SourceConnector#check()} checks them. An integration is activated only with a passing one.
 *
 * @param passed   true when the source could be read
 * @param message  what was checked, or what failed and how to fix it; never a secret
 * @param testedAt when the test ran
 */
public record ConnectionTest(boolean passed, String message, Instant testedAt) {
    public ConnectionTest {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(testedAt, "testedAt");
    }

    /** A passing test at {@code testedAt}. */
    public static ConnectionTest passed(Instant testedAt) {
        return new ConnectionTest(true, "connection, permissions, table and columns: ok", testedAt);
    }

    /** A failed test, with the message that says what to fix. */
    public static ConnectionTest failed(String message, Instant testedAt) {
        return new ConnectionTest(false, message, testedAt);
    }

    /**
     * Runs {@link SourceConnector#check()} on the calling thread (it may block while connecting) and
     * reports its outcome; never throws for a failed check.
     */
    public static ConnectionTest run(SourceConnector source, Clock clock) {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(clock, "clock");
        try {
            source.check();
            return passed(clock.instant());
        } catch (CdiException e) {
            return failed(e.getMessage(), clock.instant());
        } catch (RuntimeException e) {
            return failed("the connection test of " + source.describe() + " failed unexpectedly: " + e.getClass().getSimpleName(),
                    clock.instant());
        }
    }
}
