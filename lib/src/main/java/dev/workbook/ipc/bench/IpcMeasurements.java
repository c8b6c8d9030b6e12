package dev.workbook.ipc.bench;

import dev.workbook.codec.MessageCodec;
import dev.workbook.ipc.Pipe;
import dev.workbook.ipc.SharedQueue;
import dev.workbook.ipc.WaitStrategy;
import dev.workbook.ipc.bench.IpcProbes.Drained;
import dev.workbook.ipc.bench.IpcProbes.Latency;
import dev.workbook.ipc.bench.IpcProbes.Payload;
import dev.workbook.process.ProcessPool;
import dev.workbook.process.SerializableCallable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One row of an IPC table each: the two sides of a measurement handed to workers of process pools
 * (this JVM only creates the queue or pipe, hands it over and collects the figure), for the quick
 * {@link IpcBench} and the benchmarks module's full {@code IpcBenchmark}. Where the two sides run is
 * the caller's choice: the two workers of one pool, or a pool pinned to each core.
 *
 * <p>Each method blocks until its row is measured, up to {@code timeout} for its sides together. The
 * first side to fail ends it at once with that side's error (its partner, waiting for a message that
 * will never come, is cancelled, which kills its worker); the queues it creates are shut down and
 * closed before it returns.
 */
public final class IpcMeasurements {

    private static final AtomicInteger QUEUES = new AtomicInteger();

    private final Duration timeout;

    /** Measurements whose sides may each take up to {@code timeout}. */
    public IpcMeasurements(Duration timeout) {
        this.timeout = timeout;
    }

    /** How the table names a wait strategy: {@code spin}, {@code backoff} (the default), or the record's fields. */
    public static String label(WaitStrategy strategy) {
        if (strategy.equals(WaitStrategy.spin())) {
            return "spin";
        }
        return strategy.equals(WaitStrategy.backoff()) ? "backoff" : strategy.toString();
    }

    /**
     * A queue round trip: the driver puts on one queue, the echo takes and puts on a second, the driver
     * takes back; one round trip every {@code pauseMicros} (0: back to back).
     *
     * @param note added to the waiting column ({@code ", pinned"}), or empty
     */
    public IpcResult queueRoundTrip(ProcessPool driver, ProcessPool echoer, WaitStrategy mode, Payload payload,
            String note, int warm, int count, long pauseMicros) throws Exception {
        try (SharedQueue there = queue(1024, mode); SharedQueue back = queue(1024, mode)) {
            try {
                Future<Void> echo = echoer.submit(() -> {
                    IpcProbes.queueEcho(there, back);
                    return null;
                });
                Future<Latency> timing = driver.submit((SerializableCallable<Latency>)
                        () -> IpcProbes.queueRoundTrip(there, back, payload, warm, count, pauseMicros));
                awaitSides(new Side("the round-trip driver", timing), new Side("the echo", echo));
                Latency latency = timing.get();
                return IpcResult.latency("java SharedQueue", pauseMicros == 0 ? "round trip"
                        : "round trip, 1 per " + pauseMicros / 1000 + " ms", name(payload), label(mode) + note, latency);
            } finally {
                there.shutdown();
                back.shutdown();
            }
        }
    }

    /** One way: the producer puts {@code count} messages as fast as it can, the consumer times them. */
    public IpcResult queueOneWay(ProcessPool producerPool, ProcessPool consumerPool, WaitStrategy mode,
            Payload payload, String note, int count) throws Exception {
        try (SharedQueue queue = queue(16_384, mode)) {
            try {
                Future<Double> consumer = consumerPool.submit(() -> IpcProbes.consume(queue, count));
                Future<Void> producer = producerPool.submit(() -> {
                    IpcProbes.produce(queue, payload, count);
                    return null;
                });
                awaitSides(new Side("the consumer", consumer), new Side("the producer", producer));
                double rate = consumer.get();
                return IpcResult.rate("java SharedQueue", "one-way", name(payload), label(mode) + note, rate, count);
            } finally {
                queue.shutdown();
            }
        }
    }

    /** Two producers and two consumers on one queue, default wait: a producer and a consumer in each pool. */
    public IpcResult queueManyToMany(ProcessPool first, ProcessPool second, int perProducer) throws Exception {
        try (SharedQueue queue = queue(16_384, WaitStrategy.backoff())) {
            try {
                List<Future<Drained>> consumers = List.of(first.submit(() -> IpcProbes.drain(queue)),
                        second.submit(() -> IpcProbes.drain(queue)));
                List<Future<Void>> producers = new ArrayList<>();
                for (ProcessPool pool : List.of(first, second)) {
                    producers.add(pool.submit(() -> {
                        IpcProbes.produce(queue, Payload.LONG, perProducer);
                        return null;
                    }));
                }
                // The consumers end only at the STOPs put below: wait for the producers, watching the
                // consumers for a failure meanwhile.
                awaitSides(List.of(new Side("a producer", producers.get(0)), new Side("a producer", producers.get(1))),
                        List.of(new Side("a consumer", consumers.get(0)), new Side("a consumer", consumers.get(1))));
                queue.put(IpcProbes.STOP);
                queue.put(IpcProbes.STOP);
                awaitSides(new Side("a consumer", consumers.get(0)), new Side("a consumer", consumers.get(1)));
                long firstNanos = Long.MAX_VALUE;
                long lastNanos = Long.MIN_VALUE;
                long total = 0;
                for (Future<Drained> consumer : consumers) {
                    Drained drained = consumer.get();
                    total += drained.count();
                    firstNanos = Math.min(firstNanos, drained.firstNanos());
                    lastNanos = Math.max(lastNanos, drained.lastNanos());
                }
                return IpcResult.rate("java SharedQueue", "2 producers x 2 consumers", "long", "backoff",
                        total / ((lastNanos - firstNanos) / 1e9), total);
            } finally {
                queue.shutdown();
            }
        }
    }

