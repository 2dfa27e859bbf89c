package io.cdisync.braze;

import java.util.Objects;

/**
 * One object that Braze refused inside an otherwise processed request.
 *
 * @param inputArray the request array the object was in ({@code attributes}, {@code events},
 *                   {@code purchases}, or {@code items} for catalogs)
 * @param index      the object's index in that array, or -1 when unknown (a catalog item id that is
 *                   not in the request)
 * @param id         the catalog item id Braze named, or null
 * @param message    Braze's reason
 */
public record ObjectError(String inputArray, int index, String id, String message) {
    public ObjectError {
        Objects.requireNonNull(inputArray, "inputArray");
        message = message == null ? "rejected by Braze" : message;
    }
}
