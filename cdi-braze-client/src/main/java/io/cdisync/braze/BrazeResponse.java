package io.cdisync.braze;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Braze's answer to a request, with the objects it refused individually.
 *
 * <p>Two shapes, told apart by {@link #nothingWritten()}:
 * <ul>
 *   <li>processed (2xx): every object not named in {@link #errors()} was accepted;</li>
 *   <li>refused as a whole, but naming the objects at fault: a {@code /users/track} 400 when no object of the
 *       request is valid, or a catalog items 400 that lists invalid item ids. <em>Nothing</em> of the request was
 *       written: the objects named in {@link #errors()} are at fault, the others must be sent again (without
 *       them) to be delivered.</li>
 * </ul>
 *
 * @param statusCode        the HTTP status (201 for {@code /users/track}, 202 for deletes and catalogs)
 * @param message           Braze's {@code message} ("success" when all went through)
 * @param errors            objects refused inside the request; the others were processed
 * @param attempts          how many times the request was sent (1 when the first try succeeded)
 * @param rateLimitedWaits  how many 429 answers were waited out on the way (not counted as failures)
 * @param nothingWritten    true when Braze refused the whole request (4xx) and named the objects at fault in
 *                          {@link #errors()}: the objects it did not name were not written either
 */
public record BrazeResponse(int statusCode, String message, List<ObjectError> errors, int attempts, int rateLimitedWaits,
        boolean nothingWritten) {
    public BrazeResponse {
        errors = List.copyOf(Objects.requireNonNull(errors, "errors"));
    }

    /** A processed request (2xx): the objects not named in {@code errors} were accepted. */
    public BrazeResponse(int statusCode, String message, List<ObjectError> errors, int attempts, int rateLimitedWaits) {
        this(statusCode, message, errors, attempts, rateLimitedWaits, false);
    }

    /** The errors of one array, by index in that array. */
    public Map<Integer, ObjectError> errorsByIndex(String inputArray) {
        Map<Integer, ObjectError> byIndex = new TreeMap<>();
        for (ObjectError error : errors) {
            if (error.inputArray().equals(inputArray) && error.index() >= 0) {
                byIndex.put(error.index(), error);
            }
        }
        return byIndex;
    }
}
