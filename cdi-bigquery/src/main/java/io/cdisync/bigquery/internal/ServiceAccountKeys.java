package io.cdisync.bigquery.internal;

import com.google.auth.oauth2.GoogleCredentials;
import com.google.auth.oauth2.ServiceAccountCredentials;
import io.cdisync.braze.Secret;
import io.cdisync.core.CdiException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Reads a service account's JSON key into credentials scoped for BigQuery, without ever printing the key. */
public final class ServiceAccountKeys {
    /** The OAuth scope BigQuery's API needs. */
    public static final String BIGQUERY_SCOPE = "https://www.googleapis.com/auth/bigquery";
    private static final int MAX_DETAIL = 200;

    private ServiceAccountKeys() {
    }

    /**
     * Reads a key file into a {@link Secret}.
     *
     * @throws CdiException.ConfigurationError naming the path when it cannot be read
     */
    public static Secret readFile(Path path) {
        try {
            return Secret.of(Files.readString(path, StandardCharsets.UTF_8));
        } catch (IOException | IllegalArgumentException e) {
            throw new CdiException.ConfigurationError("Cannot read the service-account key file " + path + " ("
                    + e.getClass().getSimpleName() + "); check the path and its permissions", null);
        }
    }

    /**
     * Parses a JSON key ({@code "type": "service_account"}) into scoped credentials.
     *
     * @throws CdiException.ConfigurationError when it is not a usable service-account key; the message never quotes the key
     */
    public static ServiceAccountCredentials parse(Secret json) {
        try {
            GoogleCredentials credentials = ServiceAccountCredentials.fromStream(
                    new ByteArrayInputStream(json.reveal().getBytes(StandardCharsets.UTF_8)));
            return (ServiceAccountCredentials) credentials.createScoped(List.of(BIGQUERY_SCOPE));
        } catch (IOException | RuntimeException e) {
            // No cause attached: a parser's message or stack could echo part of the key.
            throw new CdiException.ConfigurationError("The service-account key is not a usable JSON key for a service account ("
                    + e.getClass().getSimpleName() + ": " + safeDetail(json, e.getMessage()) + "). Download a new JSON key"
                    + " from IAM > Service accounts > Keys", null);
        }
    }

    private static String safeDetail(Secret json, String message) {
        if (message == null) {
            return "no detail";
        }
        String redacted = json.redact(message).replaceAll("\\s+", " ");
        if (redacted.contains("PRIVATE KEY")) {
            return "detail withheld";
        }
        return redacted.length() > MAX_DETAIL ? redacted.substring(0, MAX_DETAIL) + "..." : redacted;
    }
}
