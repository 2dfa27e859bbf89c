package io.cdisync.redshift;

import io.cdisync.braze.Secret;
import io.cdisync.core.jdbc.PostgresServer;
import io.cdisync.core.jdbc.TestDatabase;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
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
 * A stand-in for a Redshift endpoint that Amazon's driver can talk to: pgbouncer on a free port of 127.0.0.1
 * in front of the real PostgreSQL 15 that cdi-core's {@link PostgresServer} starts. pgbouncer is what makes the
 * driver work: it offers md5 authentication (the driver cannot do SCRAM; pgbouncer does SCRAM to PostgreSQL
 * with the plain password in its auth file), drops the startup parameters PostgreSQL refuses
 * ({@code driver_version}, {@code os_version}...), and speaks without SSL (so the driver runs with
 * {@code ssl=false}). {@link RedshiftCatalog} adds the catalog views the driver queries.
 *
 * <p>One per JVM, started on first use; stopped by its PID (SIGTERM) when the test plan ends or the JVM exits.
 * Run as root, pgbouncer runs as the {@code postgres} user through {@code runuser}. Needs {@code pgbouncer}
 * ({@code apt-get install -y pgbouncer}).
 */
public final class PgBouncerServer implements ParameterResolver, BeforeAllCallback {
    static final String HOST = "127.0.0.1";
    static final String DATABASE = "cdi";
    /** A login user with no grant on any table, for missing-grant tests. */
    static final String READER = "cdi_redshift_reader";
    static final Secret READER_PASSWORD = Secret.of("reader-pw-Zq81nVd4");
    private static final String IGNORED_STARTUP_PARAMETERS =
            "extra_float_digits,driver_version,os_version,client_protocol_version,driver_discovery_version,plugin_name";
    private static Running running;

    /** A handle on the JVM's pgbouncer; JUnit calls this for {@code @ExtendWith}. */
    public PgBouncerServer() {
    }

    /** The JVM's pgbouncer, started now (with PostgreSQL behind it) if it is not running yet. */
    public static PgBouncerServer shared() {
        running();
        return new PgBouncerServer();
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        running();
        context.getRoot().getStore(ExtensionContext.Namespace.create(PgBouncerServer.class))
                .getOrComputeIfAbsent("pgbouncer", k -> (AutoCloseable) PgBouncerServer::stop, AutoCloseable.class);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == PgBouncerServer.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return shared();
    }

    /** pgbouncer's port on 127.0.0.1. */
    public int port() {
        return running().port;
    }

    /** The PostgreSQL server behind pgbouncer. */
    public PostgresServer postgres() {
        return PostgresServer.shared();
    }

    /** The database behind pgbouncer, written to directly through pgjdbc (to create tables and rows). */
    public TestDatabase database() {
        return TestDatabase.postgres(postgres());
    }

    /** A source on {@code table} as the application user, through pgbouncer, SSL off; the rest at its defaults. */
    public RedshiftSource.Builder source(String table) {
        return RedshiftSource.builder().host(HOST).port(port()).database(DATABASE).user(postgres().user())
                .password(postgres().password()).ssl(false).table(table);
    }

    private static synchronized Running running() {
        if (running == null) {
            PostgresServer pg = PostgresServer.shared();
            pg.createUser(READER, READER_PASSWORD);
            RedshiftCatalog.install(pg);
            running = start(pg);
            Running started = running;
            Runtime.getRuntime().addShutdownHook(new Thread(started::stop, "pgbouncer-stop"));
        }
        return running;
    }

    private static synchronized void stop() {
        if (running != null) {
            running.stop();
            running = null;
        }
    }

