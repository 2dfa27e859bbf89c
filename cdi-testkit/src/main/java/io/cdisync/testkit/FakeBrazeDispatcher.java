package io.cdisync.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Handles every request to a {@link FakeBraze}: routing, latency, body size (413), authentication,
 * rate limiting, fault injection, then the endpoint's contract; records each request before answering it.
 * Every answer carries {@code X-RateLimit-*} headers, as Braze's do: of the limit set, else of Braze's
 * default limit for the endpoint (counted, not enforced); empty on a 401.
 * Thread-safe. Never logs request bodies or credentials.
 */
final class FakeBrazeDispatcher implements HttpHandler {
    private static final Logger LOG = LoggerFactory.getLogger(FakeBraze.class);

    static final String TRACK_PATH = "/users/track";
    static final String DELETE_PATH = "/users/delete";
    private static final String CATALOGS_PREFIX = "/catalogs/";
    private static final String ITEMS_SUFFIX = "/items";

    private enum Endpoint {
        TRACK(Set.of("POST")),
        DELETE(Set.of("POST")),
        CATALOG_ITEMS(Set.of("POST", "PUT", "PATCH", "DELETE"));

        final Set<String> methods;

        Endpoint(Set<String> methods) {
            this.methods = methods;
        }
    }

    /** Braze's default limits, reported (not enforced) when no limit is set (braze_docs_limits.txt). */
    private final FakeBrazeRateLimiter defaultTrack = FakeBrazeRateLimiter.observing(3_000, Duration.ofSeconds(3));
    private final FakeBrazeRateLimiter defaultDelete = FakeBrazeRateLimiter.observing(20_000, Duration.ofMinutes(1));
    private final FakeBrazeRateLimiter defaultCatalog =
            FakeBrazeRateLimiter.observing(16_000, Duration.ofMinutes(1));
    private final FakeBrazeRateLimiter defaultOther = FakeBrazeRateLimiter.observing(250_000, Duration.ofHours(1));

    private final byte[] apiKey;
    private final long maxRequestBytes;
    final FakeBrazeUsers users;
    final FakeBrazeRecorder recorder;
    final FakeBrazeFaults faults = new FakeBrazeFaults();
    final AtomicReference<FakeBrazeChaos> chaos = new AtomicReference<>();
    volatile long outageUntilMillis;
    final FakeBrazeCatalogs catalogs = new FakeBrazeCatalogs();
    final FakeBrazeTrackHandler track;
    private final FakeBrazeUserDeleteHandler delete;
    final AtomicReference<FakeBrazeRateLimiter> trackLimit = new AtomicReference<>();
    final AtomicReference<FakeBrazeRateLimiter> deleteLimit = new AtomicReference<>();
    final AtomicReference<FakeBrazeRateLimiter> catalogLimit = new AtomicReference<>();
    private volatile Duration latency = Duration.ZERO;
    private final AtomicLong sequence = new AtomicLong();

    FakeBrazeDispatcher(String apiKey, boolean countOnly, int trackObjectsPerRequest, long maxRequestBytes) {
        this.apiKey = apiKey.getBytes(StandardCharsets.UTF_8);
        this.maxRequestBytes = maxRequestBytes;
        this.recorder = new FakeBrazeRecorder(countOnly);
        this.users = new FakeBrazeUsers(!countOnly);
        this.track = new FakeBrazeTrackHandler(recorder, users, trackObjectsPerRequest);
        this.delete = new FakeBrazeUserDeleteHandler(recorder, users);
    }

    void latency(Duration latency) {
        this.latency = latency;
    }

    /** Resets the windows of every rate limiter. */
    void resetLimiters() {
        for (AtomicReference<FakeBrazeRateLimiter> ref : List.of(trackLimit, deleteLimit, catalogLimit)) {
            FakeBrazeRateLimiter limiter = ref.get();
            if (limiter != null) {
                limiter.reset();
            }
        }
        for (FakeBrazeRateLimiter limiter : List.of(defaultTrack, defaultDelete, defaultCatalog, defaultOther)) {
            limiter.reset();
        }
    }

