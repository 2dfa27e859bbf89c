package io.cdisync.braze;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cdisync.braze.internal.BrazeTransport;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;

/**
 * A client for Braze's REST API, usable on its own.
 *
 * <p>Every call is asynchronous and returns a future of Braze's per-object answer. The client
 * <ul>
 *   <li>paces requests per endpoint at the workspace's rate limit and adapts to Braze's
 *       {@code X-RateLimit-*} headers (the limit is shared with everything else using the key);</li>
 *   <li>waits out a 429 until the window resets and sends the same request again, without counting
 *       it as a failed attempt;</li>
 *   <li>retries 5xx answers, timeouts and dropped connections with exponential backoff and jitter,
 *       up to {@link Builder#maxAttempts(int)} attempts;</li>
 *   <li>fails at once on 400, 401, 403 and 413 ({@link BrazeException.Rejected},
 *       {@link BrazeException.Unauthorized}, {@link BrazeException.TooLarge}), except a 400 that names the
 *       objects at fault: a response with {@link BrazeResponse#nothingWritten()};</li>
 *   <li>refuses, without sending, bodies over {@link Builder#maxRequestBytes(int)} and {@code /users/track}
 *       requests over {@link Builder#trackObjectsPerRequest(int)} objects;</li>
 *   <li>keeps at most {@link Builder#maxRequestsInFlight(int)} requests in flight: a call blocks the
 *       calling thread while that many are outstanding.</li>
 * </ul>
 * The API key never appears in logs, exception messages or {@code toString()}.
 *
 * <pre>{@code
 * try (BrazeClient braze = BrazeClient.builder()
 *         .endpoint("https://rest.iad-01.braze.com")
 *         .apiKey(Secret.of(System.getenv("BRAZE_API_KEY")))
 *         .build()) {
 *     BrazeResponse response = braze.track(TrackRequest.attributes(objects)).join();
 * }
 * }</pre>
 */
