package io.cdisync.core.ops;

import io.cdisync.core.jdbc.TableName;
import io.cdisync.core.spi.SourceConnector;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The integrations and credentials of a host, with the rules of Braze's dashboard (contract section 7):
 * <ul>
 * <li>a new integration is a {@link IntegrationState#DRAFT draft}; it becomes {@link IntegrationState#ACTIVE active}
 *     only with a passing connection test; active and {@link IntegrationState#PAUSED paused} switch at will;
 * <li>its data type is fixed at creation;
 * <li>no two integrations read the same table with the same credentials;
 * <li>credentials are named and shared; deleting credentials an active integration uses is refused, naming it.
 * </ul>
 * Every change loads the {@link IntegrationStore}'s snapshot, checks the rules against it and commits it
 * compare-and-set, retrying a few times when another writer changed the store meanwhile: rules spanning
 * integrations hold across threads and processes. Refusals are {@link OpsException.Refused} naming the rule;
 * nothing is changed then.
 *
 * <pre>{@code
 * Integrations integrations = new Integrations(new FileIntegrationStore(Path.of("/var/lib/cdi")));
 * integrations.putCredentials(warehouse);
 * integrations.create(users);                             // a draft
 * integrations.activate("users-attributes", source);      // runs source.check(); refused if it fails
 * integrations.pause("users-attributes");
 * }</pre>
 *
 * <p>Thread-safe; methods block on the store.
 */
public final class Integrations {
    private static final Logger log = LoggerFactory.getLogger(Integrations.class);
    private static final int ATTEMPTS = 8;

    private final IntegrationStore store;
    private final Clock clock;

    /** A service over {@code store}, on the UTC system clock. */
    public Integrations(IntegrationStore store) {
        this(store, Clock.systemUTC());
    }

    /** A service over {@code store}; {@code clock} stamps connection tests. */
    public Integrations(IntegrationStore store, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The integration {@code name}, if it exists. */
    public Optional<Integration> find(String name) {
        return Optional.ofNullable(store.load().integrations().get(name));
    }

    /**
     * The integration {@code name}.
     *
     * @throws OpsException.NotFound when there is none
     */
    public Integration get(String name) {
        return find(name).orElseThrow(() -> notFound(name));
    }

    /** Every integration, by name. */
    public List<Integration> list() {
        return List.copyOf(store.load().integrations().values());
    }

    /** The credentials {@code name}, if they exist. */
    public Optional<Credentials> credentials(String name) {
        return Optional.ofNullable(store.load().credentials().get(name));
    }

    /** Every credentials, by name. */
    public List<Credentials> allCredentials() {
        return List.copyOf(store.load().credentials().values());
    }

    /** The names of the integrations using credentials {@code name}, in any state. */
    public List<String> usersOf(String credentialsName) {
        return usersOf(store.load(), credentialsName, null);
    }

    /**
     * Adds credentials, or replaces those of the same name (to rotate a secret: every integration using
     * them reads with the new values from its next run).
     */
    public Credentials putCredentials(Credentials credentials) {
        Objects.requireNonNull(credentials, "credentials");
        change(snapshot -> snapshot.with(credentials));
        log.info("credentials {} saved", credentials.name());
        return credentials;
    }

    /**
     * Deletes credentials.
     *
     * @throws OpsException.Refused   ({@link OpsException.Rule#CREDENTIALS_IN_USE}) when an active integration uses them;
     *                                the message and {@link OpsException.Refused#integrations()} name those integrations
     * @throws OpsException.NotFound when there are none
     */
    public void deleteCredentials(String name) {
        change(snapshot -> {
            if (!snapshot.credentials().containsKey(name)) {
                throw new OpsException.NotFound("no credentials named " + name);
            }
            List<String> active = usersOf(snapshot, name, IntegrationState.ACTIVE);
            if (!active.isEmpty()) {
                throw new OpsException.Refused(OpsException.Rule.CREDENTIALS_IN_USE, "credentials " + name
                        + " are used by active integration" + (active.size() > 1 ? "s " : " ") + String.join(", ", active)
                        + "; pause or delete " + (active.size() > 1 ? "them" : "it") + ", or point " + (active.size() > 1 ? "them" : "it")
                        + " to other credentials, first", active);
            }
            return snapshot.withoutCredentials(name);
        });
        log.info("credentials {} deleted", name);
    }

    /**
     * Creates an integration, as a draft.
     *
     * @throws OpsException.Refused {@link OpsException.Rule#NAME_TAKEN}, {@link OpsException.Rule#TABLE_IN_USE},
     *                              {@link OpsException.Rule#CREDENTIALS_MISSING}, or {@link OpsException.Rule#WRONG_STATE}
     *                              when {@code integration} is not a draft
     */
    public Integration create(Integration integration) {
        Objects.requireNonNull(integration, "integration");
        if (integration.state() != IntegrationState.DRAFT) {
            throw new OpsException.Refused(OpsException.Rule.WRONG_STATE, "integration " + integration.name()
                    + " must be created as a DRAFT, was " + integration.state() + "; activate it after a connection test", List.of());
        }
        change(snapshot -> {
            if (snapshot.integrations().containsKey(integration.name())) {
                throw new OpsException.Refused(OpsException.Rule.NAME_TAKEN, "an integration named " + integration.name()
                        + " exists already", List.of(integration.name()));
            }
            checkCredentials(snapshot, integration);
            checkTable(snapshot, integration);
            return snapshot.with(integration);
        });
        log.info("integration {} created ({}, table {})", integration.name(), integration.dataType(), integration.table());
        return integration;
    }

    /**
     * Changes an integration's settings (credentials, table, schedule, contacts, alerts, payload keeping);
     * its state changes only through {@link #activate}, {@link #pause} and {@link #resume}.
     *
     * @param name   the integration
     * @param change the new settings from the current ones, e.g. {@code b -> b.schedule(daily)}
     * @throws OpsException.Refused {@link OpsException.Rule#DATA_TYPE_FIXED} (or a changed catalog),
     *                              {@link OpsException.Rule#TABLE_IN_USE}, {@link OpsException.Rule#CREDENTIALS_MISSING},
     *                              {@link OpsException.Rule#WRONG_STATE} for a state change
     * @throws OpsException.NotFound when there is no such integration
     */
    public Integration update(String name, UnaryOperator<Integration.Builder> change) {
        Objects.requireNonNull(change, "change");
        Integration[] result = new Integration[1];
        change(snapshot -> {
            Integration current = existing(snapshot, name);
            Integration next = change.apply(current.toBuilder()).build();
            if (!next.name().equals(name)) {
                throw new IllegalArgumentException("an integration cannot be renamed (" + name + " -> " + next.name()
                        + "); create a new one");
            }
            if (next.dataType() != current.dataType() || !Objects.equals(next.catalog(), current.catalog())) {
                throw new OpsException.Refused(OpsException.Rule.DATA_TYPE_FIXED, "the data type of integration " + name
                        + " is fixed at creation (" + describeType(current) + "); create a new integration for "
                        + describeType(next), List.of(name));
            }
            if (next.state() != current.state()) {
                throw new OpsException.Refused(OpsException.Rule.WRONG_STATE, "change the state of integration " + name
                        + " with activate, pause or resume", List.of(name));
            }
            checkCredentials(snapshot, next);
            checkTable(snapshot, next);
            result[0] = next;
            return snapshot.with(next);
        });
        return result[0];
    }

    /**
     * Activates a draft (or a paused integration) after {@code test} passed; the test is kept as the
     * integration's last one.
     *
     * @throws OpsException.Refused {@link OpsException.Rule#CONNECTION_TEST_FAILED} with the test's message,
     *                              {@link OpsException.Rule#CREDENTIALS_MISSING}
     */
    public Integration activate(String name, ConnectionTest test) {
        Objects.requireNonNull(test, "test");
        if (!test.passed()) {
            transition(name, test, current -> current);
            throw new OpsException.Refused(OpsException.Rule.CONNECTION_TEST_FAILED, "integration " + name
                    + " stays " + get(name).state() + ": its connection test failed: " + test.message(), List.of(name));
        }
        Integration active = transition(name, test, current -> {
            if (current.state() == IntegrationState.ACTIVE) {
                return current;
            }
            return current.toBuilder().state(IntegrationState.ACTIVE).build();
        });
        log.info("integration {} activated", name);
        return active;
    }

    /**
     * Runs the connection test on {@code source} ({@link SourceConnector#check()}, blocking) and activates the
     * integration if it passed. The source should be the integration's own (its credentials and table).
     *
     * @throws OpsException.Refused {@link OpsException.Rule#CONNECTION_TEST_FAILED} with what to fix
     */
    public Integration activate(String name, SourceConnector source) {
        get(name);
        return activate(name, ConnectionTest.run(source, clock));
    }

    /**
     * Pauses an active integration: it keeps its watermark and logs but does not run.
     *
     * @throws OpsException.Refused {@link OpsException.Rule#WRONG_STATE} unless it is active (or paused already)
     */
    public Integration pause(String name) {
        Integration paused = transition(name, null, current -> switch (current.state()) {
            case ACTIVE -> current.toBuilder().state(IntegrationState.PAUSED).build();
            case PAUSED -> current;
            case DRAFT -> throw new OpsException.Refused(OpsException.Rule.WRONG_STATE, "integration " + name
                    + " is a draft; only an active integration can be paused", List.of(name));
        });
        log.info("integration {} paused", name);
        return paused;
    }

    /**
     * Resumes a paused integration (no new connection test needed).
     *
     * @throws OpsException.Refused {@link OpsException.Rule#WRONG_STATE} for a draft (activate it instead),
     *                              {@link OpsException.Rule#CREDENTIALS_MISSING} when its credentials were deleted
     */
    public Integration resume(String name) {
        Integration resumed = transition(name, null, current -> switch (current.state()) {
            case PAUSED -> current.toBuilder().state(IntegrationState.ACTIVE).build();
            case ACTIVE -> current;
            case DRAFT -> throw new OpsException.Refused(OpsException.Rule.WRONG_STATE, "integration " + name
                    + " is a draft; activate it with a passing connection test", List.of(name));
        });
        log.info("integration {} resumed", name);
        return resumed;
    }

    /**
     * Deletes an integration (its watermark and run log stay in their stores).
     *
     * @throws OpsException.NotFound when there is none
     */
    public void delete(String name) {
        change(snapshot -> {
            existing(snapshot, name);
            return snapshot.withoutIntegration(name);
        });
        log.info("integration {} deleted", name);
    }

    private Integration transition(String name, ConnectionTest test, UnaryOperator<Integration> next) {
        Integration[] result = new Integration[1];
        change(snapshot -> {
            Integration current = existing(snapshot, name);
            Integration changed = next.apply(current);
            if (test != null) {
                changed = changed.toBuilder().lastConnectionTest(test).build();
            }
            if (changed.state() == IntegrationState.ACTIVE && current.state() != IntegrationState.ACTIVE) {
                checkCredentials(snapshot, changed);
            }
            result[0] = changed;
            return changed.equals(current) ? null : snapshot.with(changed);
        });
        return result[0];
    }

    /** Applies {@code change} to the stored snapshot, compare-and-set, retrying on concurrent changes; null changes nothing. */
    private void change(UnaryOperator<IntegrationSnapshot> change) {
        for (int attempt = 1; ; attempt++) {
            IntegrationSnapshot snapshot = store.load();
            IntegrationSnapshot next = change.apply(snapshot);
            if (next == null) {
                return;
            }
            try {
                store.commit(snapshot.version(), next);
                return;
            } catch (OpsException.ConcurrentChange e) {
                if (attempt >= ATTEMPTS) {
                    throw e;
                }
                log.debug("integrations changed concurrently (attempt {}); retrying", attempt);
            }
        }
    }

    private static Integration existing(IntegrationSnapshot snapshot, String name) {
        Integration integration = snapshot.integrations().get(name);
        if (integration == null) {
            throw notFound(name);
        }
        return integration;
    }

    private static OpsException.NotFound notFound(String name) {
        return new OpsException.NotFound("no integration named " + name);
    }

    private static void checkCredentials(IntegrationSnapshot snapshot, Integration integration) {
        if (!snapshot.credentials().containsKey(integration.credentials())) {
            throw new OpsException.Refused(OpsException.Rule.CREDENTIALS_MISSING, "integration " + integration.name()
                    + " names credentials " + integration.credentials() + ", which do not exist; save them with putCredentials first",
                    List.of(integration.name()));
        }
    }

    private static void checkTable(IntegrationSnapshot snapshot, Integration integration) {
        String table = tableKey(integration.table());
        for (Integration other : snapshot.integrations().values()) {
            if (!other.name().equals(integration.name()) && other.credentials().equals(integration.credentials())
                    && tableKey(other.table()).equals(table)) {
                throw new OpsException.Refused(OpsException.Rule.TABLE_IN_USE, "table " + integration.table() + " with credentials "
                        + integration.credentials() + " is already read by integration " + other.name()
                        + "; one integration per table or view (create a view to read the same data twice)", List.of(other.name()));
            }
        }
    }

    /** Table names compare as unquoted SQL names do: part by part, case-insensitively. */
    static String tableKey(String table) {
        try {
            TableName name = TableName.parse(table.trim());
            return name.toString().toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return table.trim().toLowerCase(Locale.ROOT);
        }
    }

    private static List<String> usersOf(IntegrationSnapshot snapshot, String credentials, IntegrationState state) {
        List<String> names = new ArrayList<>();
        for (Integration integration : snapshot.integrations().values()) {
            if (integration.credentials().equals(credentials) && (state == null || integration.state() == state)) {
                names.add(integration.name());
            }
        }
        return names;
    }

    private static String describeType(Integration integration) {
        return integration.dataType() + (integration.catalog() == null ? "" : " to catalog " + integration.catalog());
    }

    @Override
    public String toString() {
        return "Integrations{" + store + "}";
    }
}