    private static Running start(PostgresServer pg) {
        IllegalStateException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            try {
                return Running.start(pg, freePort());
            } catch (IllegalStateException e) {
                last = e; // most likely the port was taken between probing and binding: try another
            }
        }
        throw last;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("cannot find a free port", e);
        }
    }

    private static String executable() {
        for (String dir : (System.getenv().getOrDefault("PATH", "") + ":/usr/sbin:/usr/bin").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "pgbouncer"))) {
                return Path.of(dir, "pgbouncer").toString();
            }
        }
        throw new IllegalStateException("pgbouncer is not installed: cdi-redshift's tests run Amazon's Redshift driver"
                + " through it; install it with `apt-get install -y pgbouncer`");
    }

    /** One started pgbouncer. */
    private static final class Running {
        final Path dir;
        final int port;
        final long pid;
        private boolean stopped;

        private Running(Path dir, int port, long pid) {
            this.dir = dir;
            this.port = port;
            this.pid = pid;
        }

        static Running start(PostgresServer pg, int port) {
            Path dir = null;
            try {
                dir = Files.createTempDirectory("cdi-pgbouncer-");
                Path users = dir.resolve("userlist.txt");
                // Plain passwords: pgbouncer then answers the driver's md5 and does SCRAM to PostgreSQL itself.
                Files.writeString(users, quoted(pg.user()) + " " + quoted(pg.password().reveal()) + "\n"
                        + quoted(READER) + " " + quoted(READER_PASSWORD.reveal()) + "\n");
                Files.setPosixFilePermissions(users, PosixFilePermissions.fromString("rw-------"));
                Path ini = dir.resolve("pgbouncer.ini");
                Files.writeString(ini, String.join("\n",
                        "[databases]",
                        "* = host=" + HOST + " port=" + pg.port(),
                        "[pgbouncer]",
                        "listen_addr = " + HOST,
                        "listen_port = " + port,
                        "unix_socket_dir =",
                        "auth_type = md5",
                        "auth_file = " + users,
                        "pool_mode = session",
                        "max_client_conn = 200",
                        "default_pool_size = 50",
                        "ignore_startup_parameters = " + IGNORED_STARTUP_PARAMETERS,
                        "logfile = " + dir.resolve("pgbouncer.log"),
                        "pidfile = " + dir.resolve("pgbouncer.pid"),
                        ""));
                boolean root = "root".equals(System.getProperty("user.name"));
                if (root) {
                    chownToPostgres(dir);
                }
                List<String> command = new ArrayList<>();
                if (root) {
                    command.addAll(List.of("runuser", "-u", "postgres", "--"));
                }
                command.addAll(List.of(executable(), "-d", ini.toString()));
                Process process = new ProcessBuilder(command).redirectErrorStream(true)
                        .redirectOutput(dir.resolve("start.log").toFile()).start();
                if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                    process.destroyForcibly();
                    throw new IllegalStateException("pgbouncer did not start: " + log(dir));
                }
                long pid = awaitListening(dir, port);
                return new Running(dir, port, pid);
            } catch (IOException e) {
                deleteQuietly(dir);
                throw new IllegalStateException("cannot start pgbouncer: " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                deleteQuietly(dir);
                throw new IllegalStateException("interrupted while starting pgbouncer", e);
            } catch (IllegalStateException e) {
                deleteQuietly(dir);
                throw e;
            }
        }

        /** Waits for the pidfile and for the port to accept a connection; the PID. */
        private static long awaitListening(Path dir, int port) throws IOException, InterruptedException {
            Path pidfile = dir.resolve("pgbouncer.pid");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (System.nanoTime() < deadline) {
                if (Files.exists(pidfile)) {
                    String text = Files.readString(pidfile).strip();
                    if (!text.isEmpty()) {
                        try (Socket socket = new Socket()) {
                            socket.connect(new InetSocketAddress(HOST, port), 500);
                            return Long.parseLong(text);
                        } catch (IOException notYet) {
                            // not listening yet
                        }
                    }
                }
                Thread.sleep(50);
            }
            throw new IllegalStateException("pgbouncer did not listen on " + HOST + ":" + port + " within 15 s: " + log(dir));
        }

        synchronized void stop() {
            if (stopped) {
                return;
            }
            stopped = true;
            ProcessHandle.of(pid).ifPresent(process -> {
                process.destroy(); // SIGTERM: pgbouncer's immediate shutdown
                try {
                    process.onExit().get(10, TimeUnit.SECONDS);
                } catch (Exception e) {
                    process.destroyForcibly();
                }
            });
            deleteQuietly(dir);
        }

        private static String quoted(String s) {
            return '"' + s.replace("\"", "\"\"") + '"';
        }

        private static String log(Path dir) {
            StringBuilder text = new StringBuilder();
            for (String name : List.of("start.log", "pgbouncer.log")) {
                try {
                    text.append(Files.readString(dir.resolve(name))).append('\n');
                } catch (IOException ignored) {
                    // not written
                }
            }
            return text.toString().strip();
        }

        private static void chownToPostgres(Path dir) throws IOException {
            UserPrincipal postgres = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres");
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : (Iterable<Path>) files::iterator) {
                    Files.setOwner(p, postgres);
                }
            }
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