    @Override
    public void handle(HttpExchange exchange) {
        long arrival = sequence.incrementAndGet();
        Instant receivedAt = Instant.now();
        String method = exchange.getRequestMethod();
        String rawPath = exchange.getRequestURI().getPath();
        String path = rawPath == null ? "" : rawPath;
        try {
            byte[] body = exchange.getRequestBody().readAllBytes();
            sleep(latency);
            FakeBrazeResponse response;
            try {
                response = process(method, path, exchange.getRequestHeaders(), body);
            } catch (RuntimeException e) {
                LOG.warn("FakeBraze: failed to handle {} {}", method, path, e);
                response = FakeBrazeResponse.message(500, "FakeBraze internal error: " + e.getClass().getName());
            }
            if (recorder.keepsRequests()) {
                recorder.request(arrival, new RecordedBrazeRequest(method, path,
                        redacted(exchange.getRequestHeaders()), new String(body, StandardCharsets.UTF_8), response.status(),
                        receivedAt));
            } else {
                recorder.countRequest(path);
            }
            if (response.drop()) {
                LOG.debug("FakeBraze: {} {} -> connection dropped", method, path);
                return; // closing the exchange before sending headers closes the connection
            }
            LOG.debug("FakeBraze: {} {} -> {}", method, path, response.status());
            send(exchange, method, response);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the fake is closing: give up on this request
        } catch (IOException | RuntimeException e) {
            LOG.debug("FakeBraze: could not answer {} {}: {}", method, path, e.toString());
        } finally {
            exchange.close();
        }
    }

    private FakeBrazeResponse process(String method, String path, Headers headers, byte[] body)
            throws InterruptedException {
        Endpoint endpoint = route(path);
        long now = System.currentTimeMillis();
        if (endpoint == null) {
            return FakeBrazeResponse.message(404, "Not Found").withHeaders(defaultOther.tryAcquire(now).headers());
        }
        FakeBrazeRateLimiter limiter = limiter(endpoint);
        if (body.length > maxRequestBytes) {
            // "All API endpoints have a data payload limit of 4 MB ... HTTP 413" (braze_docs_limits.txt)
            return FakeBrazeResponse.message(413, "Request Entity Too Large").withHeaders(limiter.peek(now).headers());
        }
        String keySent = keyProblem(headers.getFirst("Authorization"));
        if (keySent != null) {
            // Braze echoes the key sent and sends the rate limit headers empty (braze_ruby_*_401_invalid_key.json)
            return FakeBrazeResponse.message(401, "Invalid API key: " + keySent)
                    .withHeaders(FakeBrazeRateLimiter.Decision.EMPTY_HEADERS);
        }
        FakeBrazeRateLimiter.Decision decision = limiter.tryAcquire(now);
        Map<String, String> rateHeaders = decision.headers();
        if (!decision.allowed()) {
            recorder.rateLimited();
            return FakeBrazeResponse.message(429, "Rate Limited").withHeaders(rateHeaders);
        }
        if (now < outageUntilMillis) {
            return FakeBrazeResponse.message(503, "FakeBraze outage").withHeaders(rateHeaders);
        }
        FakeBrazeFaults.Fault fault = faults.next(path);
        FakeBrazeChaos random = chaos.get();
        if (fault == null && random != null) {
            fault = random.next();
        }
        if (fault != null) {
            switch (fault.kind()) {
                case DROP:
                    return FakeBrazeResponse.dropConnection();
                case FAIL:
                    return FakeBrazeResponse.message(fault.status(),
                            "FakeBraze injected failure (HTTP " + fault.status() + ")").withHeaders(rateHeaders);
                case DELAY:
                    sleep(fault.delay());
                    break;
                default:
                    throw new IllegalStateException("Unknown fault " + fault.kind());
            }
        }
        return contract(endpoint, method, path, headers, body).withHeaders(rateHeaders);
    }

