package io.cdisync.testkit;

import static io.cdisync.testkit.FakeBrazeJson.isNonBlankText;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;

/**
 * Why Braze would refuse one {@code /users/track} object, in Braze's words where they are recorded
 * (rudderstack_track_*.json). Lenient where Braze is: an integer {@code external_id} or {@code product_id}
 * and a {@code "2019-02-15 00:00:00 -0500"} time are accepted (braze_ruby_track_201_success.json).
 */
final class FakeBrazeTrackChecks {
    static final String IDENTIFIER_REQUIRED = "'external_id', 'braze_id', 'user_alias', 'email' or 'phone' is required";
    static final String INVALID_EMAIL = "The value provided for the 'email' field is not a valid email.";

    private static final Pattern CURRENCY = Pattern.compile("[A-Za-z]{3}");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s.]+(\\.[^@\\s.]+)+");
    /** The time form Braze accepts besides ISO 8601, e.g. {@code 2019-02-15 00:00:00 -0500}. */
    private static final Pattern SPACED_TIME =
            Pattern.compile("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}(\\.\\d+)?( ?(Z|[+-]\\d{2}:?\\d{2}))?");

    private FakeBrazeTrackChecks() {
    }

    /** Why Braze would refuse {@code element} of array {@code arrayName}, or null if it would not. */
    static String problem(String arrayName, JsonNode element) {
        if (element == null || !element.isObject()) {
            return "Each item in '" + arrayName + "' must be a JSON object";
        }
        String identifierProblem = identifierProblem(element);
        if (identifierProblem != null) {
            return identifierProblem;
        }
        JsonNode updateExistingOnly = element.get("_update_existing_only");
        if (updateExistingOnly != null && !updateExistingOnly.isBoolean()) {
            return "'_update_existing_only' must be a boolean";
        }
        JsonNode email = element.get("email");
        if (email != null && !email.isNull() && !(email.isTextual() && EMAIL.matcher(email.textValue()).matches())) {
            return INVALID_EMAIL;
        }
        switch (arrayName) {
            case "events":
                if (!isNonBlankText(element.get("name"))) {
                    return "'name' is required";
                }
                return timeProblem(element);
            case "purchases":
                JsonNode productId = element.get("product_id");
                if (!isNonBlankText(productId) && (productId == null || !productId.isIntegralNumber())) {
                    return "'product_id' is required";
                }
                JsonNode currency = element.get("currency");
                if (currency == null || !currency.isTextual() || !CURRENCY.matcher(currency.textValue()).matches()) {
                    return "'currency' is not valid";
                }
                JsonNode price = element.get("price");
                if (price == null || !price.isNumber()) {
                    return "'price' is not valid";
                }
                JsonNode quantity = element.get("quantity");
                if (quantity != null && !(quantity.isIntegralNumber() && quantity.asLong() >= 1
                        && quantity.asLong() <= 100)) {
                    return "'quantity' is not valid";
                }
                return timeProblem(element);
            default:
                return null;
        }
    }

    /**
     * One of {@code external_id}, {@code user_alias} or {@code braze_id} identifies the user; without
     * them {@code email} (or else {@code phone}) does. With one of them, {@code email} and {@code phone}
     * are profile fields.
     */
    private static String identifierProblem(JsonNode object) {
        int primary = 0;
        JsonNode externalId = object.get("external_id");
        if (externalId != null && !externalId.isNull()) {
            primary++;
            if (!isNonBlankText(externalId) && !externalId.isIntegralNumber()) {
                return "'external_id' must be a non-empty string";
            }
        }
        JsonNode alias = object.get("user_alias");
        if (alias != null && !alias.isNull()) {
            primary++;
            if (!FakeBrazeJson.isUserAlias(alias)) {
                return "'user_alias' must be an object with non-empty string 'alias_name' and 'alias_label'";
            }
        }
        JsonNode brazeId = object.get("braze_id");
        if (brazeId != null && !brazeId.isNull()) {
            primary++;
            if (!isNonBlankText(brazeId)) {
                return "'braze_id' must be a non-empty string";
            }
        }
        if (primary > 1) {
            return "Only one of 'external_id', 'braze_id' or 'user_alias' may identify the user";
        }
        if (primary == 0) {
            JsonNode email = object.get("email");
            JsonNode phone = object.get("phone");
            boolean hasEmail = email != null && !email.isNull();
            boolean hasPhone = phone != null && !phone.isNull();
            if (!hasEmail && !hasPhone) {
                return IDENTIFIER_REQUIRED;
            }
            if (!hasEmail && !isNonBlankText(phone)) {
                return "'phone' must be a non-empty string";
            }
        }
        return null;
    }

    private static String timeProblem(JsonNode object) {
        JsonNode time = object.get("time");
        if (time == null || !time.isTextual()) {
            return "'time' is required";
        }
        String text = time.textValue();
        if (SPACED_TIME.matcher(text).matches()) {
            return null;
        }
        try {
            DateTimeFormatter.ISO_DATE_TIME.parse(text);
            return null;
        } catch (DateTimeParseException e) {
            return "'time' is not valid";
        }
    }
}
