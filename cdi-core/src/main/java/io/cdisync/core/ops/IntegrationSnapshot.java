package io.cdisync.core.ops;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Every integration and credentials of an {@link IntegrationStore}, at one version. The store keeps
 * them as one value so that rules spanning several integrations (one integration per table,
 * credentials in use) are checked and committed atomically.
 *
 * @param version      the store's version of this snapshot: 0 when nothing was ever stored, then growing with each commit
 * @param integrations integrations by name
 * @param credentials  credentials by name
 */
public record IntegrationSnapshot(long version, Map<String, Integration> integrations, Map<String, Credentials> credentials) {
    /** The empty store. */
    public static final IntegrationSnapshot EMPTY = new IntegrationSnapshot(0, Map.of(), Map.of());

    public IntegrationSnapshot {
        if (version < 0) {
            throw new IllegalArgumentException("version must not be negative, was " + version);
        }
        integrations = Collections.unmodifiableMap(new TreeMap<>(Objects.requireNonNull(integrations, "integrations")));
        credentials = Collections.unmodifiableMap(new TreeMap<>(Objects.requireNonNull(credentials, "credentials")));
        integrations.forEach((name, i) -> {
            if (!name.equals(i.name())) {
                throw new IllegalArgumentException("integration " + i.name() + " is filed under '" + name + "'");
            }
        });
        credentials.forEach((name, c) -> {
            if (!name.equals(c.name())) {
                throw new IllegalArgumentException("credentials " + c.name() + " are filed under '" + name + "'");
            }
        });
    }

    /** This snapshot with {@code integration} added or replaced (same version). */
    public IntegrationSnapshot with(Integration integration) {
        Map<String, Integration> next = new TreeMap<>(integrations);
        next.put(integration.name(), integration);
        return new IntegrationSnapshot(version, next, credentials);
    }

    /** This snapshot without the integration {@code name}. */
    public IntegrationSnapshot withoutIntegration(String name) {
        Map<String, Integration> next = new TreeMap<>(integrations);
        next.remove(name);
        return new IntegrationSnapshot(version, next, credentials);
    }

    /** This snapshot with {@code credentials} added or replaced. */
    public IntegrationSnapshot with(Credentials added) {
        Map<String, Credentials> next = new TreeMap<>(credentials);
        next.put(added.name(), added);
        return new IntegrationSnapshot(version, integrations, next);
    }

    /** This snapshot without the credentials {@code name}. */
    public IntegrationSnapshot withoutCredentials(String name) {
        Map<String, Credentials> next = new TreeMap<>(credentials);
        next.remove(name);
        return new IntegrationSnapshot(version, integrations, next);
    }

    /** This snapshot at another version. */
    public IntegrationSnapshot atVersion(long newVersion) {
        return new IntegrationSnapshot(newVersion, integrations, credentials);
    }

    @Override
    public String toString() {
        return "IntegrationSnapshot{version=" + version + ", integrations=" + integrations.keySet() + ", credentials="
                + credentials.keySet() + "}";
    }
}
