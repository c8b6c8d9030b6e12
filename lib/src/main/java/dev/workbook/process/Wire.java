package dev.workbook.process;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.function.Consumer;

/**
 * The control connection between a parent JVM and one child: length-prefixed frames over the
 * child's standard input (parent to child) and standard output (child to parent), open for the
 * child's whole life.
 *
 * <pre>
 *   0          4        8                16        20
 *   +----------+--------+----------------+---------+------------------+
 *   | FF 'W' 'B' 01 | type   | id             | length  | payload (length) |
 *   +----------+--------+----------------+---------+------------------+
 *    magic      int32    int64            int32     bytes         (big-endian)
 * </pre>
 *
 * <p>The magic starts with 0xFF, a byte that never occurs in UTF-8 text. A JVM writes some things to
 * its file descriptor 1 on its own (unified logging such as {@code -Xlog:gc} writes to standard
 * output unless told otherwise), so the parent's reader passes any bytes found between frames on as
 * the child's standard output, and finds the next frame by its magic.
 *
 * <p>Why the standard streams rather than a socket: they exist before the child's {@code main} runs,
 * while opening a socket costs a fresh JVM some 30 ms of NIO initialisation, a quarter of its
 * start-up. The price: the child's {@code System.out} must travel as {@link #OUTPUT} frames, since
 * its file descriptor 1 carries frames. The pipes double as the child's lifeline: the kernel closes
 * the parent's ends when the parent dies, however it dies, so a child that reads end-of-stream
 * knows it is an orphan.
 *
 * <p>Thread safety: {@link #send} may be called from any thread (frames never interleave);
 * {@link #receive} must be called by one thread at a time.
 */
final class Wire implements Closeable {

    // The payloads of these frames, and the order they come in, are WorkerProtocol's.

    // Parent to child.
    /** Run a {@link ChildProcess} target; payload: see {@link WorkerProtocol#writeOrders}. */
    static final int RUN = 1;
    /** Become a pool worker; payload: see {@link WorkerProtocol#writeOrders}. */
    static final int INIT = 2;
    /** Run one pool call; id: the call id; payload: see {@link WorkerProtocol#writeCallable}, {@link WorkerProtocol#writeApply}. */
    static final int CALL = 3;
    /** Finish and exit with code 0. */
    static final int STOP = 4;

    // Child to parent.
    /** The target is loaded and about to run, or the worker is ready for calls. */
    static final int READY = 10;
    /** The target returned normally. */
    static final int DONE = 11;
    /** A call returned; id: the call id; payload: see {@link WorkerProtocol#writeResult}. */
    static final int RESULT = 12;
    /** A target, call or initializer threw; id: the call id or 0; payload: see {@link WorkerProtocol#writeFailure}. */
    static final int FAILED = 13;
    /** Bytes the child wrote to {@code System.out}. */
    static final int OUTPUT = 14;
    /**
     * A spare JVM (see {@link StartMethod#FORKSERVER}) has booted and warmed up, and waits for its
     * first frame. Its first frame, before {@link #RUN} or {@link #INIT} is read.
     */
    static final int WARM = 15;

    /** Starts every frame; 0xFF never occurs in UTF-8 text. */
    private static final byte[] MAGIC = {(byte) 0xFF, 'W', 'B', 1};

    static final int HEADER_BYTES = 20;

    /** Far above any sane payload, low enough to catch a corrupt length before allocating it. */
    static final int MAX_PAYLOAD = 1 << 30;

    private static final byte[] EMPTY = new byte[0];

    /** One message. */
    record Frame(int type, long id, byte[] payload) {
    }

    private final InputStream in;
    private final OutputStream out;
    private final byte[] header = new byte[HEADER_BYTES];

    Wire(InputStream in, OutputStream out) {
        this.in = in;
        this.out = out;
    }

    /** Sends a frame with no payload. */
    void send(int type, long id) throws IOException {
        send(type, id, EMPTY, 0, 0);
    }

    /** Sends a frame; see {@link #send(int, long, byte[], int, int)}. */
    void send(int type, long id, byte[] payload) throws IOException {
        send(type, id, payload, 0, payload.length);
    }

    /**
     * Sends one frame in a single write, blocking until the pipe has taken all of it.
     *
     * @throws IOException if the other side is gone
     */
    void send(int type, long id, byte[] payload, int offset, int length) throws IOException {
        byte[] frame = new byte[HEADER_BYTES + length];
        System.arraycopy(MAGIC, 0, frame, 0, MAGIC.length);
        putInt(frame, 4, type);
        putInt(frame, 8, (int) (id >>> 32));
        putInt(frame, 12, (int) id);
        putInt(frame, 16, length);
        System.arraycopy(payload, offset, frame, HEADER_BYTES, length);
        synchronized (out) {
            out.write(frame);
            out.flush();
        }
    }

