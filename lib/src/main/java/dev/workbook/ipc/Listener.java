package dev.workbook.ipc;

import dev.workbook.codec.MessageCodec;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.security.SecureRandom;
import java.util.Objects;

/**
 * Accepts authenticated connections from other processes, on this host or others: CPython's
 * {@code multiprocessing.connection.Listener(address, authkey=...)}.
 *
 * <pre>{@code
 * byte[] key = Listener.generateKey();                  // share it with the client out of band
 * try (Listener listener = Listener.open(key)) {        // 127.0.0.1, a free port
 *     InetSocketAddress address = listener.address();   // tell the client
 *     try (Connection connection = listener.accept()) { // waits for a client with the same key
 *         connection.send("hello");
 *     }
 * }
 * }</pre>
 *
 * <p>Both ends prove they know the shared key before anything else crosses: HMAC-SHA256
 * challenge-response in both directions, as in CPython (see {@code Handshake}). The key itself never
 * crosses the network and is never stored. A client that fails makes {@link #accept()} throw an
 * {@link AuthenticationException} (as CPython's {@code accept} raises {@code AuthenticationError});
 * call {@code accept} again to serve the next client. <strong>Authentication is not encryption</strong>:
 * messages travel in clear, so outside a trusted network tunnel the connection (SSH, WireGuard...).
 *
 * <p>Binds to the loopback address unless given another: listening on a public interface is a
 * choice to make explicitly.
 */
public final class Listener implements AutoCloseable {

    private final ServerSocketChannel server;
    private final byte[] key;
    private volatile MessageCodec codec = MessageCodec.defaults();

    private Listener(ServerSocketChannel server, byte[] key) {
        this.server = server;
        this.key = key;
    }

    /** 32 random bytes from a {@link SecureRandom}: a good shared key. */
    public static byte[] generateKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return key;
    }

    /** Listens on 127.0.0.1, on a free port ({@link #address()} says which). */
    public static Listener open(byte[] authKey) throws IOException {
        return open(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), authKey);
    }

    /**
     * Listens on {@code address}.
     *
     * @param authKey the shared secret; at least 16 bytes (use {@link #generateKey()})
     * @throws IllegalArgumentException if the key is shorter than 16 bytes
     */
    public static Listener open(InetSocketAddress address, byte[] authKey) throws IOException {
        byte[] key = checkKey(authKey);
        ServerSocketChannel server = ServerSocketChannel.open();
        try {
            server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            server.bind(address);
        } catch (IOException e) {
            server.close();
            throw e;
        }
        return new Listener(server, key);
    }

    static byte[] checkKey(byte[] authKey) {
        Objects.requireNonNull(authKey, "an authentication key is required");
        if (authKey.length < 16) {
            throw new IllegalArgumentException("the authentication key has " + authKey.length
                    + " bytes; use at least 16 (Listener.generateKey() makes 32 random ones)");
        }
        return authKey.clone();
    }

    /** Sets the codec of the connections accepted from now on; returns this. */
    public Listener codec(MessageCodec codec) {
        this.codec = Objects.requireNonNull(codec, "codec");
        return this;
    }

    /** The address clients connect to. */
    public InetSocketAddress address() throws IOException {
        return (InetSocketAddress) server.getLocalAddress();
    }

    /**
     * Waits for the next client and authenticates it.
     *
     * @throws AuthenticationException if the client does not prove it knows the key (it is
     *                                 disconnected; the listener keeps listening)
     * @throws IOException if the listener is closed or the client vanished mid-handshake
     */
    public Connection accept() throws IOException {
        SocketChannel peer = server.accept();
        String who = String.valueOf(peer.getRemoteAddress());
        try {
            peer.setOption(StandardSocketOptions.TCP_NODELAY, true);
            Handshake handshake = new Handshake(peer, Handshake.DEADLINE_NANOS, who);
            try {
                handshake.authenticateAsListener(key);
            } finally {
                handshake.close();
            }
            return new Connection(peer, codec, "connection from " + who);
        } catch (IOException | RuntimeException e) {
            peer.close();
            throw e;
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }

    @Override
    public String toString() {
        try {
            return "Listener[" + address() + "]";
        } catch (IOException e) {
            return "Listener[closed]";
        }
    }
}
