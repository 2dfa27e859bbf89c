package io.cdisync.core.internal;

import io.cdisync.core.DataType;
import io.cdisync.core.spi.IdentifierResolver;
import io.cdisync.core.spi.SourceRow;
import io.cdisync.core.spi.UserIdentifier;
import java.util.ArrayList;
import java.util.List;

/** Braze CDI's identifier rules (contract section 2), the one place they are written. */
public final class BrazeIdentifierRules implements IdentifierResolver {
    public static final BrazeIdentifierRules INSTANCE = new BrazeIdentifierRules();

    private static final String ONE_OF = "set exactly one of EXTERNAL_ID, ALIAS_NAME + ALIAS_LABEL, BRAZE_ID, EMAIL, PHONE";
    private static final String ONE_OF_DELETE = "set exactly one of EXTERNAL_ID, ALIAS_NAME + ALIAS_LABEL, BRAZE_ID";

    private BrazeIdentifierRules() {
    }

    @Override
    public Resolution resolve(SourceRow row, DataType dataType) {
        String blank = firstBlank(row);
        if (blank != null) {
            return Resolution.invalid(blank + " is blank; an identifier must not be empty or whitespace");
        }
        if ((row.aliasName() == null) != (row.aliasLabel() == null)) {
            String present = row.aliasName() != null ? "ALIAS_NAME" : "ALIAS_LABEL";
            String missing = row.aliasName() != null ? "ALIAS_LABEL" : "ALIAS_NAME";
            return Resolution.invalid(present + " is set but " + missing + " is missing; an alias needs both");
        }
        // Counted, not listed: the names are only spelled out for the rare row with several identifiers.
        int found = 0;
        UserIdentifier identifier = null;
        if (row.externalId() != null) {
            found++;
            identifier = new UserIdentifier.ExternalId(row.externalId());
        }
        if (row.aliasName() != null) {
            found++;
            identifier = new UserIdentifier.Alias(row.aliasName(), row.aliasLabel());
        }
        if (row.brazeId() != null) {
            found++;
            identifier = new UserIdentifier.BrazeId(row.brazeId());
        }
        boolean deletes = dataType == DataType.USER_DELETES;
        if (deletes) {
            if (found == 0 && (row.email() != null || row.phone() != null)) {
                return Resolution.invalid("user deletes cannot name a user by " + (row.email() != null ? "EMAIL" : "PHONE")
                        + "; " + ONE_OF_DELETE);
            }
        } else if (row.email() != null) {
            // Braze: with EMAIL and PHONE both present, EMAIL wins and PHONE is ignored.
            found++;
            identifier = new UserIdentifier.Email(row.email());
        } else if (row.phone() != null) {
            found++;
            identifier = new UserIdentifier.Phone(row.phone());
        }
        if (found == 0) {
            return Resolution.invalid("no identifier; " + (deletes ? ONE_OF_DELETE : ONE_OF));
        }
        if (found > 1) {
            return Resolution.invalid("several identifiers (" + String.join(", ", names(row, deletes)) + "); "
                    + (deletes ? ONE_OF_DELETE : ONE_OF));
        }
        return Resolution.of(identifier);
    }

    /** The identifier columns a row sets, as counted by {@link #resolve}. */
    private static List<String> names(SourceRow row, boolean deletes) {
        List<String> found = new ArrayList<>(5);
        if (row.externalId() != null) {
            found.add("EXTERNAL_ID");
        }
        if (row.aliasName() != null) {
            found.add("ALIAS_NAME + ALIAS_LABEL");
        }
        if (row.brazeId() != null) {
            found.add("BRAZE_ID");
        }
        if (!deletes && row.email() != null) {
            found.add("EMAIL");
        } else if (!deletes && row.phone() != null) {
            found.add("PHONE");
        }
        return found;
    }

    private static String firstBlank(SourceRow row) {
        if (isBlank(row.externalId())) {
            return "EXTERNAL_ID";
        }
        if (isBlank(row.aliasName())) {
            return "ALIAS_NAME";
        }
        if (isBlank(row.aliasLabel())) {
            return "ALIAS_LABEL";
        }
        if (isBlank(row.brazeId())) {
            return "BRAZE_ID";
        }
        if (isBlank(row.email())) {
            return "EMAIL";
        }
        if (isBlank(row.phone())) {
            return "PHONE";
        }
        return null;
    }

    private static boolean isBlank(String value) {
        return value != null && value.isBlank();
    }
}
