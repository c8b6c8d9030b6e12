package dev.workbook.ipc;

import dev.workbook.codec.MessageCodec;
import dev.workbook.codec.MessageDecodingException;
import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.NotSerializableException;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Objects;

/**
 * One end of a two-way message channel between two processes: CPython's
 * {@code multiprocessing.connection.Connection}. Made by {@link Pipe} (same machine, Unix-domain
 * socket) or by {@link Listener} and {@link Client} (TCP, authenticated, possibly between hosts).
 *
 * <p>{@link #send(Object)} writes a message; {@link #recv()} waits for the next one;
 * {@link #poll(Duration)} says whether one arrives within a time. Messages use the same encoding as
 * {@link SharedQueue} ({@link MessageCodec}: a few bytes for numbers, strings and byte arrays, Java
 * serialization behind an allow-list otherwise), framed on the stream as
 * <pre>
 *   length of payload (int, big-endian) | payload: the codec's bytes, carried without looking inside
 * </pre>
 * A message larger than {@link #maxMessageSize()} is refused whole by the sender
 * ({@link MessageTooLargeException}); a peer announcing a larger one is disconnected, and one
 * announcing a length within the limit costs only the bytes it really sends (the receive buffer grows
 * as they arrive, to at most twice their number), so a hostile peer cannot make the receiver
 * allocate more than it bothers to send.
 *
 * <p>Blocking: {@code send} returns once the message is handed to the kernel (it waits only while the
 * socket buffer is full); {@code recv} waits in a blocking read and {@code poll} in {@code epoll},
 * both asleep in the kernel, burning no CPU. {@code recv} throws {@link EOFException} once the peer has
 * closed and every message it sent has been read, as CPython raises {@code EOFError}. Interrupting a
 * thread blocked in {@code recv} or {@code send} closes the connection (Java's interruptible-channel
 * rule: {@link java.nio.channels.ClosedByInterruptException}); interrupting {@code poll} only ends the
 * poll, with an {@link InterruptedIOException}.
 *
 * <p>Thread safety: one thread may send while another receives; concurrent senders (or receivers)
 * are serialized by a lock each, so messages never interleave.
 *
 * <p>Serializable only as an unconnected {@link Pipe} end: a connected socket cannot move to another
 * process, and writing one fails with a {@link NotSerializableException} that says so.
 */
public final class Connection implements AutoCloseable, Serializable {

    private static final long serialVersionUID = 1L;

    /** The default {@link #maxMessageSize()}: 64 MiB. */
    public static final int DEFAULT_MAX_MESSAGE_SIZE = 64 << 20;

    private static final int FRAME_HEADER = 4;
    private static final int SMALL = 64 * 1024;

    /** How an end that is not connected yet becomes connected: a pipe end's rendezvous. */
    interface Connector extends Serializable {
        SocketChannel connect(long timeoutNanos) throws IOException, InterruptedException;

        /** Called when the end is serialized: give up anything bound to this process. */
        default void handOff() throws IOException {
        }

        default void close() {
        }
    }

    private final transient Object sendLock = new Object();
    private final transient Object recvLock = new Object();
    private final Connector connector;
    private volatile MessageCodec codec;
    private volatile int maxMessageSize = DEFAULT_MAX_MESSAGE_SIZE;
    private transient volatile SocketChannel channel;
    /** Made on the first timed poll. */
    private transient Selector readSelector;
    private transient ByteBuffer in;
    private transient ByteBuffer out;
    private transient volatile boolean closed;
    private final String description;

    Connection(SocketChannel channel, MessageCodec codec, String description) throws IOException {
        this.connector = null;
        this.codec = codec;
        this.description = description;
        adopt(channel);
    }

    Connection(Connector connector, MessageCodec codec, String description) {
        this.connector = connector;
        this.codec = codec;
        this.description = description;
    }

    /** Sets the codec (and so the allow-list) of this end; returns this. */
    public Connection codec(MessageCodec codec) {
        this.codec = Objects.requireNonNull(codec, "codec");
        return this;
    }

    /** Sets the largest message this end sends or accepts; returns this. */
    public Connection maxMessageSize(int bytes) {
        if (bytes < 16) {
            throw new IllegalArgumentException("max message size must be at least 16 bytes, was " + bytes);
        }
        this.maxMessageSize = bytes;
        return this;
    }

    public MessageCodec codec() {
        return codec;
    }

    public int maxMessageSize() {
        return maxMessageSize;
    }

