package dev.workbook.process;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.Charset;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/**
 * Copies a child's output stream line by line, on a daemon thread of its own, until end-of-stream
 * (see {@link LineAssembler}).
 *
 * <p>To print, the destination is looked up for every line ({@link #toCurrent}): a notebook kernel
 * replaces {@code System.out} for each cell, and a line belongs to the cell that is running when it
 * arrives.
 */
final class LinePump {

    private final Thread thread;
    private final LineAssembler lines;

    private LinePump(InputStream in, LineAssembler lines, String threadName) {
        this.lines = lines;
        this.thread = new Thread(() -> pump(in), threadName);
        thread.setDaemon(true);
    }

    /** Starts pumping {@code in} into {@code sink}. */
    static LinePump start(InputStream in, Charset charset, LineAssembler.Sink sink, String threadName) {
        LinePump pump = new LinePump(in, new LineAssembler(charset, sink), threadName);
        pump.thread.start();
        return pump;
    }

    /** A sink printing to whatever stream {@code stream} supplies when each line arrives. */
    static LineAssembler.Sink toCurrent(Supplier<PrintStream> stream) {
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

    private void pump(InputStream in) {
        byte[] buffer = new byte[8192];
        try (in) {
            int read;
            while ((read = in.read(buffer)) >= 0) {
                lines.feed(buffer, 0, read);
            }
        } catch (IOException e) {
            // the stream was closed under us: deliver what we have
        } finally {
            lines.finish();
        }
    }

    /** The last lines seen (up to 20), oldest first. */
    List<String> tail() {
        return lines.tail();
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
