package io.cdisync.braze;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Braze's answer to a request that was processed (2xx), with the objects it refused individually.
 * A catalog write that Braze answers 400 with errors naming some of the request's items is also
 * returned as a response (status 400, those items in {@link #errors()}), not as an exception.
 *
 * @param statusCode        the HTTP status (201 for {@code /users/track}, 202 for deletes and catalogs)
 * @param message           Braze's {@code message} ("success" when all went through)
 * @param errors            objects refused inside the request; the others were processed
 * @param attempts          how many times the request was sent (1 when the first try succeeded)
 * @param rateLimitedWaits  how many 429 answers were waited out on the way (not counted as failures)
 */
public record BrazeResponse(int statusCode, String message, List<ObjectError> errors, int attempts, int rateLimitedWaits) {
    public BrazeResponse {
        errors = List.copyOf(Objects.requireNonNull(errors, "errors"));
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
