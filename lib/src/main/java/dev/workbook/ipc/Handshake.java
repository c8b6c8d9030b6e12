package dev.workbook.ipc;

import java.io.EOFException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.nio.charset.StandardCharsets;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Small frames exchanged before a connection carries messages: a pipe's token, and the HMAC
 * challenge-response of {@link Listener} and {@link Client}, in the spirit of CPython's
 * {@code deliver_challenge}/{@code answer_challenge}:
 * <pre>
 *   listener -> client   "WBAUTH1:" + 32 random bytes             (challenge)
 *   client -> listener   HMAC-SHA256(key, challenge)
 *   listener -> client   "#WELCOME#" or "#FAILURE#" (then closes)
 *   ... and the same again the other way, so each side proves it knows the key.
 * </pre>
 * Every frame is at most {@value #MAX_FRAME} bytes and the whole exchange must finish within a deadline,
 * so an unauthenticated peer can neither make us allocate nor hold us forever. Responses are compared in
 * constant time.
 */
final class Handshake {

    static final int MAX_FRAME = 256;
    static final long DEADLINE_NANOS = 20_000_000_000L;
    private static final byte[] PREFIX = "WBAUTH1:".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] WELCOME = "#WELCOME#".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] FAILURE = "#FAILURE#".getBytes(StandardCharsets.US_ASCII);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SocketChannel channel;
    private final Selector selector;
    private final long deadline;
    private final String peer;

    /** Puts the channel in non-blocking mode for the exchange; {@link #close()} leaves it so. */
    Handshake(SocketChannel channel, long timeoutNanos, String peer) throws IOException {
        this.channel = channel;
        this.peer = peer;
        this.deadline = System.nanoTime() + timeoutNanos;
        channel.configureBlocking(false);
        this.selector = Selector.open();
        channel.register(selector, SelectionKey.OP_READ);
    }

    void close() throws IOException {
        selector.close();
    }

    /** The listener's side: challenge the client, then answer its challenge. */
    void authenticateAsListener(byte[] key) throws IOException {
        challenge(key, "client " + peer);
        answer(key, "listener");
    }

    /** The client's side: answer the listener's challenge, then challenge it. */
    void authenticateAsClient(byte[] key) throws IOException {
        answer(key, "listener at " + peer);
        challenge(key, "listener at " + peer);
    }

    private void challenge(byte[] key, String who) throws IOException {
        byte[] challenge = new byte[PREFIX.length + 32];
        System.arraycopy(PREFIX, 0, challenge, 0, PREFIX.length);
        byte[] random = new byte[32];
        RANDOM.nextBytes(random);
        System.arraycopy(random, 0, challenge, PREFIX.length, 32);
        write(challenge);
        byte[] response = read();
        if (!MessageDigest.isEqual(response, hmac(key, challenge))) {
            write(FAILURE);
            throw new AuthenticationException(who + " failed authentication: it does not know the key");
        }
        write(WELCOME);
    }

    private void answer(byte[] key, String who) throws IOException {
        byte[] challenge = read();
        if (challenge.length < PREFIX.length
                || !MessageDigest.isEqual(java.util.Arrays.copyOf(challenge, PREFIX.length), PREFIX)) {
            throw new AuthenticationException(who + " does not speak the workbook's authentication protocol");
        }
        write(hmac(key, challenge));
        byte[] verdict = read();
        if (!MessageDigest.isEqual(verdict, WELCOME)) {
            throw new AuthenticationException(who + " refused our key: the two ends were given different keys");
        }
    }

    static byte[] hmac(byte[] key, byte[] message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(message);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
        }
    }

    void write(byte[] payload) throws IOException {
        ByteBuffer frame = ByteBuffer.allocate(8 + payload.length);
        frame.putInt(payload.length).putInt(0).put(payload).flip(); // length, an unused word, payload
        while (frame.hasRemaining()) {
            if (channel.write(frame) == 0) {
                Thread.onSpinWait(); // 300 bytes at most: the socket buffer takes them
            }
        }
    }

    byte[] read() throws IOException {
        ByteBuffer header = readExactly(8);
        int length = header.getInt();
        if (length < 0 || length > MAX_FRAME) {
            throw new AuthenticationException("the peer " + peer + " sent a " + length
                    + "-byte frame during the handshake (limit " + MAX_FRAME + "): not a workbook peer");
        }
        return readExactly(length).array();
    }

    private ByteBuffer readExactly(int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining()) {
            int read = channel.read(buffer);
            if (read < 0) {
                throw new EOFException("the peer " + peer + " closed the connection during the handshake");
            }
            if (read == 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new SocketTimeoutException("the peer " + peer + " did not finish the handshake in time");
                }
                selector.select(Math.max(1, left / 1_000_000));
                selector.selectedKeys().clear();
                if (Thread.currentThread().isInterrupted()) {
                    throw new java.io.InterruptedIOException("interrupted during the handshake with " + peer);
                }
            }
        }
        return buffer.flip();
    }
}
