package io.cdisync.core.ops;

import io.cdisync.core.DataType;
import io.cdisync.core.schedule.Schedule;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A sync as an operator sees it on Braze's dashboard: what it reads (named {@link Credentials} and a
 * table), what it sends (a {@link DataType}, fixed at creation), when it runs, who hears about it, and
 * where it is in its life. Immutable; changes go through {@link Integrations}, which enforces the rules.
 *
 * <pre>{@code
 * Integration users = Integration.builder()
 *         .name("users-attributes")
 *         .dataType(DataType.USER_ATTRIBUTES)
 *         .credentials("warehouse")                 // shared by other integrations at will
 *         .table("ingestion.users_attributes_sync")
 *         .schedule(Schedule.every(Duration.ofHours(1), ZoneId.of("Europe/Paris")))
 *         .contacts(List.of("data-team@example.com"))
 *         .alerts(AlertSettings.GLOBAL_ERRORS_ONLY.withRowErrorPercentAbove(5))
 *         .build();
 * }</pre>
 *
 * @param name                  the integration's name; also the sync id keying its watermark (letters, digits, '.', '_', '-')
 * @param dataType              what it sends; cannot change once created
 * @param catalog               the Braze catalog, for {@link DataType#CATALOG_ITEMS} only (else null)
 * @param credentials           the name of the {@link Credentials} it reads with
 * @param table                 the table or view it reads ({@code schema.table}, or what its source type calls a table)
 * @param schedule              when it runs, or null for on demand only
 * @param contacts              e-mail addresses that receive its alerts
 * @param alerts                which alerts besides global errors
 * @param keepFailedRowPayloads true to keep the columns and payload of failed rows in the run log, so they can be
 *                              retried; false keeps only their key, UPDATED_AT, identifier and reason
 * @param state                 draft, active or paused
 * @param lastConnectionTest    the last connection test, or null
 */
public record Integration(String name, DataType dataType, String catalog, String credentials, String table, Schedule schedule,
        List<String> contacts, AlertSettings alerts, boolean keepFailedRowPayloads, IntegrationState state,
        ConnectionTest lastConnectionTest) {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    public Integration {
        Objects.requireNonNull(name, "name");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("name '" + name + "' must be 1-128 letters, digits, '.', '_' or '-',"
                    + " starting with a letter or digit");
        }
        Objects.requireNonNull(dataType, "dataType");
        if (dataType == DataType.CATALOG_ITEMS && (catalog == null || catalog.isBlank())) {
            throw new IllegalArgumentException("catalog is required for a CATALOG_ITEMS integration (the catalog's name in Braze)");
        }
        if (dataType != DataType.CATALOG_ITEMS && catalog != null) {
            throw new IllegalArgumentException("catalog is set but dataType is " + dataType + "; only CATALOG_ITEMS writes to a catalog");
        }
        requireText("credentials", credentials);
        requireText("table", table);
        contacts = List.copyOf(Objects.requireNonNull(contacts, "contacts"));
        for (String contact : contacts) {
            if (contact == null || contact.isBlank() || !contact.contains("@") || contact.chars().anyMatch(Character::isWhitespace)) {
                throw new IllegalArgumentException("contacts: '" + contact + "' is not an e-mail address");
            }
        }
        Objects.requireNonNull(alerts, "alerts");
        Objects.requireNonNull(state, "state");
    }

    /** A builder: name, data type, credentials and table are required; a new integration is a draft. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this integration's values. */
    public Builder toBuilder() {
        return new Builder().name(name).dataType(dataType).catalog(catalog).credentials(credentials).table(table)
                .schedule(schedule).contacts(contacts).alerts(alerts).keepFailedRowPayloads(keepFailedRowPayloads).state(state)
                .lastConnectionTest(lastConnectionTest);
    }

    private static void requireText(String field, String value) {
        Objects.requireNonNull(value, field);
        if (value.isBlank()) {
            throw new IllegalArgumentException(field + " must not be blank");
        }
    }

    /** Builds an {@link Integration}; defaults: no schedule, no contacts, global-error alerts, no payloads kept, DRAFT. */
    public static final class Builder {
        private String name;
        private DataType dataType;
        private String catalog;
        private String credentials;
        private String table;
        private Schedule schedule;
        private List<String> contacts = List.of();
        private AlertSettings alerts = AlertSettings.GLOBAL_ERRORS_ONLY;
        private boolean keepFailedRowPayloads;
        private IntegrationState state = IntegrationState.DRAFT;
        private ConnectionTest lastConnectionTest;

        private Builder() {
        }

        /** The name (required); also the sync id. */
        public Builder name(String name) {
            this.name = name;
            return this;
        }

        /** What it sends (required). */
        public Builder dataType(DataType dataType) {
            this.dataType = dataType;
            return this;
        }

        /** The Braze catalog, for catalog items only. */
        public Builder catalog(String catalog) {
            this.catalog = catalog;
            return this;
        }

        /** The name of the credentials it reads with (required). */
        public Builder credentials(String credentials) {
            this.credentials = credentials;
            return this;
        }

        /** The table or view (required). */
        public Builder table(String table) {
            this.table = table;
            return this;
        }

        /** When it runs; null for on demand only. */
        public Builder schedule(Schedule schedule) {
            this.schedule = schedule;
            return this;
        }

        /** Who receives alerts (e-mail addresses). */
        public Builder contacts(List<String> contacts) {
            this.contacts = contacts;
            return this;
        }

        /** Which alerts besides global errors. */
        public Builder alerts(AlertSettings alerts) {
            this.alerts = alerts;
            return this;
        }

        /** Whether failed rows keep their columns and payload in the run log, for retries (default false). */
        public Builder keepFailedRowPayloads(boolean keep) {
            this.keepFailedRowPayloads = keep;
            return this;
        }

        /** The state; {@link Integrations} sets it through its transitions, stores through this. */
        public Builder state(IntegrationState state) {
            this.state = state;
            return this;
        }

        /** The last connection test, or null. */
        public Builder lastConnectionTest(ConnectionTest test) {
            this.lastConnectionTest = test;
            return this;
        }

        /**
         * Builds the integration.
         *
         * @throws NullPointerException     naming a missing required field
         * @throws IllegalArgumentException naming an invalid field
         */
        public Integration build() {
            return new Integration(name, dataType, catalog, credentials, table, schedule, contacts, alerts, keepFailedRowPayloads,
                    state, lastConnectionTest);
        }
    }
}
