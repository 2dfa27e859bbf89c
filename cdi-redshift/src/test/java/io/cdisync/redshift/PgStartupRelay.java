package io.cdisync.redshift;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test-only TCP relay that lets Amazon's Redshift driver talk to a real PostgreSQL: it speaks just enough of
 * the PostgreSQL wire protocol to get a session started, then copies bytes both ways untouched.
 * <ul>
 * <li>An {@code SSLRequest} (or {@code GSSENCRequest}) is answered {@code 'N'}, as a server without SSL does, so
 *     the driver goes on in plain text with {@code ssl=false} and fails cleanly when SSL is required.
 * <li>The {@code StartupMessage} is rewritten keeping only the parameters PostgreSQL accepts at startup
 *     ({@link #ACCEPTED}); the driver's own ({@code driver_version}, {@code os_version},
 *     {@code client_protocol_version}, {@code driver_discovery_version}, {@code plugin_name}...) would make
 *     PostgreSQL refuse the session. The names dropped are kept in {@link #droppedParameters()}.
 * <li>Everything after that, authentication included, is the real server's: a wrong password is refused by
 *     PostgreSQL itself. A {@code CancelRequest} is passed on unchanged.
 * </ul>
 * Listens on a free port of 127.0.0.1; one thread per direction per connection (daemon threads).
 */
final class PgStartupRelay implements AutoCloseable {
    /** Startup parameters that PostgreSQL takes (matched case-insensitively); every other one is dropped. */
    static final Set<String> ACCEPTED = Set.of("user", "database", "options", "application_name", "client_encoding",
            "datestyle", "timezone", "extra_float_digits", "search_path", "intervalstyle");
    private static final int PROTOCOL_3 = 196608;
    private static final int CANCEL_REQUEST = 80877102;
    private static final int SSL_REQUEST = 80877103;
    private static final int GSSENC_REQUEST = 80877104;
    private static final int MAX_STARTUP_LENGTH = 10_000;

    private final ServerSocket listener;
    private final String targetHost;
    private final int targetPort;
    private final ExecutorService threads;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final Set<String> dropped = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private PgStartupRelay(ServerSocket listener, String targetHost, int targetPort) {
        this.listener = listener;
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        AtomicInteger count = new AtomicInteger();
        this.threads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "pg-relay-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts relaying connections on a free port of {@code host} to {@code targetHost:targetPort}. */
    static PgStartupRelay start(String host, String targetHost, int targetPort) throws IOException {
        ServerSocket listener = new ServerSocket(0, 50, InetAddress.getByName(host));
        PgStartupRelay relay = new PgStartupRelay(listener, targetHost, targetPort);
        relay.threads.execute(relay::acceptLoop);
        return relay;
    }

    /** The relay's port. */
    int port() {
        return listener.getLocalPort();
    }

    /** The startup parameter names dropped so far (lower case), over every connection. */
    Set<String> droppedParameters() {
        return Set.copyOf(dropped);
    }

    @Override
    public void close() {
        closed = true;
        closeQuietly(listener);
        open.forEach(PgStartupRelay::closeQuietly);
        threads.shutdownNow();
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket client = listener.accept();
                threads.execute(() -> serve(client));
            } catch (IOException e) {
                if (!closed) {
                    continue; // one failed accept; the listener is still open
                }
                return;
            }
        }
    }

    private void serve(Socket client) {
        Socket server = null;
        open.add(client);
        try {
            client.setTcpNoDelay(true);
            // The same buffered stream carries on after the startup: nothing it read ahead is lost.
            DataInputStream in = new DataInputStream(new BufferedInputStream(client.getInputStream()));
            OutputStream toClient = client.getOutputStream();
            byte[] first;
            while (true) {
                first = readStartupPacket(in);
                int code = ByteBuffer.wrap(first, 4, 4).getInt();
                if (code == SSL_REQUEST || code == GSSENC_REQUEST) {
                    toClient.write('N');
                    toClient.flush();
                    continue;
                }
                if (code != PROTOCOL_3 && code != CANCEL_REQUEST) {
                    return; // not a protocol this relay knows: drop the connection, as PostgreSQL would
                }
                if (code == PROTOCOL_3) {
                    first = rewriteStartup(first);
                }
                break;
            }
            server = new Socket();
            open.add(server);
            server.setTcpNoDelay(true);
            server.connect(new InetSocketAddress(targetHost, targetPort), 10_000);
            OutputStream toServer = server.getOutputStream();
            toServer.write(first);
            toServer.flush();
            Socket serverSide = server;
            threads.execute(() -> pump(serverSide, client, serverInput(serverSide), toClient));
            pump(client, server, in, toServer);
        } catch (IOException | RuntimeException e) {
            // the client went away, or the server is down: the client sees its connection closed
        } finally {
            closeQuietly(client);
            closeQuietly(server);
        }
    }

    private static InputStream serverInput(Socket server) {
        try {
            return server.getInputStream();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Copies until either side closes, then closes both. */
    private void pump(Socket fromSocket, Socket toSocket, InputStream from, OutputStream to) {
        byte[] buffer = new byte[64 * 1024];
        try {
            int n;
            while ((n = from.read(buffer)) >= 0) {
                to.write(buffer, 0, n);
                to.flush();
            }
        } catch (IOException e) {
            // closed from the other direction, or reset
        } finally {
            closeQuietly(fromSocket);
            closeQuietly(toSocket);
        }
    }

    /** A whole untyped startup-phase packet: Int32 length (itself included), then the rest. */
    private static byte[] readStartupPacket(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 8 || length > MAX_STARTUP_LENGTH) {
            throw new IOException("not a PostgreSQL startup packet (length " + length + ")");
        }
        byte[] packet = new byte[length];
        ByteBuffer.wrap(packet).putInt(length);
        in.readFully(packet, 4, length - 4);
        return packet;
    }

    /** The StartupMessage with only the {@link #ACCEPTED} parameters, in their order. */
    private byte[] rewriteStartup(byte[] packet) throws IOException {
        List<String> fields = new ArrayList<>();
        int start = 8;
        for (int i = 8; i < packet.length; i++) {
            if (packet[i] == 0) {
                if (i == start) {
                    break; // the terminating empty name
                }
                fields.add(new String(packet, start, i - start, StandardCharsets.UTF_8));
                start = i + 1;
            }
        }
        if (fields.size() % 2 != 0) {
            throw new IOException("a startup parameter without a value");
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (int i = 0; i < fields.size(); i += 2) {
            String name = fields.get(i).toLowerCase(Locale.ROOT);
            if (!ACCEPTED.contains(name)) {
                dropped.add(name);
                continue;
            }
            body.write(fields.get(i).getBytes(StandardCharsets.UTF_8));
            body.write(0);
            body.write(fields.get(i + 1).getBytes(StandardCharsets.UTF_8));
            body.write(0);
        }
        body.write(0);
        byte[] rest = body.toByteArray();
        ByteBuffer rewritten = ByteBuffer.allocate(8 + rest.length);
        rewritten.putInt(8 + rest.length).putInt(PROTOCOL_3).put(rest);
        return rewritten.array();
    }

    private static void closeQuietly(java.io.Closeable c) {
        if (c != null) {
            try {
                c.close();
            } catch (IOException e) {
                // already closed
            }
        }
    }
}
