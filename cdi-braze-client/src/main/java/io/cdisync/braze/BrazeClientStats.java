package io.cdisync.braze;

/**
 * Counters of a {@link BrazeClient} since it was built.
 *
 * @param requests          HTTP attempts sent, retries and 429s included
 * @param retries           attempts repeated after a 5xx, timeout or dropped connection
 * @param rateLimited       429 answers waited out
 * @param failures          requests that failed for good
 */
public record BrazeClientStats(long requests, long retries, long rateLimited, long failures) {
}
