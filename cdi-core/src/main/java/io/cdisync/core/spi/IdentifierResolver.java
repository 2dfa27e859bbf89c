package io.cdisync.core.spi;

import io.cdisync.core.DataType;
import io.cdisync.core.internal.BrazeIdentifierRules;
import java.util.Objects;

/**
 * Decides which user a row names. {@link #braze()} applies Braze CDI's rules; a custom resolver can
 * map other identifier schemes, but must still return exactly one identifier per row.
 *
 * <p>Called by the engine on the sync's thread for every row; must be fast and must not block.
 */
@FunctionalInterface
public interface IdentifierResolver {
    /** Resolves the row's identifier for the data type, or explains why it cannot. */
    Resolution resolve(SourceRow row, DataType dataType);

    /**
     * Braze's rules: exactly one of EXTERNAL_ID, the alias pair (ALIAS_NAME and ALIAS_LABEL), BRAZE_ID,
     * EMAIL or PHONE; EMAIL and PHONE together mean EMAIL (PHONE ignored); blank values count as absent
     * only when NULL, a blank string is an error; user deletes take EXTERNAL_ID, the alias pair or
     * BRAZE_ID only.
     */
    static IdentifierResolver braze() {
        return BrazeIdentifierRules.INSTANCE;
    }

    /** The outcome of {@link #resolve}: an identifier, or a reason naming the columns found. */
    record Resolution(UserIdentifier identifier, String error) {
        public Resolution {
            if ((identifier == null) == (error == null)) {
                throw new IllegalArgumentException("a resolution has exactly one of identifier and error");
            }
        }

        public static Resolution of(UserIdentifier identifier) {
            return new Resolution(Objects.requireNonNull(identifier, "identifier"), null);
        }

        public static Resolution invalid(String error) {
            return new Resolution(null, Objects.requireNonNull(error, "error"));
        }

        public boolean isValid() {
            return identifier != null;
        }
    }
}
