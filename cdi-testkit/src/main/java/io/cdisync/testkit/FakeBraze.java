package io.cdisync.testkit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * A fake of Braze's REST API for tests: a real HTTP server on {@code 127.0.0.1} (ephemeral port)
 * that enforces the contract of {@code POST /users/track}, {@code POST /users/delete} and the bulk
 * catalog item endpoints ({@code POST|PUT|PATCH|DELETE /catalogs/{catalog}/items}), records what
 * it accepted, and can inject rate limiting, latency and failures.
 *
 * <pre>{@code
 * try (FakeBraze braze = FakeBraze.start()) {
 *     // point the code under test at braze.url() with braze.apiKey()
 *     assertEquals(3, braze.attributes().size());
 * }
 * }</pre>
 *
 * <p>Each request goes through, in this order: routing (unknown path: 404), authentication
 * ({@code Authorization: Bearer <apiKey>}, else 401), the endpoint's rate limit if one is set (429),
 * the next scheduled fault of its path ({@link #failNext}, {@link #dropNext}, {@link #delayNext}),
 * then the endpoint's contract (method, {@code Content-Type: application/json}, body checks).
 * Requests are served concurrently, so a delayed request does not hold back the others.
 *
 * <p>Thread-safe. The configuration given to the {@link Builder} is fixed; rate limits, latency,
 * faults and catalogs can be changed while running. Always {@link #close()} it.
 *
 * <p>Starting a fake sets the system property {@code sun.net.httpserver.nodelay} to {@code true}
 * unless it is already set, so that the JDK HTTP server answers without Nagle delays, and
 * {@code sun.net.httpserver.maxIdleConnections} to 1024, so that it keeps as many keep-alive
 * connections as a client with hundreds of requests in flight uses.
 */
public final class FakeBraze implements AutoCloseable {
    /** Braze's payload limit on every endpoint (braze_docs_limits.txt): a larger body is answered 413. */
    public static final long MAX_REQUEST_BYTES = 4_000_000;

    /** The API key of {@link #start()} and the default of {@link Builder#apiKey(String)}. */
    public static final String DEFAULT_API_KEY = "fake-braze-api-key";

    private final String apiKey;
    private final FakeBrazeDispatcher dispatcher;
    private final FakeBrazeServer server;

    private FakeBraze(Builder builder) {
        this.apiKey = builder.apiKey;
        this.dispatcher = new FakeBrazeDispatcher(apiKey, builder.countOnly, builder.trackObjectsPerRequest,
                builder.maxRequestBytes);
        dispatcher.trackLimit.set(builder.trackLimit.create());
        dispatcher.deleteLimit.set(builder.deleteLimit.create());
        dispatcher.catalogLimit.set(builder.catalogLimit.create());
        dispatcher.latency(builder.latency);
        builder.catalogs.forEach((name, maxItems) -> {
            List<String> fields = builder.catalogFields.get(name);
            if (fields == null) {
                dispatcher.catalogs.create(name);
            } else {
                dispatcher.catalogs.create(name, fields);
            }
            if (maxItems != null) {
                dispatcher.catalogs.limit(name, maxItems);
            }
        });
        this.server = new FakeBrazeServer(dispatcher);
    }

    /** {@return a running fake with the defaults: API key {@value #DEFAULT_API_KEY}, no rate limit or latency} */
    public static FakeBraze start() {
        return builder().start();
    }

    /** {@return a new builder for a custom fake, starting from the defaults of {@link #start()}} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return the base URL to give the code under test: {@code "http://127.0.0.1:PORT"}, without trailing slash} */
    public String url() {
        return server.url();
    }

    /** {@return the REST API key the fake accepts, to send as {@code Authorization: Bearer <key>}} */
    public String apiKey() {
        return apiKey;
    }

    /**
     * {@return deep copies of the attribute objects accepted by {@code /users/track}, as sent, in arrival
     * order} Objects refused (object-level errors) or in refused requests are not included.
     */
    public List<ObjectNode> attributes() {
        return dispatcher.recorder.attributes();
    }

    /** {@return deep copies of the event objects accepted by {@code /users/track}, as sent, in arrival order} */
    public List<ObjectNode> events() {
        return dispatcher.recorder.events();
    }

    /** {@return deep copies of the purchase objects accepted by {@code /users/track}, as sent, in arrival order} */
    public List<ObjectNode> purchases() {
        return dispatcher.recorder.purchases();
    }

    /**
     * {@return deep copies of the valid {@code /users/track} objects Braze would answer success for but
     * not apply, in arrival order} These are "update only" objects (an explicit
     * {@code "_update_existing_only": true}, or an object identified by {@code user_alias} without
     * {@code "_update_existing_only": false}: Braze's default for aliases) whose user the fake does not
     * know. They are counted in the answer's {@code *_processed} but are not in {@link #attributes()},
     * {@link #events()} or {@link #purchases()}, and create no user. A user becomes known when an object
     * that is not update only is applied to it, or through {@link #addAliasUser} and {@link #addUser}.
     */
    public List<ObjectNode> skippedUpdateOnly() {
        return dispatcher.recorder.skippedUpdateOnly();
    }

    /**
     * Makes an alias user exist, as if created earlier, so that update-only objects for it are applied.
     *
     * @param aliasName  the alias name
     * @param aliasLabel the alias label
     */
    public void addAliasUser(String aliasName, String aliasLabel) {
        requireNonBlank(aliasName, "aliasName");
        requireNonBlank(aliasLabel, "aliasLabel");
        dispatcher.users.addAlias(aliasName, aliasLabel);
    }

    /**
     * Makes a user with this external id exist, so that objects with {@code "_update_existing_only": true}
     * for it are applied.
     *
     * @param externalId the external id
     */
    public void addUser(String externalId) {
        dispatcher.users.addExternalId(requireNonBlank(externalId, "externalId"));
    }

    /**
     * Whether the fake knows the alias user {@code aliasName}/{@code aliasLabel}: created by an applied
     * {@code /users/track} object (one with {@code "_update_existing_only": false}) or
     * {@link #addAliasUser}, and not deleted since.
     *
     * @param aliasName  the alias name
     * @param aliasLabel the alias label
     * @return true if the user exists in the fake
     */
    public boolean hasAliasUser(String aliasName, String aliasLabel) {
        return dispatcher.users.knowsAlias(aliasName, aliasLabel);
    }

    private static String requireNonBlank(String value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
        return value;
    }

    /**
     * {@return the users deleted by {@code /users/delete}, in arrival order} Each is {@code {"external_id": ...}},
     * {@code {"user_alias": {"alias_name": ..., "alias_label": ...}}} or {@code {"braze_id": ...}}.
     */
    public List<ObjectNode> deletedUsers() {
        return dispatcher.recorder.deletedUsers();
    }

    /**
     * {@return every request answered (or dropped) so far, whatever the answer, in arrival order} A
     * request shows up here just before its answer is sent. The {@code Authorization} header is redacted.
     */
    public List<RecordedBrazeRequest> requests() {
        return dispatcher.recorder.requests();
    }

    /**
     * The requests received on one path, in arrival order.
     *
     * @param path e.g. {@code "/users/track"}
     * @return the matching requests of {@link #requests()}
     */
    public List<RecordedBrazeRequest> requests(String path) {
        Objects.requireNonNull(path, "path");
        return requests().stream().filter(r -> r.path().equals(path)).toList();
    }

    /**
     * How many requests were received on one path, whatever the answer.
     *
     * @param path e.g. {@code "/users/track"}
     * @return the count
     */
    public int requestCount(String path) {
        return dispatcher.recorder.requestCount(Objects.requireNonNull(path, "path"));
    }

    /**
     * {@return how many objects (attributes, events and purchases together) {@code /users/track} accepted}
     * Works also for a fake built with {@link Builder#countOnly()}.
     */
    public long trackObjectsAccepted() {
        return dispatcher.recorder.trackObjectsAccepted();
    }

    /** {@return how many requests were answered 429 because of a rate limit} */
    public int rateLimitedCount() {
        return dispatcher.recorder.rateLimitedCount();
    }

    /**
     * Answers the next {@code n} requests to {@code /users/track} with {@code httpStatus} and
     * {@code {"message": ...}}; nothing of them is recorded as accepted.
     *
     * @param n          how many requests, at least 0
     * @param httpStatus the status, 400 to 599
     */
    public void failNext(int n, int httpStatus) {
        failNext(FakeBrazeDispatcher.TRACK_PATH, n, httpStatus);
    }

    /**
     * Answers the next {@code n} requests to {@code path} with {@code httpStatus}, as
     * {@link #failNext(int, int)}. Faults of a path apply in the order they were scheduled.
     *
     * @param path       e.g. {@code "/users/delete"} or {@code "/catalogs/products/items"}
     * @param n          how many requests, at least 0
     * @param httpStatus the status, 400 to 599
     */
    public void failNext(String path, int n, int httpStatus) {
        dispatcher.faults.add(path, n, FakeBrazeFaults.Fault.fail(httpStatus));
    }

    /**
     * Reads the next {@code n} requests to {@code /users/track}, then closes their connection without
     * answering (the client sees an unexpected end of stream); nothing of them is recorded as accepted.
     *
     * @param n how many requests, at least 0
     */
    public void dropNext(int n) {
        dropNext(FakeBrazeDispatcher.TRACK_PATH, n);
    }

    /**
     * Drops the next {@code n} requests to {@code path}, as {@link #dropNext(int)}.
     *
     * @param path e.g. {@code "/users/delete"}
     * @param n    how many requests, at least 0
     */
    public void dropNext(String path, int n) {
        dispatcher.faults.add(path, n, FakeBrazeFaults.Fault.drop());
    }

    /**
     * Waits {@code delay} before processing each of the next {@code n} requests to
     * {@code /users/track}, then answers them normally.
     *
     * @param n     how many requests, at least 0
     * @param delay the wait, not negative
     */
    public void delayNext(int n, Duration delay) {
        delayNext(FakeBrazeDispatcher.TRACK_PATH, n, delay);
    }

    /**
     * Delays the next {@code n} requests to {@code path}, as {@link #delayNext(int, Duration)}.
     *
     * @param path  e.g. {@code "/users/delete"}
     * @param n     how many requests, at least 0
     * @param delay the wait, not negative
     */
    public void delayNext(String path, int n, Duration delay) {
        dispatcher.faults.add(path, n, FakeBrazeFaults.Fault.delay(delay));
    }

    /**
     * Refuses the {@code /users/track} objects (attributes, events and purchases) matching
     * {@code predicate} with an object-level error {@code message}, as Braze does for objects it
     * cannot process: the request is still answered 201 and the other objects are accepted. Applies
     * until {@link #reset()}; when several rules match, the first added gives the message.
     *
     * @param predicate which objects to refuse; called concurrently, must not modify the object
     * @param message   the error's {@code type}
     */
    public void rejectObjects(Predicate<ObjectNode> predicate, String message) {
        dispatcher.track.addRule(predicate, message);
    }

    /**
     * Sets the latency added to every request, before anything else is done with it.
     *
     * @param latency the wait, not negative; zero for none
     */
    public void latency(Duration latency) {
        dispatcher.latency(FakeBrazeFaults.requireNonNegative(latency, "latency"));
    }

    /**
     * Sets the rate limit of {@code /users/track}, starting a fresh window.
     *
     * @param requests requests allowed per window; 0 disables the limit
     * @param window   the fixed window, at least 1 ms when {@code requests} is positive
     */
    public void trackRateLimit(int requests, Duration window) {
        dispatcher.trackLimit.set(FakeBrazeRateLimiter.create(requests, window));
    }

    /**
     * Sets the rate limit of {@code /users/delete}, starting a fresh window.
     *
     * @param requests requests allowed per window; 0 disables the limit
     * @param window   the fixed window, at least 1 ms when {@code requests} is positive
     */
    public void deleteRateLimit(int requests, Duration window) {
        dispatcher.deleteLimit.set(FakeBrazeRateLimiter.create(requests, window));
    }

    /**
     * Sets the rate limit shared by all catalog item endpoints, starting a fresh window.
     *
     * @param requests requests allowed per window; 0 disables the limit
     * @param window   the fixed window, at least 1 ms when {@code requests} is positive
     */
    public void catalogRateLimit(int requests, Duration window) {
        dispatcher.catalogLimit.set(FakeBrazeRateLimiter.create(requests, window));
    }

    /**
     * Creates an empty catalog that accepts any field (lenient: the fields are not declared), so that
     * its items can be written; does nothing if it exists. Prefer {@link #createCatalog(String, Collection)}:
     * Braze refuses fields a catalog does not have.
     *
     * @param name the catalog name, as in {@code /catalogs/{name}/items}
     */
    public void createCatalog(String name) {
        dispatcher.catalogs.create(name);
    }

    /**
     * Creates an empty catalog with its fields, as in Braze: a write naming a field not declared
     * (besides {@code id}) is refused as a whole with 400 {@code invalid-fields}. Does nothing if the
     * catalog exists with the same fields.
     *
     * @param name   the catalog name, as in {@code /catalogs/{name}/items}
     * @param fields its field names; {@code id} is implied
     * @throws IllegalArgumentException if a field name is blank or the catalog exists with other fields
     */
    public void createCatalog(String name, Collection<String> fields) {
        dispatcher.catalogs.create(name, fields);
    }

    /**
     * Limits how many items a catalog may hold: writes that would add items beyond it are answered
     * 400 with Braze's error shape, code {@code catalog-item-limit-exceeded} naming the new items, and
     * change nothing.
     *
     * @param catalog  an existing catalog
     * @param maxItems the most items it may hold, at least 0
     */
    public void catalogItemLimit(String catalog, int maxItems) {
        dispatcher.catalogs.limit(catalog, maxItems);
    }

    /**
     * The items of a catalog, by id, in the order they were first written. Each item is the object
     * as last written (with its {@code id} field); {@code PATCH} merges top-level fields into it.
     *
     * @param catalog an existing catalog
     * @return deep copies of the items; unmodifiable
     * @throws IllegalArgumentException if there is no such catalog
     */
    public Map<String, ObjectNode> catalogItems(String catalog) {
        return dispatcher.catalogs.items(catalog);
    }

    /**
     * Forgets what was recorded (accepted and skipped objects, known and deleted users, catalog items,
     * requests, counters),
     * the scheduled, random and outage faults, the {@link #rejectObjects} rules and the current rate limit windows. The
     * configuration (API key, rate limits, latency, catalogs and their limits) stays.
     */
    public void reset() {
        dispatcher.faults.clear();
        dispatcher.chaos.set(null);
        dispatcher.outageUntilMillis = 0;
        dispatcher.track.clearRules();
        dispatcher.resetLimiters();
        dispatcher.catalogs.clearItems();
        dispatcher.users.clear();
        dispatcher.recorder.clear();
    }

    /**
     * Answers every request with 503 for {@code duration} from now (after auth and rate limiting), as
     * during a Braze outage; nothing is recorded as accepted meanwhile.
     */
    public void outage(Duration duration) {
        dispatcher.outageUntilMillis = System.currentTimeMillis() + duration.toMillis();
    }

    /**
     * From now on, each request that no scheduled fault applies to independently gets a 5xx (500 or 503)
     * with probability {@code serverErrors}, a dropped connection with {@code drops}, or an answer delayed
     * by {@code slowDelay} with {@code slow}. Deterministic for a seed and a request order. {@link #reset()}
     * turns it off.
     */
    public void randomFaults(long seed, double serverErrors, double drops, double slow, Duration slowDelay) {
        dispatcher.chaos.set(new FakeBrazeChaos(seed, serverErrors, drops, slow, slowDelay));
    }

    /** Stops the server and its threads; requests in progress are abandoned. Idempotent. */
    @Override
    public void close() {
        server.close();
    }

    /** {@return a description without secrets, e.g. {@code "FakeBraze[http://127.0.0.1:40123]"}} */
    @Override
    public String toString() {
        return "FakeBraze[" + server.url() + "]";
    }

    /** Configuration of a {@link FakeBraze}; not thread-safe, use it from one thread then {@link #start()}. */
    public static final class Builder {
        private String apiKey = DEFAULT_API_KEY;
        private FakeBrazeRateLimiter.Spec trackLimit = FakeBrazeRateLimiter.Spec.NONE;
        private FakeBrazeRateLimiter.Spec deleteLimit = FakeBrazeRateLimiter.Spec.NONE;
        private FakeBrazeRateLimiter.Spec catalogLimit = FakeBrazeRateLimiter.Spec.NONE;
        private Duration latency = Duration.ZERO;
        private boolean countOnly;
        private final Map<String, Integer> catalogs = new LinkedHashMap<>();
        private final Map<String, List<String>> catalogFields = new LinkedHashMap<>();
        private int trackObjectsPerRequest;
        private long maxRequestBytes = MAX_REQUEST_BYTES;

        private Builder() {
        }

        /**
         * Sets the REST API key to accept.
         *
         * @param apiKey a non-blank key
         * @return this builder
         */
        public Builder apiKey(String apiKey) {
            Objects.requireNonNull(apiKey, "apiKey");
            if (apiKey.isBlank() || !apiKey.strip().equals(apiKey)) {
                throw new IllegalArgumentException("apiKey must be non-blank, without surrounding whitespace");
            }
            this.apiKey = apiKey;
            return this;
        }

        /**
         * Sets the rate limit of {@code /users/track}.
         *
         * @param requests requests allowed per window; 0 for no limit
         * @param window   the fixed window, at least 1 ms when {@code requests} is positive
         * @return this builder
         */
        public Builder trackRateLimit(int requests, Duration window) {
            this.trackLimit = FakeBrazeRateLimiter.Spec.of(requests, window);
            return this;
        }

        /**
         * Sets the rate limit of {@code /users/delete}.
         *
         * @param requests requests allowed per window; 0 for no limit
         * @param window   the fixed window, at least 1 ms when {@code requests} is positive
         * @return this builder
         */
        public Builder deleteRateLimit(int requests, Duration window) {
            this.deleteLimit = FakeBrazeRateLimiter.Spec.of(requests, window);
            return this;
        }

        /**
         * Sets the rate limit shared by all catalog item endpoints.
         *
         * @param requests requests allowed per window; 0 for no limit
         * @param window   the fixed window, at least 1 ms when {@code requests} is positive
         * @return this builder
         */
        public Builder catalogRateLimit(int requests, Duration window) {
            this.catalogLimit = FakeBrazeRateLimiter.Spec.of(requests, window);
            return this;
        }

        /**
         * Sets the latency added to every request.
         *
         * @param latency the wait, not negative
         * @return this builder
         */
        public Builder latency(Duration latency) {
            this.latency = FakeBrazeFaults.requireNonNegative(latency, "latency");
            return this;
        }

        /**
         * Keeps counts only ({@link FakeBraze#requestCount}, {@link FakeBraze#rateLimitedCount},
         * {@link FakeBraze#trackObjectsAccepted}),
         * not the objects and requests themselves, so that a fake answering millions of objects (a
         * benchmark, a soak test) runs in constant memory. {@link FakeBraze#attributes()}, {@link FakeBraze#requests()} and the
         * other accessors of what was received then throw {@link IllegalStateException}.
         *
         * @return this builder
         */
        public Builder countOnly() {
            this.countOnly = true;
            return this;
        }

        /**
         * Creates an empty catalog at start.
         *
         * @param name the catalog name
         * @return this builder
         */
        public Builder catalog(String name) {
            Objects.requireNonNull(name, "name");
            catalogs.putIfAbsent(name, null);
            return this;
        }

        /**
         * Creates a catalog at start with its fields, as {@link FakeBraze#createCatalog(String, Collection)}:
         * a write naming another field is refused with {@code invalid-fields}.
         *
         * @param name   the catalog name
         * @param fields its field names; {@code id} is implied
         * @return this builder
         */
        public Builder catalog(String name, Collection<String> fields) {
            Objects.requireNonNull(name, "name");
            catalogFields.put(name, List.copyOf(fields));
            catalogs.putIfAbsent(name, null);
            return this;
        }

        /**
         * Limits {@code /users/track} to {@code max} objects per request, the three arrays together, as
         * on Braze's pricing plans that allow "up to 50 updates combined across attribute, event, or
         * purchase objects" (braze_docs_limits.txt): a request with more is answered 400
         * {@code {"message": "Max Input Length Exceeded"}} and nothing of it is processed. By default
         * there is no combined limit, only Braze's 75 objects per array.
         *
         * @param max the most objects per request, at least 1; 50 for such plans
         * @return this builder
         */
        public Builder trackObjectsPerRequest(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("trackObjectsPerRequest must be >= 1, was " + max);
            }
            this.trackObjectsPerRequest = max;
            return this;
        }

        /**
         * Sets the largest request body accepted on every endpoint; a larger one is answered 413.
         * Defaults to Braze's {@value FakeBraze#MAX_REQUEST_BYTES} bytes.
         *
         * @param bytes the most bytes, at least 1
         * @return this builder
         */
        public Builder maxRequestBytes(long bytes) {
            if (bytes < 1) {
                throw new IllegalArgumentException("maxRequestBytes must be >= 1, was " + bytes);
            }
            this.maxRequestBytes = bytes;
            return this;
        }

        /**
         * Creates a catalog at start that may hold at most {@code maxItems} items.
         *
         * @param name     the catalog name
         * @param maxItems the most items it may hold, at least 0
         * @return this builder
         */
        public Builder catalog(String name, int maxItems) {
            Objects.requireNonNull(name, "name");
            if (maxItems < 0) {
                throw new IllegalArgumentException("maxItems must be >= 0, was " + maxItems);
            }
            catalogs.put(name, maxItems);
            return this;
        }

        /**
         * Starts a fake with this configuration. Each call starts a new, independent fake sharing no
         * state with the others.
         *
         * @return the running fake
         * @throws UncheckedIOException if no port could be opened
         */
        public FakeBraze start() {
            return new FakeBraze(this);
        }
    }
}
