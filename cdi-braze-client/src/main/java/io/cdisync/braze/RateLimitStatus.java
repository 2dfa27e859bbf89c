package io.cdisync.braze;

import java.time.Instant;

/**
 * What Braze's {@code X-RateLimit-*} headers said in its latest answer about one rate-limit bucket
 * ({@code /users/track}, {@code /users/delete} or catalog items). Braze's rate limit is shared by everything
 * that uses the workspace's key, so this is how a caller sees traffic it did not send, and when a window resets.
 *
 * @param limit      {@code X-RateLimit-Limit}: requests allowed in the window, or -1 when absent or empty
 * @param remaining  {@code X-RateLimit-Remaining}, or -1 when absent or empty
 * @param reset      {@code X-RateLimit-Reset}: when the window ends (Braze: on a whole second, minute or hour),
 *                   or null when absent or empty
 * @param observedAt when the answer was read, on the client's clock
 */
public record RateLimitStatus(long limit, long remaining, Instant reset, Instant observedAt) {
}