    /**
     * Sends a message.
     *
     * @throws MessageTooLargeException if its encoding exceeds {@link #maxMessageSize()}
     * @throws IOException if the connection is closed or broken
     */
    public void send(Object message) throws IOException {
        Objects.requireNonNull(message, "a Connection does not send null");
        byte[] encoded = codec.encode(message);
        if (encoded.length > maxMessageSize) {
            throw new MessageTooLargeException("a " + message.getClass().getName() + " message", encoded.length,
                    maxMessageSize, "raise maxMessageSize on both ends, or send less");
        }
        sendFrame(encoded);
    }

    /**
     * Waits for the next message and returns it.
     *
     * @throws EOFException if the peer closed and nothing is left to read
     * @throws MessageDecodingException if the message cannot be decoded (it is consumed all the same)
     * @throws IOException if the connection is closed or broken, or the peer sent a frame over the limit
     */
    public Object recv() throws IOException {
        synchronized (recvLock) {
            readFully(FRAME_HEADER, -1);
            int length = in.getInt(in.position());
            if (length < 0 || length > maxMessageSize) {
                close();
                throw new IOException(description + ": the peer announced a " + Integer.toUnsignedString(length)
                        + "-byte message, over the limit of " + maxMessageSize + "; disconnected");
            }
            readFully(FRAME_HEADER + length, -1);
            in.position(in.position() + FRAME_HEADER);
            byte[] payload = new byte[length];
            in.get(payload);
            return codec.decode(payload);
        }
    }

    /** Whether a message (or the end of the stream) can be read right now without waiting. */
    public boolean poll() throws IOException {
        return poll(Duration.ZERO);
    }

    /**
     * Waits at most {@code timeout} for a message to arrive, without reading it.
     *
     * @return true if {@link #recv()} will not block (a whole message has arrived, or the peer closed)
     */
    public boolean poll(Duration timeout) throws IOException {
        synchronized (recvLock) {
            long nanos = Math.max(0, timeout.toNanos());
            try {
                ensureConnected(nanos);
            } catch (java.net.SocketTimeoutException e) {
                return false;
            }
            try {
                readFully(FRAME_HEADER, nanos);
                int length = in.getInt(in.position());
                if (length < 0 || length > maxMessageSize) {
                    return true; // recv will report it
                }
                readFully(FRAME_HEADER + length, nanos);
                return true;
            } catch (java.net.SocketTimeoutException e) {
                return false;
            } catch (EOFException e) {
                return true;
            }
        }
    }

