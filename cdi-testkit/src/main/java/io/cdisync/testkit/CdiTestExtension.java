package io.cdisync.testkit;

import io.cdisync.braze.BrazeClient;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension that hands a test a fresh {@link FakeBraze}, {@link FakeWarehouse} and a
 * {@link BrazeClient} aimed at that fake, and closes them after the test.
 *
 * <pre>{@code
 * @ExtendWith(CdiTestExtension.class)
 * class MySyncTest {
 *     @Test
 *     void syncs(FakeWarehouse warehouse, FakeBraze braze, BrazeClient client) { ... }
 * }
 * }</pre>
 * Within one test, every parameter of the same type is the same instance.
 */
public final class CdiTestExtension implements ParameterResolver, AfterEachCallback {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(CdiTestExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == FakeBraze.class || type == FakeWarehouse.class || type == BrazeClient.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        Fixtures fixtures = context.getStore(NAMESPACE).getOrComputeIfAbsent(Fixtures.class, k -> new Fixtures(), Fixtures.class);
        if (type == FakeWarehouse.class) {
            return fixtures.warehouse();
        }
        if (type == FakeBraze.class) {
            return fixtures.braze();
        }
        return fixtures.client();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        Fixtures fixtures = context.getStore(NAMESPACE).remove(Fixtures.class, Fixtures.class);
        if (fixtures != null) {
            fixtures.close();
        }
    }

    private static final class Fixtures {
        private FakeWarehouse warehouse;
        private FakeBraze braze;
        private BrazeClient client;

        synchronized FakeWarehouse warehouse() {
            if (warehouse == null) {
                warehouse = new FakeWarehouse();
            }
            return warehouse;
        }

        synchronized FakeBraze braze() {
            if (braze == null) {
                braze = FakeBraze.start();
            }
            return braze;
        }

        synchronized BrazeClient client() {
            if (client == null) {
                client = BrazeTestClients.clientFor(braze());
            }
            return client;
        }

        synchronized void close() {
            List<AutoCloseable> open = new ArrayList<>();
            if (client != null) {
                open.add(client);
            }
            if (braze != null) {
                open.add(braze);
            }
            for (AutoCloseable closeable : open) {
                try {
                    closeable.close();
                } catch (Exception e) {
                    // closing test fixtures must not hide the test's own outcome
                }
            }
        }
    }
}
