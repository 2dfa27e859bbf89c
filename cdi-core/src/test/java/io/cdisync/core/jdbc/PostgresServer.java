package io.cdisync.core.jdbc;

import io.cdisync.braze.Secret;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A real PostgreSQL server for tests, started by the tests themselves: {@code initdb} into a temporary
 * directory, {@code pg_ctl start} on a free port of 127.0.0.1 ({@code fsync=off}), a database {@code cdi}
 * owned by a user {@code cdi_app} with a password (SCRAM over TCP). One server per JVM, started on first
 * use and shared by every test class; stopped by its PID (SIGINT, a fast shutdown) when the test plan ends
 * or the JVM exits, and its directory deleted.
 *
 * <pre>{@code
 * @ExtendWith(PostgresServer.class)
 * class MyTest {
 *     @Test
 *     void reads(PostgresServer pg) { ... pg.connections() ... }
 * }
 * }</pre>
 *
 * <p>Needs PostgreSQL's server binaries in {@code /usr/lib/postgresql/<version>/bin}
 * ({@code apt-get install -y postgresql}). Run as root, the server runs as the {@code postgres} user
 * through {@code runuser}. Instances of this class are handles on the one server.
 */
public final class PostgresServer implements ParameterResolver, BeforeAllCallback {
    private static final String HOST = "127.0.0.1";
    private static final String DATABASE = "cdi";
    private static final String APP_USER = "cdi_app";
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
        return "jdbc:postgresql://" + HOST + ":" + running().port + "/" + DATABASE;
    }

    /** The server's port on 127.0.0.1. */
    public int port() {
        return running().port;
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
        executeAsSuperuser("DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '" + name + "') THEN"
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

    private static void executeAsSuperuser(String sql) {
        Running r = running();
        try (Connection connection = ConnectionFactory.of(r.url("postgres"), "postgres", Secret.of(r.superPassword)).connect();
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("SQL failed: " + e.getMessage(), e);
        }
    }

    private static synchronized Running running() {
        if (running == null) {
            running = start();
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

    private static Running start() {
        Path bin = binaries();
        IllegalStateException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            try {
                return Running.start(bin, freePort());
            } catch (IllegalStateException e) {
                last = e; // most likely the port was taken between probing and binding: try another
            }
        }
        throw last;
    }

    private static Path binaries() {
        Path root = Path.of("/usr/lib/postgresql");
        List<Path> candidates = new ArrayList<>();
        if (Files.isDirectory(root)) {
            try (DirectoryStream<Path> versions = Files.newDirectoryStream(root)) {
                versions.forEach(v -> {
                    if (Files.isExecutable(v.resolve("bin/initdb")) && Files.isExecutable(v.resolve("bin/pg_ctl"))) {
                        candidates.add(v.resolve("bin"));
                    }
                });
            } catch (IOException e) {
                throw new IllegalStateException("cannot list " + root, e);
            }
        }
        return candidates.stream().max(Comparator.comparingInt(p -> versionOf(p.getParent()))).orElseThrow(() ->
                new IllegalStateException("no PostgreSQL server binaries in /usr/lib/postgresql/*/bin: these tests start a real"
                        + " PostgreSQL; install it with `apt-get install -y postgresql`"));
    }

    private static int versionOf(Path dir) {
        try {
            return Integer.parseInt(dir.getFileName().toString());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("cannot find a free port", e);
        }
    }

    /** One started server. */
    private static final class Running {
        final Path dir;
        final int port;
        final long pid;
        final String superPassword;
        final String appPassword;
        private boolean stopped;

        private Running(Path dir, int port, long pid, String superPassword, String appPassword) {
            this.dir = dir;
            this.port = port;
            this.pid = pid;
            this.superPassword = superPassword;
            this.appPassword = appPassword;
        }

        String url(String database) {
            return "jdbc:postgresql://" + HOST + ":" + port + "/" + database;
        }

        static Running start(Path bin, int port) {
            Path dir = null;
            try {
                dir = Files.createTempDirectory("cdi-pg-");
                Path data = dir.resolve("data");
                String superPassword = randomPassword();
                String appPassword = randomPassword();
                Files.writeString(dir.resolve("pwfile"), superPassword + "\n");
                boolean root = "root".equals(System.getProperty("user.name"));
                if (root) {
                    chownToPostgres(dir);
                }
                run(root, dir.resolve("initdb.log"), bin.resolve("initdb").toString(), "-D", data.toString(), "-U", "postgres",
                        "--pwfile=" + dir.resolve("pwfile"), "--auth-local=trust", "--auth-host=scram-sha-256", "-E", "UTF8",
                        "--locale=C.UTF-8", "--no-sync");
                run(root, dir.resolve("pg_ctl.log"), bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-w", "-t", "60",
                        "-l", dir.resolve("server.log").toString(), "-o", "-c listen_addresses=" + HOST + " -p " + port + " -k "
                                + dir + " -c fsync=off -c synchronous_commit=off -c full_page_writes=off", "start");
                long pid = Long.parseLong(Files.readAllLines(data.resolve("postmaster.pid")).get(0).strip());
                Running server = new Running(dir, port, pid, superPassword, appPassword);
                try (Connection c = ConnectionFactory.of(server.url("postgres"), "postgres", Secret.of(superPassword)).connect();
                        Statement s = c.createStatement()) {
                    s.execute("CREATE ROLE " + APP_USER + " LOGIN PASSWORD '" + appPassword + "'");
                    s.execute("CREATE DATABASE " + DATABASE + " OWNER " + APP_USER);
                } catch (SQLException e) {
                    server.stop();
                    throw new IllegalStateException("cannot create the test database: " + e.getMessage(), e);
                }
                return server;
            } catch (IOException e) {
                throw new IllegalStateException("cannot start PostgreSQL: " + e.getMessage(), e);
            } catch (IllegalStateException e) {
                deleteQuietly(dir);
                throw e;
            }
        }

        synchronized void stop() {
            if (stopped) {
                return;
            }
            stopped = true;
            ProcessHandle.of(pid).ifPresent(process -> {
                try {
                    // SIGINT is PostgreSQL's fast shutdown: it does not wait for clients to disconnect.
                    new ProcessBuilder("kill", "-INT", Long.toString(pid)).inheritIO().start().waitFor(10, TimeUnit.SECONDS);
                    process.onExit().get(20, TimeUnit.SECONDS);
                } catch (Exception e) {
                    process.destroyForcibly();
                }
            });
            deleteQuietly(dir);
        }

        private static void run(boolean root, Path log, String... command) throws IOException {
            List<String> full = new ArrayList<>();
            if (root) {
                full.addAll(List.of("runuser", "-u", "postgres", "--"));
            }
            full.addAll(List.of(command));
            Process process = new ProcessBuilder(full).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            try {
                if (!process.waitFor(Duration.ofSeconds(90).toSeconds(), TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    throw new IllegalStateException(command[0] + " did not finish in 90 s; see " + log);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while starting PostgreSQL", e);
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException(command[0] + " failed (exit " + process.exitValue() + "): " + Files.readString(log));
            }
        }

        private static void chownToPostgres(Path dir) throws IOException {
            UserPrincipalLookupService users = dir.getFileSystem().getUserPrincipalLookupService();
            UserPrincipal postgres = users.lookupPrincipalByName("postgres");
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : (Iterable<Path>) files::iterator) {
                    Files.setOwner(p, postgres);
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
