package io.cdisync.core.internal;

import io.cdisync.braze.BrazeResponse;
import io.cdisync.braze.ObjectError;
import java.util.List;
import java.util.Map;

/**
 * What Braze's answer to one request means for each of its rows: delivered, refused (a row error with Braze's
 * reason), or to be sent again.
 *
 * <p>A processed request (2xx) delivered every object it did not name. A request Braze refused as a whole
 * while naming the objects at fault ({@link BrazeResponse#nothingWritten()}: a {@code /users/track} 400 when no
 * object was valid, a catalog 400 naming invalid items) wrote nothing: the named objects are refused and the
 * others go again, without them. Any 4xx answer handed over as a response is read that way, so nothing counts as
 * delivered unless Braze accepted it. A refusal that names none of the request's objects cannot be pinned on a
 * row, and a problem that is no row's fault (a full catalog), end the run instead ({@link #globalError()}).
 */
final class Answer {
    /** A row's fate. */
    enum Outcome {
        DELIVERED,
        REJECTED,
        SEND_AGAIN
    }

    private final Map<Integer, ObjectError> errors;
    private final boolean nothingWritten;
    private final String globalError;

    private Answer(Map<Integer, ObjectError> errors, boolean nothingWritten, String globalError) {
        this.errors = errors;
        this.nothingWritten = nothingWritten;
        this.globalError = globalError;
    }

    /** Reads {@code response}, Braze's answer to the request of {@code batch} (in request order). */
    static Answer of(Endpoint endpoint, BrazeResponse response, List<RowTranslator.Translated> batch) {
        String global = endpoint.globalError(response);
        boolean nothingWritten = response.nothingWritten() || response.statusCode() >= 400;
        Map<Integer, ObjectError> errors = endpoint.errors(response, batch);
        if (global == null && nothingWritten && errors.isEmpty()) {
            global = "Braze refused a whole request of " + batch.size() + " objects (" + response.statusCode()
                    + (response.message().isEmpty() ? "" : ": " + response.message()) + ") without naming any of them";
        }
        return new Answer(errors, nothingWritten, global);
    }

    /** Why the run must end (nothing of the request counts as done), or null. */
    String globalError() {
        return globalError;
    }

    /** The fate of the request's row at {@code index}. */
    Outcome outcome(int index) {
        if (errors.containsKey(index)) {
            return Outcome.REJECTED;
        }
        return nothingWritten ? Outcome.SEND_AGAIN : Outcome.DELIVERED;
    }

    /** The row error's reason for a {@link Outcome#REJECTED} row: Braze's code and message. */
    String reason(int index) {
        return "rejected by Braze: " + errors.get(index).message();
    }
}
