package io.cdisync.testkit;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Faults scheduled on {@link FakeBraze}, per path, consumed first-scheduled-first by the requests
 * that get past authentication and rate limiting. Thread-safe.
 */
final class FakeBrazeFaults {

    /** What to do to a request. */
    enum Kind {
        /** Answer an error status. */
        FAIL,
        /** Close the connection without answering. */
        DROP,
        /** Wait, then process normally. */
        DELAY
    }

    /**
     * One fault.
     *
     * @param kind   what to do
     * @param status the status to answer, for {@link Kind#FAIL}
     * @param delay  how long to wait, for {@link Kind#DELAY}
     */
    record Fault(Kind kind, int status, Duration delay) {
        /** Answers {@code status}, which must be 400 to 599. */
        static Fault fail(int status) {
            if (status < 400 || status > 599) {
                throw new IllegalArgumentException("httpStatus must be 400 to 599, was " + status);
            }
            return new Fault(Kind.FAIL, status, Duration.ZERO);
        }

        /** Closes the connection. */
        static Fault drop() {
            return new Fault(Kind.DROP, 0, Duration.ZERO);
        }

        /** Waits {@code delay}, which must not be negative. */
        static Fault delay(Duration delay) {
            return new Fault(Kind.DELAY, 0, requireNonNegative(delay, "delay"));
        }
    }

    private static final class Pending {
        final Fault fault;
        int remaining;

        Pending(Fault fault, int remaining) {
            this.fault = fault;
            this.remaining = remaining;
        }
    }

    private final Map<String, Deque<Pending>> byPath = new HashMap<>();

    /** Applies {@code fault} to the next {@code n} requests to {@code path}, after those already scheduled. */
    synchronized void add(String path, int n, Fault fault) {
        Objects.requireNonNull(path, "path");
        if (n < 0) {
            throw new IllegalArgumentException("n must be >= 0, was " + n);
        }
        if (n > 0) {
            byPath.computeIfAbsent(path, p -> new ArrayDeque<>()).addLast(new Pending(fault, n));
        }
    }

    /** The fault for the request now arriving on {@code path}, or null. */
    synchronized Fault next(String path) {
        Deque<Pending> queue = byPath.get(path);
        if (queue == null || queue.isEmpty()) {
            return null;
        }
        Pending head = queue.peekFirst();
        if (--head.remaining == 0) {
            queue.removeFirst();
        }
        return head.fault;
    }

    /** Drops every scheduled fault. */
    synchronized void clear() {
        byPath.clear();
    }

    /** {@code duration}, checked to be non-null and not negative. */
    static Duration requireNonNegative(Duration duration, String name) {
        Objects.requireNonNull(duration, name);
        if (duration.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative, was " + duration);
        }
        return duration;
    }
}
