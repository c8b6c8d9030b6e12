package dev.workbook.ipc.bench;

import dev.workbook.ipc.Connection;
import dev.workbook.ipc.SharedQueue;
import java.io.EOFException;
import java.io.IOException;
import java.io.Serializable;
import java.util.Arrays;

/**
 * The measuring loops of the IPC benchmarks. Each runs inside one process, on primitives handed to
 * it (a {@link SharedQueue} or an unused {@link Connection} end, which attach or connect on first use where they arrive), and
 * its partner runs in another process: an echo for a round trip, a producer for a consumer. Used by
 * {@link IpcBench} (in the workers of a process pool) and by the benchmarks module (in JVMs of its
 * own, pinned to cores).
 *
 * <p>Latencies are taken with {@link System#nanoTime()} around each round trip, kept in full and
 * sorted for the percentiles: exact, at 8 bytes a sample.
 */
public final class IpcProbes {

    /** The message that ends an echo or a drain. */
    public static final String STOP = "stop";

    private IpcProbes() {
    }

    /** What the messages carry. */
    public enum Payload {
        /** A {@code Long}: 8 bytes, on the codec's fast path; measures the transport itself. */
        LONG,
        /** A small {@link Quote}, a record the codec writes as its components: what a real message costs. */
        OBJECT,
        /**
         * The same record, but one the codec must hand to Java serialization ({@link SerializedQuote}):
         * what {@link #OBJECT} cost before the codec wrote records itself, measured in the same run.
         */
        SERIALIZED;

        /** The {@code i}-th message. */
        public Object message(long i) {
            return switch (this) {
                case LONG -> (Object) i;
                case OBJECT -> new Quote("ACME", i, 7);
                case SERIALIZED -> new SerializedQuote("ACME", i, 7);
            };
        }

        /** The name tables print: {@code long}, {@code object} or {@code object, serialized}. */
        public String label() {
            return this == SERIALIZED ? "object, serialized" : name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** The "small object": what a market-data message might carry. */
    public record Quote(String symbol, long price, int quantity) implements Serializable {
    }

    /**
     * A {@link Quote} that travels by Java serialization: its {@code readResolve}, which serialization
     * honours for records, keeps the codec from writing its components itself.
     */
    public record SerializedQuote(String symbol, long price, int quantity) implements Serializable {
        private Object readResolve() {
            return this;
        }
    }

    /**
     * Percentiles of a set of round trips, in microseconds.
     *
     * @param count how many round trips were timed
     */
    public record Latency(double p50Micros, double p99Micros, double maxMicros, int count) implements Serializable {

        /** The percentiles of these durations in nanoseconds (the array is sorted in place). */
        public static Latency of(long[] nanos) {
            if (nanos.length == 0) {
                throw new IllegalArgumentException("no round trips were timed: give a count of at least 1");
            }
            Arrays.sort(nanos);
            return new Latency(nanos[percentileIndex(nanos.length, 50)] / 1e3,
                    nanos[percentileIndex(nanos.length, 99)] / 1e3, nanos[nanos.length - 1] / 1e3, nanos.length);
        }

        private static int percentileIndex(int length, int percentile) {
            return Math.min(length - 1, (int) Math.ceil(length * percentile / 100.0) - 1);
        }
    }

    /**
     * When a drain took its first and last message (on {@link System#nanoTime()}, which is
     * comparable between processes of one Linux machine), and how many it took.
     */
    public record Drained(long count, long firstNanos, long lastNanos) implements Serializable {
    }

    /** Takes messages from {@code in} and puts them on {@code out} until it takes {@link #STOP}. */
    public static void queueEcho(SharedQueue in, SharedQueue out) throws InterruptedException {
        while (true) {
            Object message = in.get();
            if (STOP.equals(message)) {
                return;
            }
            out.put(message);
        }
    }

    /**
     * Puts a message on {@code there} and waits for it on {@code back}, {@code warm + count} times,
     * timing the last {@code count}; then puts {@link #STOP}. With {@code pauseMicros}, sleeps that
     * long before each round trip, so that the echo has gone to sleep when the message comes.
     */
    public static Latency queueRoundTrip(SharedQueue there, SharedQueue back, Payload payload, int warm, int count,
                                         long pauseMicros) throws InterruptedException {
        Latency latency = timeRoundTrips(payload, warm, count, pauseMicros, message -> {
            there.put(message);
            back.get();
        });
        there.put(STOP);
        return latency;
    }

    /** Puts {@code count} messages as fast as the queue takes them. */
    public static void produce(SharedQueue queue, Payload payload, int count) throws InterruptedException {
        for (int i = 0; i < count; i++) {
            queue.put(payload.message(i));
        }
    }

    /**
     * Takes {@code count} messages and returns how many a second came, from the first to the last
     * (the first one's wait, while the producer starts, is left out).
     */
    public static double consume(SharedQueue queue, int count) throws InterruptedException {
        if (count < 2) {
            throw new IllegalArgumentException("a rate needs at least 2 messages, was " + count);
        }
        queue.get();
        long start = System.nanoTime();
        for (int i = 1; i < count; i++) {
            queue.get();
        }
        return (count - 1) / ((System.nanoTime() - start) / 1e9);
    }

    /** Takes messages until {@link #STOP}, noting when the first and the last came. */
    public static Drained drain(SharedQueue queue) throws InterruptedException {
        long first = 0;
        long last = 0;
        long count = 0;
        while (true) {
            Object message = queue.get();
            long now = System.nanoTime();
            if (STOP.equals(message)) {
                return new Drained(count, first, last);
            }
            if (count++ == 0) {
                first = now;
            }
            last = now;
        }
    }

    /** Sends back every message received, until the other end closes; then closes this end. */
    public static void pipeEcho(Connection connection) throws IOException {
        try (connection) {
            while (true) {
                connection.send(connection.recv());
            }
        } catch (EOFException end) {
            // the driver is done
        }
    }

    /** Sends a message and waits for it to come back, {@code warm + count} times, timing the last {@code count}; then closes. */
    public static Latency pipeRoundTrip(Connection connection, Payload payload, int warm, int count)
            throws IOException, InterruptedException {
        try (connection) {
            return timeRoundTrips(payload, warm, count, 0, message -> {
                connection.send(message);
                connection.recv();
            });
        }
    }

    /** One round trip of a message. */
    @FunctionalInterface
    private interface RoundTrip<E extends Exception> {
        void travel(Object message) throws E;
    }

    /** Times the last {@code count} of {@code warm + count} round trips, sleeping {@code pauseMicros} before each. */
    private static <E extends Exception> Latency timeRoundTrips(Payload payload, int warm, int count, long pauseMicros,
                                                                RoundTrip<E> roundTrip) throws E, InterruptedException {
        long[] nanos = new long[count];
        for (int i = 0; i < warm + count; i++) {
            if (pauseMicros > 0) {
                Thread.sleep(pauseMicros / 1000, (int) (pauseMicros % 1000) * 1000);
            }
            Object message = payload.message(i);
            long start = System.nanoTime();
            roundTrip.travel(message);
            long elapsed = System.nanoTime() - start;
            if (i >= warm) {
                nanos[i - warm] = elapsed;
            }
        }
        return Latency.of(nanos);
    }
}