    /** Closes this end; the peer's {@code recv} then ends with {@link EOFException}. Idempotent. */
    @Override
    public void close() {
        closed = true;
        if (connector != null) {
            connector.close();
        }
        SocketChannel open = channel;
        if (open != null) {
            try {
                open.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        closeQuietly(readSelector);
    }

    public boolean isClosed() {
        return closed;
    }

    @Override
    public String toString() {
        return "Connection[" + description + (closed ? ", closed" : channel == null ? ", not connected yet" : "") + "]";
    }

    // ---------------------------------------------------------------- framing

    private void sendFrame(byte[] encoded) throws IOException {
        synchronized (sendLock) {
            ensureConnected(-1);
            int length = encoded.length;
            ByteBuffer header = out;
            header.clear();
            header.putInt(length);
            if (FRAME_HEADER + length <= header.capacity()) {
                header.put(encoded, 0, length).flip();
                writeFully(header);
            } else {
                header.flip();
                writeFully(header);
                writeFully(ByteBuffer.wrap(encoded, 0, length));
            }
        }
    }

    private void writeFully(ByteBuffer data) throws IOException {
        while (data.hasRemaining()) {
            if (channelOrThrow().write(data) == 0) {
                // Only while a poll on another thread has the channel in non-blocking mode.
                java.util.concurrent.locks.LockSupport.parkNanos(50_000);
            }
        }
    }

    /**
     * Makes sure {@code in} holds at least {@code needed} bytes from its position, reading more;
     * waits at most {@code timeoutNanos} (negative: forever) and throws SocketTimeoutException when
     * that passes. The buffer grows as bytes arrive ({@link #makeRoom}), never to a length a peer
     * merely announced.
     */
    private void readFully(int needed, long timeoutNanos) throws IOException {
        ensureConnected(timeoutNanos);
        if (in.remaining() >= needed) {
            return;
        }
        if (timeoutNanos < 0) {
            while (in.remaining() < needed) {
                makeRoom(needed);
                readMore(); // a blocking read: one system call that sleeps in the kernel until data comes
            }
        } else {
            readWithin(needed, timeoutNanos);
        }
        if (in.capacity() > SMALL && in.remaining() == needed && needed <= SMALL) {
            in = ByteBuffer.allocate(SMALL).put(in).flip(); // shrink back after a big message
        }
    }

    /**
     * Before a read towards {@code needed} bytes: free space at the end of {@code in}, compacting it,
     * or else doubling it, but never past {@code needed}. So the buffer is at most twice what has
     * really arrived (or {@link #SMALL}): a peer announcing 64 MiB and sending nothing costs 64 KiB.
     */
    private void makeRoom(int needed) {
        if (in.limit() < in.capacity()) {
            return;
        }
        if (in.position() > 0) {
            in.compact().flip();
            if (in.limit() < in.capacity()) {
                return;
            }
        }
        ByteBuffer bigger = ByteBuffer.allocate((int) Math.min(needed, Math.max(SMALL, 2L * in.capacity())));
        bigger.put(in);
        bigger.flip();
        in = bigger;
    }

    /** Reads what the channel gives into the free end of {@code in}; returns the count (0 if none yet). */
    private int readMore() throws IOException {
        int start = in.position();
        int end = in.limit();
        in.position(end).limit(in.capacity());
        int read;
        try {
            read = channelOrThrow().read(in);
        } finally {
            in.limit(in.position()).position(start);
        }
        if (read < 0) {
            throw new EOFException(description + ": the peer closed the connection"
                    + (in.remaining() > 0 ? " in the middle of a message" : ""));
        }
        return read;
    }

    /**
     * The timed read behind {@link #poll(Duration)}: the channel is blocking the rest of the time (one
     * system call per read, the fastest way to wait), so switch it to non-blocking and wait in a
     * selector, then switch back.
     */
    private void readWithin(int needed, long timeoutNanos) throws IOException {
        SocketChannel open = channelOrThrow();
        if (readSelector == null) {
            readSelector = Selector.open();
        }
        open.configureBlocking(false);
        SelectionKey key = open.register(readSelector, SelectionKey.OP_READ);
        try {
            long deadline = System.nanoTime() + timeoutNanos;
            while (in.remaining() < needed) {
                makeRoom(needed);
                if (readMore() == 0) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        throw new java.net.SocketTimeoutException();
                    }
                    readSelector.select(Math.max(1, (left + 999_999) / 1_000_000));
                    readSelector.selectedKeys().clear();
                    if (Thread.currentThread().isInterrupted()) {
                        throw new InterruptedIOException(description + ": interrupted while waiting");
                    }
                }
            }
        } catch (java.nio.channels.ClosedSelectorException e) {
            throw new ClosedChannelException();
        } finally {
            key.cancel();
            if (!closed) {
                readSelector.selectNow(); // completes the deregistration, so blocking mode is allowed again
                open.configureBlocking(true);
            }
        }
    }

    private SocketChannel channelOrThrow() throws IOException {
        SocketChannel open = channel;
        if (closed || open == null) {
            throw new IOException(description + " is closed");
        }
        return open;
    }

    private void ensureConnected(long timeoutNanos) throws IOException {
        if (channel != null) {
            return;
        }
        if (closed) {
            throw new IOException(description + " is closed");
        }
        synchronized (this) {
            if (channel != null) {
                return;
            }
            try {
                adopt(connector.connect(timeoutNanos));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException(description + ": interrupted while connecting");
            }
        }
    }

    private void adopt(SocketChannel connected) throws IOException {
        connected.configureBlocking(true);
        in = ByteBuffer.allocate(SMALL).flip();
        out = ByteBuffer.allocate(SMALL);
        channel = connected;
        if (closed) {
            close();
        }
    }

    private static void closeQuietly(Selector selector) {
        if (selector != null) {
            try {
                selector.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    private Object writeReplace() throws IOException {
        if (connector == null || channel != null || closed) {
            throw new NotSerializableException(description + " is " + (closed ? "closed" : "connected")
                    + " in this process: a connected socket cannot move to another process; hand a Pipe end to"
                    + " a child before using it, or give the child the Listener's address and key");
        }
        connector.handOff();
        return new Handle(connector, codec, maxMessageSize, description);
    }

    private record Handle(Connector connector, MessageCodec codec, int maxMessageSize, String description)
            implements Serializable {
        private Object readResolve() {
            return new Connection(connector, codec, description).maxMessageSize(maxMessageSize);
        }
    }

    private void readObject(java.io.ObjectInputStream stream) throws java.io.InvalidObjectException {
        throw new java.io.InvalidObjectException("a Connection is serialized as its handle");
    }
}
