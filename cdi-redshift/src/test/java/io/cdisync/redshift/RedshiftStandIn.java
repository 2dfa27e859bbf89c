package io.cdisync.redshift;

import io.cdisync.braze.Secret;
import io.cdisync.core.jdbc.PostgresServer;
import io.cdisync.core.jdbc.TestDatabase;
import java.io.IOException;
import java.util.Set;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A stand-in for a Redshift endpoint that Amazon's driver can talk to: {@link PgStartupRelay} on a free port of
 * 127.0.0.1 in front of the real PostgreSQL that cdi-core's {@link PostgresServer} starts (binaries from Maven).
 * The relay answers the driver's SSL request with "no" (so the driver runs with {@code ssl=false}) and drops the
 * startup parameters PostgreSQL refuses ({@code driver_version}, {@code os_version}...); the server stores
 * passwords as md5 and asks for md5, which the driver can answer (it cannot do SCRAM). Authentication and every
 * query are the real server's. {@link RedshiftCatalog} adds the catalog views the driver queries.
 *
 * <p>One per JVM, started on first use; closed when the test plan ends or the JVM exits.
 */
public final class RedshiftStandIn implements ParameterResolver, BeforeAllCallback {
    static final String HOST = "127.0.0.1";
    static final String DATABASE = "cdi";
    /** A login user with no grant on any table, for missing-grant tests. */
    static final String READER = "cdi_redshift_reader";
    static final Secret READER_PASSWORD = Secret.of("reader-pw-Zq81nVd4");
    private static PgStartupRelay relay;

    /** A handle on the JVM's stand-in; JUnit calls this for {@code @ExtendWith}. */
    public RedshiftStandIn() {
    }

    /** The JVM's stand-in, started now (with PostgreSQL behind it) if it is not running yet. */
    public static RedshiftStandIn shared() {
        relay();
        return new RedshiftStandIn();
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        relay();
        context.getRoot().getStore(ExtensionContext.Namespace.create(RedshiftStandIn.class))
                .getOrComputeIfAbsent("relay", k -> (AutoCloseable) RedshiftStandIn::stop, AutoCloseable.class);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == RedshiftStandIn.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return shared();
    }

    /** The relay's port on 127.0.0.1: the "cluster" the driver connects to. */
    public int port() {
        return relay().port();
    }

    /** The startup parameters the relay has dropped so far (lower case). */
    public Set<String> droppedStartupParameters() {
        return relay().droppedParameters();
    }

    /** The PostgreSQL server behind the relay. */
    public PostgresServer postgres() {
        return PostgresServer.shared();
    }

    /** The database behind the relay, written to directly through pgjdbc (to create tables and rows). */
    public TestDatabase database() {
        return TestDatabase.postgres(postgres());
    }

    /** A source on {@code table} as the application user, through the relay, SSL off; the rest at its defaults. */
    public RedshiftSource.Builder source(String table) {
        return RedshiftSource.builder().host(HOST).port(port()).database(DATABASE).user(postgres().user())
                .password(postgres().password()).ssl(false).table(table);
    }

    private static synchronized PgStartupRelay relay() {
        if (relay == null) {
            PostgresServer pg = PostgresServer.shared();
            pg.createUser(READER, READER_PASSWORD);
            RedshiftCatalog.install(pg);
            try {
                relay = PgStartupRelay.start(HOST, HOST, pg.port());
            } catch (IOException e) {
                throw new IllegalStateException("cannot start the PostgreSQL relay: " + e.getMessage(), e);
            }
            PgStartupRelay started = relay;
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "pg-relay-stop"));
        }
        return relay;
    }

    private static synchronized void stop() {
        if (relay != null) {
            relay.close();
            relay = null;
        }
    }
}
