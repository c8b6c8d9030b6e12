package dev.workbook.process;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Cuts a byte stream into lines and hands each complete line over whole, so that lines of several
 * children never interleave mid-line. Keeps the last few lines, to explain a child that fails to
 * start or dies.
 *
 * <p>Fed by one thread at a time; {@link #tail()} may be called from any thread.
 */
final class LineAssembler {

    /** Receives lines. */
    @FunctionalInterface
    interface Sink {
        /**
         * @param line       the text, without its line break
         * @param terminated whether a line break ended it (false only for a last partial line)
         */
        void line(String line, boolean terminated);
    }

    private static final int TAIL_LINES = 20;

    private final Charset charset;
    private final Sink sink;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream(256);
    private final Deque<String> tail = new ArrayDeque<>();

    LineAssembler(Charset charset, Sink sink) {
        this.charset = charset;
        this.sink = sink;
    }

    /** Takes more bytes; hands over every line they complete. */
    void feed(byte[] bytes, int offset, int length) {
        int start = offset;
        int end = offset + length;
        for (int i = offset; i < end; i++) {
            if (bytes[i] == '\n') {
                pending.write(bytes, start, i - start);
                deliver(pending.toString(charset), true);
                pending.reset();
                start = i + 1;
            }
        }
        pending.write(bytes, start, end - start);
    }

    /** Hands over a last line that has no line break, if any: the stream has ended. */
    void finish() {
        if (pending.size() > 0) {
            deliver(pending.toString(charset), false);
            pending.reset();
        }
    }

    private void deliver(String text, boolean terminated) {
        synchronized (tail) {
            if (tail.size() == TAIL_LINES) {
                tail.removeFirst();
            }
            tail.addLast(text);
        }
        try {
            sink.line(text, terminated);
        } catch (RuntimeException e) {
            // a broken destination must not stop the reader, or the child would block on a full pipe
        }
    }

    /** The last lines seen (up to 20), oldest first. */
    List<String> tail() {
        synchronized (tail) {
            return new ArrayList<>(tail);
        }
    }
}
