package dev.workbook.process;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.Charset;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Supplier;

/**
 * Copies a child's output stream line by line, on a daemon thread of its own, until end-of-stream.
 *
 * <p>Each complete line is handed over whole, so lines of several children never interleave
 * mid-line. To print, the destination is looked up for every line ({@link #toCurrent}): a notebook
 * kernel replaces {@code System.out} for each cell, and a line belongs to the cell that is running
 * when it arrives. A last line without a line break is handed over at end-of-stream.
 *
 * <p>The last few lines are also kept, to explain a child that fails to start or dies.
 */
final class LinePump {

    /** Receives lines. Called from the pump's thread only. */
    @FunctionalInterface
    interface Sink {
        /**
         * @param line       the text, without its line break
         * @param terminated whether a line break ended it (false only for a last partial line)
         */
        void line(String line, boolean terminated);
    }

    private static final int TAIL_LINES = 20;

    private final Thread thread;
    private final Deque<String> tail = new ArrayDeque<>();

    private LinePump(InputStream in, Charset charset, Sink sink, String threadName) {
        this.thread = new Thread(() -> pump(in, charset, sink), threadName);
        thread.setDaemon(true);
    }

    /** Starts pumping {@code in} into {@code sink}. */
    static LinePump start(InputStream in, Charset charset, Sink sink, String threadName) {
        LinePump pump = new LinePump(in, charset, sink, threadName);
        pump.thread.start();
        return pump;
    }

    /** A sink printing to whatever stream {@code stream} supplies when each line arrives. */
    static Sink toCurrent(Supplier<PrintStream> stream) {
        return (line, terminated) -> {
            PrintStream out = stream.get();
            if (terminated) {
                out.println(line); // one synchronized call: the line stays whole
            } else {
                out.print(line);
            }
            out.flush();
        };
    }

    private void pump(InputStream in, Charset charset, Sink sink) {
        byte[] buffer = new byte[8192];
        ByteArrayOutputStream line = new ByteArrayOutputStream(256);
        try (in) {
            int read;
            while ((read = in.read(buffer)) >= 0) {
                int start = 0;
                for (int i = 0; i < read; i++) {
                    if (buffer[i] == '\n') {
                        line.write(buffer, start, i - start);
                        deliver(line.toString(charset), true, sink);
                        line.reset();
                        start = i + 1;
                    }
                }
                line.write(buffer, start, read - start);
            }
        } catch (IOException e) {
            // the stream was closed under us (the child was destroyed): deliver what we have
        } finally {
            if (line.size() > 0) {
                deliver(line.toString(charset), false, sink);
            }
        }
    }

    private void deliver(String text, boolean terminated, Sink sink) {
        synchronized (tail) {
            if (tail.size() == TAIL_LINES) {
                tail.removeFirst();
            }
            tail.addLast(text);
        }
        try {
            sink.line(text, terminated);
        } catch (RuntimeException e) {
            // a broken destination must not stop the pump, or the child would block on a full pipe
        }
    }

    /** The last lines seen (up to 20), oldest first. */
    List<String> tail() {
        synchronized (tail) {
            return new ArrayList<>(tail);
        }
    }

    /**
     * Waits until end-of-stream has been reached and every line handed over.
     *
     * @return false if the time ran out first (a grandchild may still hold the stream open)
     */
    boolean awaitEnd(Duration timeout) throws InterruptedException {
        thread.join(Math.max(1, timeout.toMillis()));
        return !thread.isAlive();
    }
}