    /**
     * Waits for the next frame; anything else on the stream is an error.
     *
     * @return the frame, or null if the other side closed the connection between two frames
     * @throws EOFException       if the connection closed in the middle of a frame
     * @throws NotAFrameException if what arrived is not a frame
     * @throws IOException        if the connection failed
     */
    Frame receive() throws IOException {
        return receive(null);
    }

    /**
     * Waits for the next frame, handing any bytes found before it to {@code text} (a line at a time,
     * and what is left when a frame starts or the stream ends).
     *
     * @param text receives text between frames; null to treat such bytes as an error
     * @return the frame, or null if the other side closed the connection between two frames
     * @throws EOFException       if the connection closed in the middle of a frame
     * @throws NotAFrameException if what arrived is not a frame and {@code text} is null, or a frame
     *                            header is malformed (the stream is then out of step)
     * @throws IOException        if the connection failed
     */
    Frame receive(Consumer<byte[]> text) throws IOException {
        ByteArrayOutputStream stray = null;
        while (true) {
            int first = in.read();
            if (first < 0) {
                flush(stray, text);
                return null;
            }
            if (first == (MAGIC[0] & 0xff)) {
                readFully(header, 1, MAGIC.length - 1);
                if (header[1] == MAGIC[1] && header[2] == MAGIC[2] && header[3] == MAGIC[3]) {
                    flush(stray, text);
                    break;
                }
                first = -1; // 0xFF then something else: not text either, but keep it visible (as U+FFFD)
            }
            if (text == null) {
                throw new NotAFrameException("not a frame: byte " + first + " where a frame should start");
            }
            if (stray == null) {
                stray = new ByteArrayOutputStream(128);
            }
            if (first < 0) {
                stray.write(0xFF);
                stray.write(header, 1, MAGIC.length - 1);
            } else {
                stray.write(first);
                if (first == '\n') {
                    flush(stray, text);
                }
            }
        }
        readFully(header, MAGIC.length, HEADER_BYTES - MAGIC.length);
        int type = getInt(header, 4);
        long id = ((long) getInt(header, 8) << 32) | (getInt(header, 12) & 0xffffffffL);
        int length = getInt(header, 16);
        if (type < RUN || type > WARM || length < 0 || length > MAX_PAYLOAD) {
            throw new NotAFrameException("malformed frame header: type " + type + ", length " + length
                    + " (bytes written to the standard output file descriptor behind System.out's back, in the"
                    + " middle of a frame?)");
        }
        return new Frame(type, id, readPayload(length));
    }

    private static void flush(ByteArrayOutputStream stray, Consumer<byte[]> text) {
        if (stray != null && stray.size() > 0) {
            text.accept(stray.toByteArray());
            stray.reset();
        }
    }

    /** What arrived is not a frame: the stream is out of step, and the connection must be abandoned. */
    static final class NotAFrameException extends IOException {
        private static final long serialVersionUID = 1L;

        NotAFrameException(String message) {
            super(message);
        }
    }

    /**
     * Reads a payload of {@code length} bytes. Up to 1 MiB it is allocated at once; a longer one grows
     * as its bytes arrive, so that a damaged header announcing a gigabyte costs what was sent, not a
     * gigabyte (found by fuzzing).
     */
    private byte[] readPayload(int length) throws IOException {
        if (length <= 1 << 20) {
            byte[] payload = length == 0 ? EMPTY : new byte[length];
            readFully(payload, 0, length);
            return payload;
        }
        byte[] payload = in.readNBytes(length);
        if (payload.length < length) {
            throw new EOFException("connection closed in the middle of a frame");
        }
        return payload;
    }

    private void readFully(byte[] buffer, int offset, int length) throws IOException {
        int done = 0;
        while (done < length) {
            int read = in.read(buffer, offset + done, length - done);
            if (read < 0) {
                throw new EOFException("connection closed in the middle of a frame");
            }
            done += read;
        }
    }

    private static void putInt(byte[] bytes, int at, int value) {
        bytes[at] = (byte) (value >>> 24);
        bytes[at + 1] = (byte) (value >>> 16);
        bytes[at + 2] = (byte) (value >>> 8);
        bytes[at + 3] = (byte) value;
    }

    private static int getInt(byte[] bytes, int at) {
        return (bytes[at] << 24) | ((bytes[at + 1] & 0xff) << 16) | ((bytes[at + 2] & 0xff) << 8) | (bytes[at + 3] & 0xff);
    }

    /** Closes both directions. */
    @Override
    public void close() throws IOException {
        try {
            in.close();
        } finally {
            out.close();
        }
    }
}
