package dev.workbook.ipc;

import dev.workbook.codec.MessageCodec;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;

/**
 * Connects to a {@link Listener}, on this host or another: CPython's
 * {@code multiprocessing.connection.Client(address, authkey=...)}.
 *
 * <p>A process handed the listener's address and key (both serializable values) can connect from
 * anywhere that reaches the address. Both sides prove they know the key before any message crosses.
 */
public final class Client {

    private Client() {
    }

    /** Connects with the default codec. */
    public static Connection connect(InetSocketAddress address, byte[] authKey) throws IOException {
        return connect(address, authKey, MessageCodec.defaults());
    }

    /**
     * Connects and authenticates.
     *
     * @throws AuthenticationException if the listener has another key
     * @throws IOException if nobody listens there, or the connection breaks
     */
    public static Connection connect(InetSocketAddress address, byte[] authKey, MessageCodec codec)
            throws IOException {
        byte[] key = Listener.checkKey(authKey);
        SocketChannel channel = SocketChannel.open(address);
        try {
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            Handshake handshake = new Handshake(channel, Handshake.DEADLINE_NANOS, String.valueOf(address));
            try {
                handshake.authenticateAsClient(key);
            } finally {
                handshake.close();
            }
            return new Connection(channel, codec, "connection to " + address);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }
}
