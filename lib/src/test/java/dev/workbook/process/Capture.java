package dev.workbook.process;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

/**
 * Replaces {@code System.out} or {@code System.err} while open, as a notebook kernel does for a cell,
 * and collects what is printed there.
 */
final class Capture implements AutoCloseable {

    private final boolean err;
    private final PrintStream previous;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    private Capture(boolean err) {
        this.err = err;
        this.previous = err ? System.err : System.out;
        PrintStream stream = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        if (err) {
            System.setErr(stream);
        } else {
            System.setOut(stream);
        }
    }

    static Capture stdout() {
        return new Capture(false);
    }

    static Capture stderr() {
        return new Capture(true);
    }

    String text() {
        synchronized (bytes) {
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }

    List<String> lines() {
        return text().lines().toList();
    }

    /** Waits until a line matches; returns it, or null after the timeout. */
    String awaitLine(Predicate<String> wanted, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        do {
            for (String line : lines()) {
                if (wanted.test(line)) {
                    return line;
                }
            }
            Thread.sleep(10);
        } while (System.nanoTime() < deadline);
        return null;
    }

    @Override
    public void close() {
        if (err) {
            System.setErr(previous);
        } else {
            System.setOut(previous);
        }
        previous.print(text()); // keep the test log readable
    }
}
