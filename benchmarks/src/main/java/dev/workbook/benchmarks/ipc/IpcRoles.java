package dev.workbook.benchmarks.ipc;

import dev.workbook.ipc.Connection;
import dev.workbook.ipc.SharedQueue;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.util.Base64;
import java.util.Locale;
import org.HdrHistogram.Histogram;

/**
 * The child-process side of {@code IpcBenchmark}: each role runs in its own JVM, takes its primitives
 * as serialized handles (base64 arguments) and prints one {@code RESULT key=value...} line.
 */
public final class IpcRoles {

    private static final String STOP = "stop";

    private IpcRoles() {
    }

    public static void run(String[] args) throws Exception {
        switch (args[0]) {
            case "role=queue-echo" -> queueEcho(decode(args[1]), decode(args[2]));
            case "role=queue-rtt" -> queueRoundTrip(decode(args[1]), decode(args[2]), args[3],
                    Integer.parseInt(args[4]), Integer.parseInt(args[5]), args.length > 6 ? Long.parseLong(args[6]) : 0);
            case "role=queue-produce" -> produce(decode(args[1]), args[2], Integer.parseInt(args[3]));
            case "role=queue-consume" -> consume(decode(args[1]), Integer.parseInt(args[2]));
            case "role=queue-drain" -> drain(decode(args[1]));
            case "role=pipe-echo" -> pipeEcho(decode(args[1]));
            case "role=pipe-rtt" -> pipeRoundTrip(decode(args[1]), args[2], Integer.parseInt(args[3]),
                    Integer.parseInt(args[4]));
            default -> throw new IllegalArgumentException("unknown role " + args[0]);
        }
    }

    static Object payload(String kind, long i) {
        return kind.equals("long") ? (Object) i : new Quote("ACME", i, 7);
    }

    private static void queueEcho(SharedQueue in, SharedQueue out) throws InterruptedException {
        while (true) {
            Object message = in.get();
            if (STOP.equals(message)) {
                return;
            }
            out.put(message);
        }
    }

    /** With {@code pauseMicros}, sleeps between round trips, so that the echo process goes idle. */
    private static void queueRoundTrip(SharedQueue there, SharedQueue back, String kind, int warm, int count,
                                       long pauseMicros) throws InterruptedException {
        Histogram histogram = new Histogram(3_600_000_000_000L, 3);
        for (int i = 0; i < warm + count; i++) {
            if (pauseMicros > 0) {
                Thread.sleep(pauseMicros / 1000, (int) (pauseMicros % 1000) * 1000);
            }
            Object message = payload(kind, i);
            long start = System.nanoTime();
            there.put(message);
            back.get();
            long elapsed = System.nanoTime() - start;
            if (i >= warm) {
                histogram.recordValue(elapsed);
            }
        }
        there.put(STOP);
        System.out.println(String.format(Locale.ROOT, "RESULT p50_us=%.3f p99_us=%.3f max_us=%.1f",
                histogram.getValueAtPercentile(50) / 1e3, histogram.getValueAtPercentile(99) / 1e3,
                histogram.getMaxValue() / 1e3));
    }

    private static void produce(SharedQueue queue, String kind, int count) throws InterruptedException {
        for (int i = 0; i < count; i++) {
            queue.put(payload(kind, i));
        }
    }

    private static void consume(SharedQueue queue, int count) throws InterruptedException {
        queue.get();
        long start = System.nanoTime();
        for (int i = 1; i < count; i++) {
            queue.get();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.println(String.format(Locale.ROOT, "RESULT rate=%.0f", (count - 1) / seconds));
    }

    private static void drain(SharedQueue queue) throws InterruptedException {
        long first = 0;
        long last = 0;
        long count = 0;
        while (true) {
            Object message = queue.get();
            long now = System.nanoTime(); // CLOCK_MONOTONIC: comparable between processes of one machine
            if (STOP.equals(message)) {
                break;
            }
            if (count++ == 0) {
                first = now;
            }
            last = now;
        }
        System.out.println("RESULT count=" + count + " first_ns=" + first + " last_ns=" + last);
    }

    private static void pipeEcho(Connection connection) throws IOException {
        try (connection) {
            while (true) {
                connection.send(connection.recv());
            }
        } catch (EOFException end) {
            // the driver is done
        }
    }

    private static void pipeRoundTrip(Connection connection, String kind, int warm, int count) throws IOException {
        Histogram histogram = new Histogram(3_600_000_000_000L, 3);
        try (connection) {
            for (int i = 0; i < warm + count; i++) {
                Object message = payload(kind, i);
                long start = System.nanoTime();
                connection.send(message);
                connection.recv();
                long elapsed = System.nanoTime() - start;
                if (i >= warm) {
                    histogram.recordValue(elapsed);
                }
            }
        }
        System.out.println(String.format(Locale.ROOT, "RESULT p50_us=%.3f p99_us=%.3f max_us=%.1f",
                histogram.getValueAtPercentile(50) / 1e3, histogram.getValueAtPercentile(99) / 1e3,
                histogram.getMaxValue() / 1e3));
    }

    @SuppressWarnings("unchecked")
    private static <T> T decode(String base64) throws IOException, ClassNotFoundException {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(Base64.getDecoder().decode(base64)))) {
            return (T) in.readObject();
        }
    }
}