    /** A round trip over a {@link Pipe}, both sides in workers of one pool. */
    public IpcResult pipeRoundTrip(ProcessPool pool, Payload payload, int warm, int count) throws Exception {
        try (Pipe pipe = Pipe.open(PAYLOAD_CODEC)) {
            var echoEnd = pipe.right();
            var driverEnd = pipe.left();
            Future<Void> echo = pool.submit(() -> {
                IpcProbes.pipeEcho(echoEnd);
                return null;
            });
            Future<Latency> timing = pool.submit((SerializableCallable<Latency>)
                    () -> IpcProbes.pipeRoundTrip(driverEnd, payload, warm, count));
            awaitSides(new Side("the round-trip driver", timing), new Side("the echo", echo));
            Latency latency = timing.get();
            return IpcResult.latency("java Pipe", "round trip", name(payload), "blocking read", latency);
        }
    }

    /**
     * The object payload is a record of ours, which the default policy refuses (no library class is on it):
     * queues and pipes opt it in, and the codec travels with their handles to the workers.
     */
    static final MessageCodec PAYLOAD_CODEC = MessageCodec.defaults()
            .allowing(IpcProbes.Quote.class, IpcProbes.SerializedQuote.class);

    private static SharedQueue queue(int capacity, WaitStrategy mode) {
        // 240-byte messages: slots of 256 bytes, four to a page, enough for a Long or a small object
        return SharedQueue.create("ipc-bench-" + ProcessHandle.current().pid() + "-" + QUEUES.incrementAndGet(),
                capacity, 240).waitStrategy(mode)
                .codec(PAYLOAD_CODEC);
    }

    private static String name(Payload payload) {
        return payload.label();
    }

    /** One side of a measurement: what it does, for the error, and its call. */
    private record Side(String role, Future<?> call) {
    }

    /** How often a wait looks at the sides that it is not blocked on. */
    private static final long POLL_MILLIS = 20;

    /** Waits until every side has returned; see {@link #awaitSides(List, List)}. */
    private void awaitSides(Side... sides) throws ExecutionException, TimeoutException, InterruptedException {
        awaitSides(List.of(sides), List.of());
    }

    /**
     * Waits until every side of {@code finishing} has returned, while watching the sides of
     * {@code watched}, which need not return (a consumer that ends only when told to). The first side of
     * either to fail ends the wait at once, with its error: its partner would otherwise wait for it (for
     * a message that never comes) until the time limit. Every side is then cancelled (a running call's
     * worker is killed and replaced), and so is every side when the time limit passes.
     *
     * @throws ExecutionException if a side failed: says which, the cause is its error
     * @throws TimeoutException   if the finishing sides together took longer than the time limit
     */
    private void awaitSides(List<Side> finishing, List<Side> watched)
            throws ExecutionException, TimeoutException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Side> running = new ArrayList<>(finishing);
        try {
            while (true) {
                for (Side side : watched) {
                    if (side.call().isDone()) {
                        throwIfFailed(side);
                    }
                }
                for (java.util.Iterator<Side> each = running.iterator(); each.hasNext(); ) {
                    Side side = each.next();
                    if (side.call().isDone()) {
                        throwIfFailed(side);
                        each.remove();
                    }
                }
                if (running.isEmpty()) {
                    return;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new TimeoutException("an IPC measurement took more than " + timeout.toSeconds()
                            + " s: is the machine overloaded? Try fewer round trips or messages");
                }
                try {
                    running.get(0).call().get(Math.min(POLL_MILLIS, TimeUnit.NANOSECONDS.toMillis(left) + 1),
                            TimeUnit.MILLISECONDS);
                } catch (TimeoutException | ExecutionException | java.util.concurrent.CancellationException notYet) {
                    // looked at in the next round, with the other sides
                }
            }
        } catch (ExecutionException | TimeoutException | InterruptedException | RuntimeException | Error ended) {
            for (Side side : finishing) {
                side.call().cancel(true);
            }
            for (Side side : watched) {
                side.call().cancel(true);
            }
            throw ended;
        }
    }

    private static void throwIfFailed(Side side) throws ExecutionException, InterruptedException {
        try {
            side.call().get();
        } catch (ExecutionException | java.util.concurrent.CancellationException failed) {
            Throwable cause = failed instanceof ExecutionException ? failed.getCause() : failed;
            throw new ExecutionException(side.role() + " of the IPC measurement failed: " + cause, cause);
        }
    }
}
