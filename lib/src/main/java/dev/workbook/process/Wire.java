package dev.workbook.process;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * The control connection between a parent JVM and one child: length-prefixed frames over a connected
 * Unix-domain socket, kept open for the child's whole life.
 *
 * <pre>
 *   0        4                12        16
 *   +--------+----------------+---------+------------------+
 *   | type   | id             | length  | payload (length) |
 *   +--------+----------------+---------+------------------+
 *   int32     int64            int32     bytes         (big-endian)
 * </pre>
 *
 * <p>The connection doubles as the child's lifeline: the kernel closes the parent's end when the
 * parent dies, however it dies, so a child that reads end-of-stream knows it is an orphan.
 *
 * <p>Thread safety: {@link #send} may be called from any thread (frames never interleave);
 * {@link #receive} must be called by one thread at a time.
 */
final class Wire implements Closeable {

    // Parent to child.
    /** Run a {@link ChildProcess} target; payload: the launch of {@link ChildMain}. */
    static final int RUN = 1;
    /** Become a pool worker; payload: the worker set-up. */
    static final int INIT = 2;
    /** Run one pool call; id: the call id. */
    static final int CALL = 3;
    /** Finish and exit with code 0. */
    static final int STOP = 4;

    // Child to parent.
    /** The target is loaded and about to run, or the worker is ready for calls. */
    static final int READY = 10;
    /** The target returned normally. */
    static final int DONE = 11;
    /** A call returned; id: the call id; payload: the serialized result. */
    static final int RESULT = 12;
    /** A target, call or initializer threw; id: the call id or 0; payload: an encoded failure. */
    static final int FAILED = 13;

    static final int HEADER_BYTES = 16;

    /** Far above any sane payload, low enough to catch a corrupt length before allocating it. */
    static final int MAX_PAYLOAD = 1 << 30;

    private static final byte[] EMPTY = new byte[0];

    /** One message. */
    record Frame(int type, long id, byte[] payload) {
    }

    private final SocketChannel channel;
    private final ByteBuffer readHeader = ByteBuffer.allocate(HEADER_BYTES);
    private final Object writeLock = new Object();

    Wire(SocketChannel channel) {
        this.channel = channel;
    }

    /** Sends a frame with no payload. */
    void send(int type, long id) throws IOException {
        send(type, id, EMPTY);
    }

    /**
     * Sends one frame, blocking until the kernel has taken all of it.
     *
     * @throws IOException if the other side is gone
     */
    void send(int type, long id, byte[] payload) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES).putInt(type).putLong(id).putInt(payload.length).flip();
        ByteBuffer body = ByteBuffer.wrap(payload);
        ByteBuffer[] both = {header, body};
        synchronized (writeLock) {
            while (body.hasRemaining() || header.hasRemaining()) {
                channel.write(both);
            }
        }
    }

    /**
     * Waits for the next frame.
     *
     * @return the frame, or null if the other side closed the connection between two frames
     * @throws EOFException if the connection closed in the middle of a frame
     * @throws IOException  if the connection failed, or a frame is malformed
     */
    Frame receive() throws IOException {
        readHeader.clear();
        if (!readFully(readHeader, true)) {
            return null;
        }
        readHeader.flip();
        int type = readHeader.getInt();
        long id = readHeader.getLong();
        int length = readHeader.getInt();
        if (length < 0 || length > MAX_PAYLOAD) {
            throw new IOException("corrupt frame: payload length " + length + " (type " + type + ")");
        }
        byte[] payload = length == 0 ? EMPTY : new byte[length];
        if (length > 0) {
            readFully(ByteBuffer.wrap(payload), false);
        }
        return new Frame(type, id, payload);
    }

    private boolean readFully(ByteBuffer buffer, boolean eofAllowedAtStart) throws IOException {
        while (buffer.hasRemaining()) {
            if (channel.read(buffer) < 0) {
                if (eofAllowedAtStart && buffer.position() == 0) {
                    return false;
                }
                throw new EOFException("connection closed in the middle of a frame");
            }
        }
        return true;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
