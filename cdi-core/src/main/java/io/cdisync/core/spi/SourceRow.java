package io.cdisync.core.spi;

import java.time.Instant;

/**
 * One row of a CDI source table, as a connector read it.
 *
 * <p>Columns a table does not have are null. {@code payload} is the PAYLOAD column as the warehouse
 * gave it: JSON text ({@link String}), or a structured value ({@code Map<String, ?>} for a STRUCT or
 * MAP, or a Jackson {@code JsonNode}). The engine validates everything; a connector only copies values.
 *
 * @param rowKey      how to name this row in errors (e.g. {@code "users_sync#42"} or {@code "file.csv:17"}); null lets the
 *                    engine name it by position and UPDATED_AT
 * @param updatedAt   UPDATED_AT in UTC, or null when the column held NULL
 * @param externalId  EXTERNAL_ID
 * @param aliasName   ALIAS_NAME
 * @param aliasLabel  ALIAS_LABEL
 * @param brazeId     BRAZE_ID
 * @param email       EMAIL
 * @param phone       PHONE
 * @param id          ID (catalog item id)
 * @param deleted     DELETED (catalog items), null when absent
 * @param payload     PAYLOAD, null when absent or NULL; for a record the source could not read at all, an
 *                    {@link Unreadable} (see {@link #unreadable(String, String)})
 */
public record SourceRow(String rowKey, Instant updatedAt, String externalId, String aliasName, String aliasLabel,
        String brazeId, String email, String phone, String id, Boolean deleted, Object payload) {

    /**
     * A record the source found but could not read (a line of a file that is not JSON, a CSV record with
     * the wrong number of values...). The engine reports it as a row error naming {@code rowKey} and
     * {@code reason}, and goes on with the next row.
     *
     * @param rowKey where the record is, e.g. {@code "exports/users-1.json:17"}
     * @param reason what is wrong with it; never the record's content
     */
    public static SourceRow unreadable(String rowKey, String reason) {
        return builder().rowKey(java.util.Objects.requireNonNull(rowKey, "rowKey"))
                .payload(new Unreadable(java.util.Objects.requireNonNull(reason, "reason"))).build();
    }

    /** Whether this row stands for a record the source could not read. */
    public boolean isUnreadable() {
        return payload instanceof Unreadable;
    }

    /** The payload of {@link #unreadable(String, String)} rows: why the record could not be read. */
    public record Unreadable(String reason) {
    }

    /** A builder with every column null. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this row's values. */
    public Builder toBuilder() {
        return new Builder().rowKey(rowKey).updatedAt(updatedAt).externalId(externalId).aliasName(aliasName)
                .aliasLabel(aliasLabel).brazeId(brazeId).email(email).phone(phone).id(id).deleted(deleted).payload(payload);
    }

    @Override
    public String toString() {
        // The payload may hold personal data: rows print their key and time only.
        return "SourceRow{" + (rowKey == null ? "" : rowKey + ", ") + "updatedAt=" + updatedAt + "}";
    }

    /** Builds a {@link SourceRow}; unset columns stay null. */
    public static final class Builder {
        private String rowKey;
        private Instant updatedAt;
        private String externalId;
        private String aliasName;
        private String aliasLabel;
        private String brazeId;
        private String email;
        private String phone;
        private String id;
        private Boolean deleted;
        private Object payload;

        private Builder() {
        }

        public Builder rowKey(String rowKey) {
            this.rowKey = rowKey;
            return this;
        }

        public Builder updatedAt(Instant updatedAt) {
            this.updatedAt = updatedAt;
            return this;
        }

        public Builder externalId(String externalId) {
            this.externalId = externalId;
            return this;
        }

        public Builder aliasName(String aliasName) {
            this.aliasName = aliasName;
            return this;
        }

        public Builder aliasLabel(String aliasLabel) {
            this.aliasLabel = aliasLabel;
            return this;
        }

        public Builder brazeId(String brazeId) {
            this.brazeId = brazeId;
            return this;
        }

        public Builder email(String email) {
            this.email = email;
            return this;
        }

        public Builder phone(String phone) {
            this.phone = phone;
            return this;
        }

        public Builder id(String id) {
            this.id = id;
            return this;
        }

        public Builder deleted(Boolean deleted) {
            this.deleted = deleted;
            return this;
        }

        public Builder payload(Object payload) {
            this.payload = payload;
            return this;
        }

        public SourceRow build() {
            return new SourceRow(rowKey, updatedAt, externalId, aliasName, aliasLabel, brazeId, email, phone, id, deleted, payload);
        }
    }
}