    private FakeBrazeResponse contract(Endpoint endpoint, String method, String path, Headers headers, byte[] body) {
        if (!endpoint.methods.contains(method)) {
            return FakeBrazeResponse.message(405, "Method " + method + " is not allowed on " + path)
                    .withHeaders(Map.of("Allow", String.join(", ", endpoint.methods)));
        }
        if (endpoint == Endpoint.CATALOG_ITEMS && !catalogs.exists(catalogName(path))) {
            return FakeBrazeCatalogErrors.catalogNotFound(catalogName(path));
        }
        String contentType = headers.getFirst("Content-Type");
        String mediaType = contentType == null ? "" : contentType.split(";", 2)[0].trim();
        if (!mediaType.equalsIgnoreCase("application/json")) {
            return FakeBrazeResponse.message(400, "Content-Type must be application/json");
        }
        JsonNode json;
        try {
            json = FakeBrazeJson.parse(body);
        } catch (IOException e) { // a JsonProcessingException: malformed JSON or invalid UTF-8
            return FakeBrazeResponse.message(400, "The request body is not valid JSON");
        }
        if (!json.isObject()) {
            return FakeBrazeResponse.message(400, "The request body must be a JSON object");
        }
        ObjectNode object = (ObjectNode) json;
        switch (endpoint) {
            case TRACK:
                return track.handle(object);
            case DELETE:
                return delete.handle(object);
            default:
                return catalogs.handle(method, catalogName(path), object);
        }
    }

    private static Endpoint route(String path) {
        if (path.equals(TRACK_PATH)) {
            return Endpoint.TRACK;
        }
        if (path.equals(DELETE_PATH)) {
            return Endpoint.DELETE;
        }
        return catalogName(path) == null ? null : Endpoint.CATALOG_ITEMS;
    }

    /** The catalog of a {@code /catalogs/{catalog}/items} path (trailing slash allowed), or null for any other path. */
    private static String catalogName(String path) {
        if (path.endsWith("/items/")) {
            path = path.substring(0, path.length() - 1);
        }
        if (!path.startsWith(CATALOGS_PREFIX) || !path.endsWith(ITEMS_SUFFIX)) {
            return null;
        }
        int end = path.length() - ITEMS_SUFFIX.length();
        if (end <= CATALOGS_PREFIX.length()) {
            return null;
        }
        String name = path.substring(CATALOGS_PREFIX.length(), end);
        return name.contains("/") ? null : name;
    }

    /** The limiter set for {@code endpoint}, else the one observing Braze's default limit. */
    private FakeBrazeRateLimiter limiter(Endpoint endpoint) {
        FakeBrazeRateLimiter set;
        switch (endpoint) {
            case TRACK:
                set = trackLimit.get();
                return set != null ? set : defaultTrack;
            case DELETE:
                set = deleteLimit.get();
                return set != null ? set : defaultDelete;
            default:
                set = catalogLimit.get();
                return set != null ? set : defaultCatalog;
        }
    }

    /**
     * The key sent, as Braze echoes it in its 401 message, when the Authorization header is not
     * {@code Bearer <the key>}; null when it is right.
     */
    private String keyProblem(String authorization) {
        if (authorization == null) {
            return "";
        }
        if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return authorization.trim();
        }
        String sent = authorization.substring(7).trim();
        return MessageDigest.isEqual(sent.getBytes(StandardCharsets.UTF_8), apiKey) ? null : sent;
    }

    private static Map<String, List<String>> redacted(Headers headers) {
        Map<String, List<String>> copy = new LinkedHashMap<>();
        headers.forEach((name, values) -> {
            if (name.equalsIgnoreCase("Authorization")) {
                List<String> masked = new ArrayList<>(values.size());
                for (String value : values) {
                    int space = value.indexOf(' ');
                    masked.add(space > 0 ? value.substring(0, space) + " ****" : "****");
                }
                copy.put(name, masked);
            } else {
                copy.put(name, values);
            }
        });
        return copy;
    }

    private static void send(HttpExchange exchange, String method, FakeBrazeResponse response) throws IOException {
        byte[] bytes = FakeBrazeJson.MAPPER.writeValueAsBytes(response.body());
        Headers out = exchange.getResponseHeaders();
        out.set("Content-Type", "application/json; charset=utf-8");
        response.headers().forEach(out::set);
        if (method.equals("HEAD")) {
            exchange.sendResponseHeaders(response.status(), -1);
            return;
        }
        exchange.sendResponseHeaders(response.status(), bytes.length);
        try (OutputStream os = exchange.getResponseBody()) {
            os.write(bytes);
        }
    }

    private static void sleep(Duration duration) throws InterruptedException {
        if (duration != null && !duration.isZero() && !duration.isNegative()) {
            Thread.sleep(duration.toMillis(), duration.toNanosPart() % 1_000_000);
        }
    }
}
