package dev.workbook.benchmarks;

import dev.workbook.codec.MessageCodec;
import dev.workbook.ipc.WaitStrategy;
import dev.workbook.ipc.bench.IpcProbes;
import dev.workbook.ipc.bench.IpcBench;
import dev.workbook.ipc.bench.IpcMeasurements;
import dev.workbook.ipc.bench.IpcProbes.Payload;
import dev.workbook.ipc.bench.IpcResult;
import dev.workbook.measure.MachineFacts;
import dev.workbook.process.JvmOptions;
import dev.workbook.process.ProcessPool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;

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
 *       for 8-byte messages ({@code Long}), small objects (a record the codec writes as its components,
 *       target p50 <= 2.5 µs) and the same record Java-serialized (what it cost before), with the spinning
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
 * {@code --only=rtt|oneway|m2m|pipe|python|codec} for one group of rows ({@code codec}: the codec alone,
 * encoding and decoding the object payloads in this JVM, no processes).
 */
public final class IpcBenchmark {

    private static final Path TASKSET = Path.of("/usr/bin/taskset");

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
            if (option.matches("--only=(rtt|oneway|m2m|pipe|python|codec)")) {
                only = option.substring("--only=".length());
            } else if (!List.of("--quick", "--no-pin", "--no-python").contains(option)) {
                System.err.println("usage: IpcBenchmark [--quick] [--no-pin] [--no-python]"
                        + " [--only=rtt|oneway|m2m|pipe|python|codec]");
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
        IpcMeasurements measure = new IpcMeasurements(Duration.ofMinutes(5));
        try (ProcessPool first = pool("ipc-core0", 0); ProcessPool second = pool("ipc-core1", 1);
             ProcessPool free = pool("ipc-free", -1)) {
            first.awaitReady();
            second.awaitReady();
            free.awaitReady();
            for (WaitStrategy mode : List.of(WaitStrategy.spin(), WaitStrategy.backoff())) {
                for (Payload payload : Payload.values()) {
                    if (runs("rtt")) {
                        results.add(measure.queueRoundTrip(first, second, mode, payload, "", rttWarm, rttCount, 0));
                    }
                }
            }
            if (runs("rtt")) {
                // Sparse traffic: the echo has parked by the time each message comes, as a real consumer would.
                results.add(measure.queueRoundTrip(first, second, WaitStrategy.backoff(), Payload.LONG, "", 50,
                        quick ? 200 : 1000, 5_000));
            }
            for (WaitStrategy mode : List.of(WaitStrategy.spin(), WaitStrategy.backoff())) {
                if (runs("oneway")) {
                    results.add(measure.queueOneWay(first, second, mode, Payload.LONG, "", quick ? 2_000_000 : 10_000_000));
                    results.add(measure.queueOneWay(first, second, mode, Payload.OBJECT, "", quick ? 200_000 : 1_000_000));
                }
            }
            if (runs("m2m")) {
                results.add(measure.queueManyToMany(first, second, quick ? 500_000 : 2_000_000));
            }
            for (Payload payload : List.of(Payload.LONG, Payload.OBJECT)) {
                if (runs("pipe")) {
                    // Not pinned, like the CPython rows: processes that sleep in the kernel hand off fastest when
                    // the scheduler may run them on one core (no cross-core wake-up); pinning measured 2-3x slower.
                    results.add(measure.pipeRoundTrip(free, payload, quick ? 5_000 : 20_000, quick ? 10_000 : 50_000));
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
        if (runs("codec")) {
            codecAlone();
        }
        printObjectTargets();
        System.out.println("load average at the end: " + MachineFacts.loadAverage());
    }

    /**
     * Where an object round trip's time goes besides the queue: the codec alone, in this JVM, encoding
     * and decoding the benchmark's record written as its components and the same record serialized.
     * Mean of a timed batch after warm-up batches, so that the JIT has compiled both paths.
     */
    private void codecAlone() {
        MessageCodec codec = MessageCodec.defaults().allowing(IpcProbes.Quote.class, IpcProbes.SerializedQuote.class);
        int batch = quick ? 20_000 : 200_000;
        System.out.println("the codec alone, this JVM, mean of " + batch + " after warm-up (ns):");
        for (Payload payload : List.of(Payload.OBJECT, Payload.SERIALIZED)) {
            long sink = 0;
            double encode = 0;
            double decode = 0;
            byte[] bytes = codec.encode(payload.message(1));
            for (int round = 0; round < 4; round++) { // the last round is the one reported
                long started = System.nanoTime();
                for (int i = 0; i < batch; i++) {
                    sink += codec.encode(payload.message(i)).length;
                }
                long encoded = System.nanoTime();
                for (int i = 0; i < batch; i++) {
                    sink += codec.decode(bytes).hashCode();
                }
                long decoded = System.nanoTime();
                encode = (encoded - started) / (double) batch;
                decode = (decoded - encoded) / (double) batch;
            }
            System.out.printf(java.util.Locale.ROOT, "  %-20s %4d bytes  encode %7.0f  decode %7.0f%s%n", payload.label(),
                    bytes.length, encode, decode, sink == 42 ? " " : "");
        }
    }

    /** The object round trip's target (issue 13), under each wait strategy, beside the serialized record's. */
    static final double OBJECT_ROUND_TRIP_TARGET_MICROS = 2.5;

    private void printObjectTargets() {
        for (IpcResult row : results) {
            if (row.transport().equals("java SharedQueue") && row.shape().equals("round trip")
                    && row.payload().equals(Payload.OBJECT.label())) {
                String serialized = results.stream()
                        .filter(other -> other.shape().equals("round trip") && other.waiting().equals(row.waiting())
                                && other.payload().equals(Payload.SERIALIZED.label()))
                        .map(other -> String.format(java.util.Locale.ROOT, " (the same record Java-serialized: %.2f µs)",
                                other.p50Micros()))
                        .findFirst().orElse("");
                System.out.printf(java.util.Locale.ROOT, "object round trip through SharedQueue, %s: p50 %.2f µs (target <= %.1f)%s -> %s%n",
                        row.waiting(), row.p50Micros(), OBJECT_ROUND_TRIP_TARGET_MICROS, serialized,
                        row.p50Micros() <= OBJECT_ROUND_TRIP_TARGET_MICROS ? "met" : "MISSED");
            }
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
}
