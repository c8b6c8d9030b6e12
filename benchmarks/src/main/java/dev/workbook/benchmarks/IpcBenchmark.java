package dev.workbook.benchmarks;

import dev.workbook.ipc.Pipe;
import dev.workbook.ipc.SharedQueue;
import dev.workbook.ipc.WaitStrategy;
import dev.workbook.ipc.bench.IpcBench;
import dev.workbook.ipc.bench.IpcProbes;
import dev.workbook.ipc.bench.IpcProbes.Drained;
import dev.workbook.ipc.bench.IpcProbes.Latency;
import dev.workbook.ipc.bench.IpcProbes.Payload;
import dev.workbook.ipc.bench.IpcResult;
import dev.workbook.measure.MachineFacts;
import dev.workbook.process.JvmOptions;
import dev.workbook.process.ProcessPool;
import dev.workbook.process.SerializableCallable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Measures the workbook's inter-process primitives between JVM processes, and CPython's
 * {@code multiprocessing} on the same machine for comparison, and prints one table.
 *
 * <p>Every figure comes from child JVMs of the library's {@link ProcessPool}: two pools of two workers,
 * each pool's JVMs launched under {@code taskset -c N} ({@link JvmOptions#withLaunchPrefix}) on a core of
 * its own when there is a taskset and two cores (two spinning processes must not share a core), and an
 * unpinned pool for the pipe rows. This JVM only hands the workers their primitives and collects the
 * figures. Rows:
 * <ul>
 *   <li>queue round trip: a driver puts a message on one {@link SharedQueue}, an echo process takes it and
 *       puts it on a second queue, the driver takes it back; p50 and p99 of that time (every sample kept),
 *       for 8-byte messages ({@code Long}) and small objects (a serialized record), with the spinning
 *       and the default (backoff) wait strategies;</li>
 *   <li>queue one-way: one process puts as fast as it can, another gets; messages per second;</li>
 *   <li>queue 2x2: two producer processes, two consumer processes, default strategy;</li>
 *   <li>pipe round trip over a {@link Pipe} (Unix-domain socket);</li>
 *   <li>python: the same shapes with {@code multiprocessing.Queue} and {@code Pipe}, when a
 *       {@code python3} is found.</li>
 * </ul>
 * The measuring loops are the workbook's {@link dev.workbook.ipc.bench.IpcProbes}, and the CPython rows come from
 * {@link IpcBench#pythonResults}: {@link IpcBench} is the quick version of this benchmark.
 * Run with {@code --quick} for a shorter, noisier pass, {@code --no-python}, {@code --no-pin}, or
 * {@code --only=rtt|oneway|m2m|pipe|python} for one group of rows.
 */
public final class IpcBenchmark {

    private static final Path TASKSET = Path.of("/usr/bin/taskset");
    private static final long TIMEOUT_MINUTES = 5;
    private static final AtomicInteger QUEUES = new AtomicInteger();

    private final boolean quick;
    private final boolean pin;
    private final boolean python;
    private final String only;
    private final List<IpcResult> results = new ArrayList<>();

    private IpcBenchmark(boolean quick, boolean pin, boolean python, String only) {
        this.quick = quick;
        this.pin = pin;
        this.python = python;
        this.only = only;
    }

    private boolean runs(String group) {
        return only == null || only.equals(group);
    }

    public static void main(String[] args) throws Exception {
        List<String> options = List.of(args);
        String only = null;
        for (String option : options) {
            if (option.matches("--only=(rtt|oneway|m2m|pipe|python)")) {
                only = option.substring("--only=".length());
            } else if (!List.of("--quick", "--no-pin", "--no-python").contains(option)) {
                System.err.println("usage: IpcBenchmark [--quick] [--no-pin] [--no-python]"
                        + " [--only=rtt|oneway|m2m|pipe|python]");
                System.exit(2);
            }
        }
        boolean canPin = Runtime.getRuntime().availableProcessors() >= 2 && Files.isExecutable(TASKSET);
        new IpcBenchmark(options.contains("--quick"), canPin && !options.contains("--no-pin"),
                !options.contains("--no-python"), only).run();
    }

    private void run() throws Exception {
        System.out.println("IPC benchmark, " + LocalDateTime.now().withNano(0) + ", "
                + Runtime.getRuntime().availableProcessors() + " cores, java " + System.getProperty("java.version")
                + ", load average " + MachineFacts.loadAverage() + (pin ? ", children pinned with taskset" : ", not pinned"));
        int rttCount = quick ? 20_000 : 100_000;
        int rttWarm = quick ? 10_000 : 50_000;
        try (ProcessPool first = pool("ipc-core0", 0); ProcessPool second = pool("ipc-core1", 1);
             ProcessPool free = pool("ipc-free", -1)) {
            first.awaitReady();
            second.awaitReady();
            free.awaitReady();
            for (WaitStrategy mode : List.of(WaitStrategy.spin(), WaitStrategy.backoff())) {
                for (Payload payload : Payload.values()) {
                    if (runs("rtt")) {
                        queueRoundTrip(first, second, mode, payload, rttWarm, rttCount, 0);
                    }
                }
            }
            if (runs("rtt")) {
                // Sparse traffic: the echo has parked by the time each message comes, as a real consumer would.
                queueRoundTrip(first, second, WaitStrategy.backoff(), Payload.LONG, 50, quick ? 200 : 1000, 5_000);
            }
            for (WaitStrategy mode : List.of(WaitStrategy.spin(), WaitStrategy.backoff())) {
                if (runs("oneway")) {
                    queueOneWay(first, second, mode, Payload.LONG, quick ? 2_000_000 : 10_000_000);
                    queueOneWay(first, second, mode, Payload.OBJECT, quick ? 200_000 : 1_000_000);
                }
            }
            if (runs("m2m")) {
                queueManyToMany(first, second, quick ? 500_000 : 2_000_000);
            }
            for (Payload payload : Payload.values()) {
                if (runs("pipe")) {
                    pipeRoundTrip(free, payload, quick ? 5_000 : 20_000, quick ? 10_000 : 50_000);
                }
            }
        }
        if (python && runs("python")) {
            for (IpcResult result : IpcBench.pythonResults(quick ? List.of("--quick") : List.of())) {
                if (result.measured()) {
                    results.add(result);
                } else {
                    System.out.println("no CPython rows: " + result.note());
                }
            }
        }
        System.out.println();
        System.out.println(IpcBench.table(results).print());
        System.out.println("load average at the end: " + MachineFacts.loadAverage());
    }

    // ---------------------------------------------------------------- scenarios

    private void queueRoundTrip(ProcessPool driver, ProcessPool echoer, WaitStrategy mode, Payload payload, int warm,
            int count, long pauseMicros) throws Exception {
        try (SharedQueue there = queue(1024, mode); SharedQueue back = queue(1024, mode)) {
            try {
                Future<Void> echo = echoer.submit(() -> {
                    IpcProbes.queueEcho(there, back);
                    return null;
                });
                Latency latency = await(driver.submit((SerializableCallable<Latency>)
                        () -> IpcProbes.queueRoundTrip(there, back, payload, warm, count, pauseMicros)));
                await(echo);
                results.add(IpcResult.latency("java SharedQueue", pauseMicros == 0 ? "round trip"
                        : "round trip, 1 per " + pauseMicros / 1000 + " ms", name(payload), IpcBench.label(mode), latency));
            } finally {
                there.shutdown(); // frees a side still waiting if the other failed
                back.shutdown();
            }
        }
    }

    private void queueOneWay(ProcessPool producerPool, ProcessPool consumerPool, WaitStrategy mode, Payload payload,
            int count) throws Exception {
        try (SharedQueue queue = queue(16_384, mode)) {
            try {
                Future<Double> consumer = consumerPool.submit(() -> IpcProbes.consume(queue, count));
                Future<Void> producer = producerPool.submit(() -> {
                    IpcProbes.produce(queue, payload, count);
                    return null;
                });
                double rate = await(consumer);
                await(producer);
                results.add(IpcResult.rate("java SharedQueue", "one-way", name(payload), IpcBench.label(mode), rate, count));
            } finally {
                queue.shutdown();
            }
        }
    }

    private void queueManyToMany(ProcessPool first, ProcessPool second, int perProducer) throws Exception {
        try (SharedQueue queue = queue(16_384, WaitStrategy.backoff())) {
            try {
                // A consumer and a producer on each core.
                List<Future<Drained>> consumers = List.of(first.submit(() -> IpcProbes.drain(queue)),
                        second.submit(() -> IpcProbes.drain(queue)));
                List<Future<Void>> producers = new ArrayList<>();
                for (ProcessPool pool : List.of(first, second)) {
                    producers.add(pool.submit(() -> {
                        IpcProbes.produce(queue, Payload.LONG, perProducer);
                        return null;
                    }));
                }
                for (Future<Void> producer : producers) {
                    await(producer);
                }
                queue.put(IpcProbes.STOP);
                queue.put(IpcProbes.STOP);
                long firstNanos = Long.MAX_VALUE;
                long lastNanos = Long.MIN_VALUE;
                long total = 0;
                for (Future<Drained> consumer : consumers) {
                    Drained drained = await(consumer);
                    total += drained.count();
                    firstNanos = Math.min(firstNanos, drained.firstNanos());
                    lastNanos = Math.max(lastNanos, drained.lastNanos());
                }
                results.add(IpcResult.rate("java SharedQueue", "2 producers x 2 consumers", "long", "backoff",
                        total / ((lastNanos - firstNanos) / 1e9), total));
            } finally {
                queue.shutdown();
            }
        }
    }

    private void pipeRoundTrip(ProcessPool pool, Payload payload, int warm, int count) throws Exception {
        try (Pipe pipe = Pipe.open()) {
            // Not pinned, like the CPython rows: processes that sleep in the kernel hand off fastest when the
            // scheduler may run them on one core (no cross-core wake-up), and pinning measured 2-3x slower.
            var echoEnd = pipe.right();
            var driverEnd = pipe.left();
            Future<Void> echo = pool.submit(() -> {
                IpcProbes.pipeEcho(echoEnd);
                return null;
            });
            Latency latency = await(pool.submit((SerializableCallable<Latency>)
                    () -> IpcProbes.pipeRoundTrip(driverEnd, payload, warm, count)));
            await(echo);
            results.add(IpcResult.latency("java Pipe", "round trip", name(payload), "blocking read", latency));
        }
    }

    // ---------------------------------------------------------------- plumbing

    /** Two worker JVMs, launched under {@code taskset -c core} when pinning (core -1: never pinned). */
    private ProcessPool pool(String name, int core) {
        JvmOptions options = JvmOptions.defaults().withStartupTuning(false).withMaxHeap("256m").withFlags("-Xms256m");
        if (pin && core >= 0) {
            options = options.withLaunchPrefix(TASKSET.toString(), "-c", String.valueOf(core));
        }
        return ProcessPool.builder().workers(2).name(name).jvmOptions(options).build();
    }

    private static SharedQueue queue(int capacity, WaitStrategy mode) {
        // 240-byte messages: slots of 256 bytes, four to a page, enough for a Long or a small object
        return SharedQueue.create("bench-" + ProcessHandle.current().pid() + "-" + QUEUES.incrementAndGet(), capacity, 240)
                .waitStrategy(mode);
    }

    private static String name(Payload payload) {
        return payload.name().toLowerCase(Locale.ROOT);
    }

    private static <T> T await(Future<T> future) throws Exception {
        try {
            return future.get(TIMEOUT_MINUTES, TimeUnit.MINUTES);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new TimeoutException("an IPC measurement took more than " + TIMEOUT_MINUTES
                    + " minutes: is the machine overloaded? Try --quick");
        }
    }
}
