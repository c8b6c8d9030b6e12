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
 *
 * <p>An instance runs one side of the exchange to its end, waiting in a selector of its own: what a
 * client, or a pipe end, does. The listener serves many peers at once and runs the same exchange as a
 * {@link Listening} state machine, one per peer, driven by its selector thread.
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
        byte[] challenge = newChallenge();
        write(challenge);
        write(verdictOn(key, challenge, read(), who));
    }

    private void answer(byte[] key, String who) throws IOException {
        write(responseTo(key, read(), who));
        checkVerdict(read(), who);
    }

    private static byte[] newChallenge() {
        byte[] challenge = new byte[PREFIX.length + 32];
        System.arraycopy(PREFIX, 0, challenge, 0, PREFIX.length);
        byte[] random = new byte[32];
        RANDOM.nextBytes(random);
        System.arraycopy(random, 0, challenge, PREFIX.length, 32);
        return challenge;
    }

    /**
     * WELCOME if {@code response} proves the peer knows the key.
     *
     * @throws AuthenticationException if not, after the caller's FAILURE is sent
     */
    private byte[] verdictOn(byte[] key, byte[] challenge, byte[] response, String who) throws IOException {
        if (!MessageDigest.isEqual(response, hmac(key, challenge))) {
            write(FAILURE);
            throw new AuthenticationException(who + " failed authentication: it does not know the key");
        }
        return WELCOME;
    }

    private static byte[] responseTo(byte[] key, byte[] challenge, String who) throws AuthenticationException {
        if (challenge.length < PREFIX.length
                || !MessageDigest.isEqual(java.util.Arrays.copyOf(challenge, PREFIX.length), PREFIX)) {
            throw new AuthenticationException(who + " does not speak the workbook's authentication protocol");
        }
        return hmac(key, challenge);
    }

    private static void checkVerdict(byte[] verdict, String who) throws AuthenticationException {
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
        ByteBuffer frame = frame(payload);
        while (frame.hasRemaining()) {
            if (channel.write(frame) == 0) {
                Thread.onSpinWait(); // 300 bytes at most: the socket buffer takes them
            }
        }
    }

    private static ByteBuffer frame(byte[] payload) {
        // length, an unused word (the frame kept its shape when messages stopped carrying a codec tag), payload
        return ByteBuffer.allocate(8 + payload.length).putInt(payload.length).putInt(0).put(payload).flip();
    }

    byte[] read() throws IOException {
        ByteBuffer header = readExactly(8);
        return readExactly(checkedLength(header.getInt(), peer)).array();
    }

    private static int checkedLength(int length, String peer) throws AuthenticationException {
        if (length < 0 || length > MAX_FRAME) {
            throw new AuthenticationException("the peer " + peer + " sent a " + length
                    + "-byte frame during the handshake (limit " + MAX_FRAME + "): not a workbook peer");
        }
        return length;
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

    /**
     * The listener's side of the exchange as a state machine that never blocks: each call to
     * {@link #advance()} reads what has arrived and answers it. It reads exactly the frames of the
     * exchange and no further, so a message the client sends right after authenticating stays in the
     * socket for the {@code Connection}. Not thread-safe: one thread drives it.
     *
     * <pre>
     *   AWAIT_RESPONSE --response ok--> AWAIT_CHALLENGE --challenge--> AWAIT_VERDICT --welcome--> DONE
     *        \--wrong response: FAILURE sent, AuthenticationException       \--failure: AuthenticationException
     * </pre>
     */
    static final class Listening {
        private enum Step { AWAIT_RESPONSE, AWAIT_CHALLENGE, AWAIT_VERDICT, DONE }

        private final SocketChannel channel;
        private final byte[] key;
        private final byte[] challenge = newChallenge();
        private final String peer;
        /** When the peer must have finished, in {@link System#nanoTime()} terms. */
        final long deadline;
        private final ByteBuffer header = ByteBuffer.allocate(8);
        private ByteBuffer body;
        private Step step = Step.AWAIT_RESPONSE;

        SocketChannel channel() {
            return channel;
        }

        String peer() {
            return peer;
        }

        /** Sends the challenge; the channel must be non-blocking. */
        Listening(SocketChannel channel, byte[] key, long deadline, String peer) throws IOException {
            this.channel = channel;
            this.key = key;
            this.deadline = deadline;
            this.peer = peer;
            send(challenge);
        }

        /**
         * Reads what has arrived and answers it.
         *
         * @return true once the peer is authenticated (and has authenticated us)
         * @throws AuthenticationException if the peer does not know the key or refused ours
         * @throws IOException if the peer closed the connection, does not read what we send, or
         *                     sent something that is not the protocol ({@link java.net.ProtocolException})
         */
        boolean advance() throws IOException {
            while (step != Step.DONE) {
                byte[] frame = nextFrame();
                if (frame == null) {
                    return false;
                }
                switch (step) {
                    case AWAIT_RESPONSE -> {
                        if (!MessageDigest.isEqual(frame, hmac(key, challenge))) {
                            send(FAILURE);
                            throw new AuthenticationException("client " + peer
                                    + " failed authentication: it does not know the key");
                        }
                        send(WELCOME);
                        step = Step.AWAIT_CHALLENGE;
                    }
                    case AWAIT_CHALLENGE -> {
                        send(notAuthenticationFailure(() -> responseTo(key, frame, "client " + peer)));
                        step = Step.AWAIT_VERDICT;
                    }
                    case AWAIT_VERDICT -> {
                        checkVerdict(frame, "client " + peer);
                        step = Step.DONE;
                    }
                    default -> throw new IllegalStateException(step.name());
                }
            }
            return true;
        }

        private interface Check<T> {
            T run() throws AuthenticationException;
        }

        /**
         * A peer that does not speak the protocol has not failed to authenticate: it is no client of
         * ours, and {@code accept} should not hear of it.
         */
        private static <T> T notAuthenticationFailure(Check<T> check) throws java.net.ProtocolException {
            try {
                return check.run();
            } catch (AuthenticationException e) {
                throw new java.net.ProtocolException(e.getMessage());
            }
        }

        /** The next whole frame, or null if it has not all arrived yet. */
        private byte[] nextFrame() throws IOException {
            if (body == null) {
                if (!fill(header)) {
                    return null;
                }
                body = ByteBuffer.allocate(notAuthenticationFailure(() -> checkedLength(header.flip().getInt(), peer)));
            }
            if (!fill(body)) {
                return null;
            }
            byte[] frame = body.array();
            header.clear();
            body = null;
            return frame;
        }

        private boolean fill(ByteBuffer buffer) throws IOException {
            while (buffer.hasRemaining()) {
                int read = channel.read(buffer);
                if (read < 0) {
                    throw new EOFException("the peer " + peer + " closed the connection during the handshake");
                }
                if (read == 0) {
                    return false;
                }
            }
            return true;
        }

        /** A fresh socket's send buffer takes our few frames at once; a peer that lets it fill is dropped. */
        private void send(byte[] payload) throws IOException {
            ByteBuffer frame = frame(payload);
            channel.write(frame);
            if (frame.hasRemaining()) {
                throw new IOException("the peer " + peer + " does not read its handshake frames");
            }
        }
    }
}