public final class BrazeClient implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final BrazeTransport transport;
    private final String endpoint;
    private final int trackObjectsPerRequest;
    private final int maxRequestBytes;

    private BrazeClient(Builder builder) {
        this.trackObjectsPerRequest = builder.trackObjectsPerRequest;
        this.maxRequestBytes = builder.maxRequestBytes;
        // For toString(): no credentials in the URL (user info, query) and never the key.
        this.endpoint = builder.apiKey.redact(builder.endpoint.newBuilder().username("").password("").query(null)
                .fragment(null).build().toString());
        this.transport = new BrazeTransport(builder.endpoint, builder.apiKey, builder.maxRequestsInFlight,
                builder.maxAttempts, builder.initialBackoff, builder.maxBackoff, builder.maxRateLimitWait,
                builder.callTimeout, builder.trackRateLimit, builder.deleteRateLimit, builder.catalogRateLimit,
                builder.okHttpClient, builder.clock, builder.maxRequestBytes);
    }

    /** A builder with Braze's default limits; {@link Builder#endpoint} and {@link Builder#apiKey} are required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Sends one {@code POST /users/track}. The future completes with Braze's answer (objects it refused
     * are in {@link BrazeResponse#errors()}; when Braze refused every object it is a 400 with
     * {@link BrazeResponse#nothingWritten()}), or fails with a {@link BrazeException}.
     *
     * @throws IllegalArgumentException when the request holds more objects than {@link #trackObjectsPerRequest()}
     */
    public CompletableFuture<BrazeResponse> track(TrackRequest request) {
        Objects.requireNonNull(request, "request");
        checkTrackSize(request.size());
        ObjectNode body = JSON.createObjectNode();
        addArray(body, "attributes", request.attributes());
        addArray(body, "events", request.events());
        addArray(body, "purchases", request.purchases());
        return transport.send(BrazeTransport.Bucket.TRACK, "POST", "/users/track", body);
    }

    /**
     * Sends one {@code POST /users/track} of objects already encoded as JSON: the body is their bytes joined,
     * with no tree and no second serialization. Answers and failures as {@link #track(TrackRequest)}.
     *
     * @throws IllegalArgumentException when the request holds more objects than {@link #trackObjectsPerRequest()}
     */
    public CompletableFuture<BrazeResponse> track(EncodedTrackRequest request) {
        Objects.requireNonNull(request, "request");
        checkTrackSize(request.objects().size());
        return transport.send(BrazeTransport.Bucket.TRACK, "POST", "/users/track", request.body(), Map.of());
    }

    /**
     * Sends one {@code POST /users/delete} with up to {@value BrazeLimits#DELETE_IDENTIFIERS_PER_REQUEST}
     * identifiers.
     */
    public CompletableFuture<BrazeResponse> deleteUsers(DeleteRequest request) {
        Objects.requireNonNull(request, "request");
        ObjectNode body = JSON.createObjectNode();
        if (!request.externalIds().isEmpty()) {
            ArrayNode ids = body.putArray("external_ids");
            request.externalIds().forEach(ids::add);
        }
        if (!request.userAliases().isEmpty()) {
            ArrayNode aliases = body.putArray("user_aliases");
            request.userAliases().forEach(a -> aliases.addObject().put("alias_name", a.name()).put("alias_label", a.label()));
        }
        if (!request.brazeIds().isEmpty()) {
            ArrayNode ids = body.putArray("braze_ids");
            request.brazeIds().forEach(ids::add);
        }
        return transport.send(BrazeTransport.Bucket.DELETE, "POST", "/users/delete", body);
    }

    /**
     * Writes up to {@value BrazeLimits#CATALOG_ITEMS_PER_REQUEST} items of one catalog: upserts with
     * {@code PUT} (create or replace) or deletes with {@code DELETE}. Braze refuses the whole request when any
     * item is invalid: a 400 naming items of the request is a response with {@link BrazeResponse#nothingWritten()}
     * and those items in {@link BrazeResponse#errors()} (id, index, Braze's code and message); the other items were
     * not written either and must be sent again. {@code catalog-not-found} and a 400 that names no item fail with
     * {@link BrazeException.Rejected}.
     */
    public CompletableFuture<BrazeResponse> catalogItems(CatalogRequest request) {
        Objects.requireNonNull(request, "request");
        ObjectNode body = JSON.createObjectNode();
        ArrayNode items = body.putArray("items");
        request.items().forEach(items::add);
        String method = request.operation() == CatalogRequest.Operation.DELETE ? "DELETE" : "PUT";
        String path = "/catalogs/" + HttpUrl.parse("http://x/").newBuilder().addPathSegment(request.catalog()).build()
                .encodedPath().substring(1) + "/items";
        return transport.send(BrazeTransport.Bucket.CATALOG, method, path, body);
    }

    /**
     * Objects per {@code /users/track} request this client's plan allows ({@link Builder#trackObjectsPerRequest},
     * default {@value BrazeLimits#TRACK_OBJECTS_PER_ARRAY}). Callers that batch read it.
     */
    public int trackObjectsPerRequest() {
        return trackObjectsPerRequest;
    }

    /**
     * Largest request body this client sends, in bytes ({@link Builder#maxRequestBytes}, default
     * {@value BrazeLimits#MAX_REQUEST_BYTES}). Callers that batch close a request before its body would pass it;
     * a larger body fails with {@link BrazeException.TooLarge} without being sent.
     */
    public int maxRequestBytes() {
        return maxRequestBytes;
    }

    /**
     * What Braze's {@code X-RateLimit-*} headers said in its latest answer to {@code /users/track}, or empty before
     * an answer carried them (a 401 carries them empty). The limit is shared by every user of the key.
     */
    public Optional<RateLimitStatus> trackRateLimitStatus() {
        return Optional.ofNullable(transport.rateLimitStatus(BrazeTransport.Bucket.TRACK));
    }

    /** As {@link #trackRateLimitStatus()}, for {@code /users/delete}. */
    public Optional<RateLimitStatus> deleteRateLimitStatus() {
        return Optional.ofNullable(transport.rateLimitStatus(BrazeTransport.Bucket.DELETE));
    }

    /** As {@link #trackRateLimitStatus()}, for the catalog item endpoints. */
    public Optional<RateLimitStatus> catalogRateLimitStatus() {
        return Optional.ofNullable(transport.rateLimitStatus(BrazeTransport.Bucket.CATALOG));
    }

    /** Counters since the client was built. */
    public BrazeClientStats stats() {
        return transport.stats();
    }

    /** Stops the client's threads and closes idle connections. Calls in flight fail. */
    @Override
    public void close() {
        transport.close();
    }

    @Override
    public String toString() {
        return "BrazeClient{endpoint=" + endpoint + ", apiKey=****}";
    }

    private void checkTrackSize(int objects) {
        if (objects > trackObjectsPerRequest) {
            throw new IllegalArgumentException("a track request holds " + objects + " objects; this client's plan"
                    + " allows at most " + trackObjectsPerRequest + " per request (trackObjectsPerRequest)");
        }
    }

    private static void addArray(ObjectNode body, String name, List<ObjectNode> objects) {
        if (!objects.isEmpty()) {
            body.putArray(name).addAll(objects);
        }
    }

    /** Settings of a {@link BrazeClient}. Defaults are Braze's documented limits. */
    public static final class Builder {
        private HttpUrl endpoint;
        private Secret apiKey;
        private int maxRequestsInFlight = 256;
        private int maxAttempts = 6;
        private Duration initialBackoff = Duration.ofMillis(500);
        private Duration maxBackoff = Duration.ofSeconds(30);
        private Duration maxRateLimitWait = Duration.ofMinutes(5);
        private Duration callTimeout = Duration.ofSeconds(30);
        private RateLimit trackRateLimit = BrazeLimits.TRACK_RATE_LIMIT;
        private RateLimit deleteRateLimit = BrazeLimits.DELETE_RATE_LIMIT;
        private RateLimit catalogRateLimit = BrazeLimits.CATALOG_RATE_LIMIT;
        private OkHttpClient okHttpClient;
        private Clock clock = Clock.systemUTC();
        private int trackObjectsPerRequest = BrazeLimits.TRACK_OBJECTS_PER_ARRAY;
        private int maxRequestBytes = BrazeLimits.MAX_REQUEST_BYTES;

        private Builder() {
        }

        /**
         * Objects per {@code /users/track} request, over its three arrays together (default
         * {@value BrazeLimits#TRACK_OBJECTS_PER_ARRAY}). Some pricing plans allow only
         * {@value BrazeLimits#TRACK_OBJECTS_PER_REQUEST_SMALL_PLAN} objects combined per request: set 50 there, or
         * Braze refuses full requests. {@code track} throws {@link IllegalArgumentException} for a larger request.
         */
        public Builder trackObjectsPerRequest(int objects) {
            if (objects < 1 || objects > BrazeLimits.TRACK_OBJECTS_PER_ARRAY) {
                throw new IllegalArgumentException("trackObjectsPerRequest must be 1 to "
                        + BrazeLimits.TRACK_OBJECTS_PER_ARRAY + ", was " + objects);
            }
            this.trackObjectsPerRequest = objects;
            return this;
        }

        /**
         * Largest request body in bytes (default {@value BrazeLimits#MAX_REQUEST_BYTES}: Braze answers 413 over
         * 4 MB). A larger body fails with {@link BrazeException.TooLarge} before it is sent.
         */
        public Builder maxRequestBytes(int bytes) {
            if (bytes < 1024) {
                throw new IllegalArgumentException("maxRequestBytes must be at least 1024, was " + bytes);
            }
            this.maxRequestBytes = bytes;
            return this;
        }

        /** The instance's REST endpoint, e.g. {@code https://rest.iad-01.braze.com} (or a local fake's URL). */
        public Builder endpoint(String endpoint) {
            Objects.requireNonNull(endpoint, "endpoint");
            HttpUrl url = HttpUrl.parse(endpoint);
            if (url == null) {
                throw new IllegalArgumentException("endpoint is not an http(s) URL: " + endpoint);
            }
            this.endpoint = url;
            return this;
        }

        /** The workspace's REST API key, which needs the permissions of the endpoints used. */
        public Builder apiKey(Secret apiKey) {
            this.apiKey = Objects.requireNonNull(apiKey, "apiKey");
            return this;
        }

        /**
         * Requests outstanding at once, over all endpoints (default 256: Braze's 1,000 requests/s at up to
         * ~250 ms each). Requests waiting for a rate-limit slot count as outstanding.
         */
        public Builder maxRequestsInFlight(int maxRequestsInFlight) {
            if (maxRequestsInFlight < 1) {
                throw new IllegalArgumentException("maxRequestsInFlight must be at least 1, was " + maxRequestsInFlight);
            }
            this.maxRequestsInFlight = maxRequestsInFlight;
            return this;
        }

        /** Attempts per request for 5xx, timeouts and dropped connections, first one included (default 6). 429s do not count. */
        public Builder maxAttempts(int maxAttempts) {
            if (maxAttempts < 1) {
                throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
            }
            this.maxAttempts = maxAttempts;
            return this;
        }

        /** First backoff after a transient failure, doubled each time with ±50% jitter (default 500 ms). */
        public Builder initialBackoff(Duration initialBackoff) {
            this.initialBackoff = positive("initialBackoff", initialBackoff);
            return this;
        }

        /** Longest backoff between attempts (default 30 s). */
        public Builder maxBackoff(Duration maxBackoff) {
            this.maxBackoff = positive("maxBackoff", maxBackoff);
            return this;
        }

        /**
         * Longest total time one request may spend waiting out 429s, and the longest one
         * {@code X-RateLimit-Reset} may hold requests (default 5 min). When a 429's reset is further away (hourly
         * plans: up to an hour), the request waits what is left of this, asks once more, then fails as a retryable
         * {@link BrazeException.Unavailable} whose message names the reset time.
         */
        public Builder maxRateLimitWait(Duration maxRateLimitWait) {
            this.maxRateLimitWait = positive("maxRateLimitWait", maxRateLimitWait);
            return this;
        }

        /** Deadline of one HTTP attempt, connect to last byte (default 30 s). */
        public Builder callTimeout(Duration callTimeout) {
            this.callTimeout = positive("callTimeout", callTimeout);
            return this;
        }

        /** The workspace's {@code /users/track} limit (default 3,000 per 3 s). */
        public Builder trackRateLimit(RateLimit limit) {
            this.trackRateLimit = Objects.requireNonNull(limit, "trackRateLimit");
            return this;
        }

        /** The {@code /users/delete} limit (default 20,000 per minute). */
        public Builder deleteRateLimit(RateLimit limit) {
            this.deleteRateLimit = Objects.requireNonNull(limit, "deleteRateLimit");
            return this;
        }

        /** The catalog items limit (default 16,000 per minute). */
        public Builder catalogRateLimit(RateLimit limit) {
            this.catalogRateLimit = Objects.requireNonNull(limit, "catalogRateLimit");
            return this;
        }

        /**
         * An OkHttp client to derive from: its connection pool, threads, interceptors and TLS settings are
         * shared (timeouts, retries and the in-flight bound are this client's own). Closing the Braze client
         * does not shut the given client down. Do not give it an interceptor that logs headers.
         */
        public Builder okHttpClient(OkHttpClient okHttpClient) {
            this.okHttpClient = Objects.requireNonNull(okHttpClient, "okHttpClient");
            return this;
        }

        /** Wall clock used to read {@code X-RateLimit-Reset}; for tests. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Builds the client. */
        public BrazeClient build() {
            if (endpoint == null) {
                throw new IllegalStateException("endpoint is required (e.g. https://rest.iad-01.braze.com)");
            }
            if (apiKey == null) {
                throw new IllegalStateException("apiKey is required");
            }
            return new BrazeClient(this);
        }

        private static Duration positive(String name, Duration value) {
            Objects.requireNonNull(value, name);
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, was " + value);
            }
            return value;
        }
    }
}
