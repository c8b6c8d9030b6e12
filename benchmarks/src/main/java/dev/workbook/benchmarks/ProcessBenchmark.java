package dev.workbook.benchmarks;

import dev.workbook.experiment.Execution;
import dev.workbook.experiment.ProcessPoolStrategy;
import dev.workbook.experiment.Task;
import dev.workbook.experiment.Workload;
import dev.workbook.gil.Checkpoint;
import dev.workbook.primes.PrimalityTest;
import dev.workbook.primes.PrimeNumbers;
import dev.workbook.process.ChildProcess;
import dev.workbook.process.JvmOptions;
import dev.workbook.process.ProcessPool;
import dev.workbook.process.SerializableFunction;
import dev.workbook.process.StartMethod;
import dev.workbook.process.StartMethodTimes;
import dev.workbook.measure.CPython;
import java.time.Duration;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Measures what processes cost on the JVM, and prints tables: how long a child JVM takes to be ready,
 * what a call to a warm pool worker costs, and the lesson's prime-number workload under a thread pool,
 * a warm process pool and a cold one (worker start-up included), side by side in one run.
 *
 * <pre>
 * mvn -B -q -pl benchmarks -am package -DskipTests
 * java -cp "benchmarks/target/workbook-benchmarks-0.1.0-SNAPSHOT.jar:$(cat benchmarks/target/classpath.txt)" \
 *     dev.workbook.benchmarks.ProcessBenchmark [--quick] [--workers N] [--warmups N] [--rounds N] [--starts N] [--calls N]
 *     [--cds DIR] [--scale N]
 * </pre>
 *
 * Run from jars (as above) for the AppCDS rows: JDK 17 cannot archive classes from a directory such
 * as {@code benchmarks/target/classes}. The archive is kept in {@code --cds} (default
 * {@code benchmarks/target/cds}). {@code --scale N} repeats the lesson's list N times, to see how
 * the cold pool's fixed start-up cost weighs on longer work.
 *
 * Figures depend on the machine and its load, which the header prints: compare rows of one run, not
 * runs of different days.
 */
public final class ProcessBenchmark {

    private ProcessBenchmark() {
    }

    /** The lesson's workload, its list repeated {@code --scale} times (1: as in the lesson). */
    private static Workload<Long, Boolean> seed = Workload.primality("seed", PrimeNumbers.PRIMES, PrimalityTest.TRIAL_DIVISION);

    /** A primality test as a pool function. */
    private static final class PrimeCall implements SerializableFunction<Long, Boolean> {
        private static final long serialVersionUID = 1L;
        private final PrimalityTest test;

        PrimeCall(PrimalityTest test) {
            this.test = test;
        }

        @Override
        public Boolean apply(Long n) {
            return test.test(n, Checkpoint.NONE);
        }
    }

    public static void main(String[] args) throws Exception {
        boolean quick = List.of(args).contains("--quick");
        int workers = intOption(args, "--workers", Runtime.getRuntime().availableProcessors());
        int rounds = intOption(args, "--rounds", quick ? 1 : 7);
        int warmups = intOption(args, "--warmups", quick ? 1 : 3);
        int starts = intOption(args, "--starts", quick ? 5 : 30);
        int calls = intOption(args, "--calls", quick ? 3_000 : 20_000);
        Path cds = Path.of(stringOption(args, "--cds", "benchmarks/target/cds"));
        int scale = intOption(args, "--scale", 1);
        seed = Workload.primality("seed x" + scale, PrimeNumbers.repeat(PrimeNumbers.PRIMES, scale), PrimalityTest.TRIAL_DIVISION);
        JvmOptions withArchive = JvmOptions.defaults().withClassDataArchive(cds);

        System.out.printf(Locale.ROOT, "Process benchmarks: %d cores, Java %s, load average %s%n%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), loadAverage());

        boolean archived = primeArchive(withArchive, cds);
        startMethods(starts);
        startUp(starts, archived ? withArchive : null);
        roundTrip(calls);
        seedWorkload(workers, warmups, rounds, archived ? withArchive : null);
        System.out.printf(Locale.ROOT, "%nload average at the end: %s%n", loadAverage());
    }

    /**
     * Records the class-data sharing archive (untimed) with a worker that runs the lesson's workload,
     * if the class path allows it: JDK 17 archives classes from jars only, so run from the benchmarks
     * jar rather than target/classes.
     */
    private static boolean primeArchive(JvmOptions withArchive, Path directory) throws Exception {
        // The recording worker runs the workload first, so that the archive holds the classes a
        // worker loads for its calls (serialization, the task's classes), not only its start-up's.
        List<Boolean> expected = new ArrayList<>();
        for (long n : seed.inputs()) {
            expected.add(seed.task().apply(n, Checkpoint.NONE));
        }
        try (Execution recording = new ProcessPoolStrategy(true, withArchive).withStartMethod(StartMethod.SPAWN).open(1)) {
            check(expected, recording.map(seed.task(), seed.inputs()));
        }
        workerReady(withArchive, StartMethod.SPAWN); // the archive is in place once the recording worker has exited
        // On JDK 24+ the AOT cache is created in the background after the recording worker's exit.
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (!hasFile(directory, ".*\\.(jsa|aot)") && hasFile(directory, ".*\\.(tmp|aotconf)") && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        boolean archived = hasFile(directory, ".*\\.(jsa|aot)");
        System.out.println(archived ? "Class-data sharing archive for children: " + directory.toAbsolutePath() + System.lineSeparator()
                : "No class-data sharing archive: the class path has a directory (run from jars, see docs/processes.md)"
                        + System.lineSeparator());
        return archived;
    }

    /** What {@code withClassDataArchive} records on this JDK. */
    private static String archiveName() {
        return Runtime.version().feature() >= 24 ? "AOT cache" : "AppCDS";
    }

    private static boolean hasFile(Path directory, String pattern) {
        try (var files = Files.list(directory)) {
            return files.anyMatch(file -> file.toString().matches(pattern));
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * The start methods side by side with CPython's, measured in this run: {@code start()} to the
     * target running and to the end of {@code join()}, p50. The forkserver rows are timed with a spare
     * ready (the previous start's spare is awaited, untimed).
     */
    private static void startMethods(int starts) throws Exception {
        System.out.printf(Locale.ROOT, "0. Start methods: start() to target running and to end of join(), p50 of %d starts (ms)%n", starts);
        System.out.printf(Locale.ROOT, "   %-58s %9s %9s%n", "", "running", "joined");
        StartMethodTimes.Timing spawn = StartMethodTimes.java(StartMethod.SPAWN, starts);
        StartMethodTimes.Timing forkserver = StartMethodTimes.java(StartMethod.FORKSERVER, starts);
        StartMethod.stopSpares(); // the later rows measure their own
        startRow(spawn, "");
        startRow(forkserver, "");
        var python = CPython.find();
        if (python.isEmpty()) {
            System.out.println("   CPython rows skipped: no python3 here (install Debian's python3 for /usr/bin/python3)");
        } else {
            for (StartMethodTimes.Timing timing : StartMethodTimes.cpython(python.get(), starts)) {
                startRow(timing, "");
            }
        }
        target("java forkserver: start() to target running, spare ready, p50", forkserver.runningP50Millis(), 5, "ms");
        target("java forkserver: ChildProcess start() to end of join(), p50", forkserver.joinedP50Millis(), 10, "ms");
        System.out.println();
    }

    private static void startRow(StartMethodTimes.Timing timing, String note) {
        System.out.printf(Locale.ROOT, "   %-58s %9.1f %9.1f %s%n", timing.label(), timing.runningP50Millis(), timing.joinedP50Millis(), note);
    }

    /** Prints one target line: the figure, the limit and {@code -> met} or {@code -> MISSED}. */
    private static void target(String what, double measured, double limit, String unit) {
        System.out.printf(Locale.ROOT, "   target: %-62s %7.2f %s <= %s %s -> %s%n", what, measured, unit,
                limit == Math.rint(limit) ? String.valueOf((long) limit) : String.valueOf(limit), unit,
                measured <= limit ? "met" : "MISSED");
    }

    /** Child JVM start-to-ready, p50 and p99 over {@code starts} starts of each kind. */
    private static void startUp(int starts, JvmOptions withArchive) throws Exception {
        System.out.printf(Locale.ROOT, "1. Child JVM start-up, %d starts each (ms)%n", starts);
        System.out.printf(Locale.ROOT, "   %-58s %7s %7s %7s %7s%n", "", "p50", "p99", "min", "max");
        long[] tuned = new long[starts];
        long[] plain = new long[starts];
        long[] lifecycle = new long[starts];
        long[] archived = new long[starts];
        long[] spare = new long[starts];
        long[] spareLifecycle = new long[starts];
        for (int i = 0; i < starts; i++) {
            stopSparesAndAwaitNoChildren(); // untimed: no booting or idle spare competes with the cold starts
            tuned[i] = workerReady(JvmOptions.defaults(), StartMethod.SPAWN);
            plain[i] = workerReady(JvmOptions.defaults().withStartupTuning(false), StartMethod.SPAWN);
            if (withArchive != null) {
                archived[i] = workerReady(withArchive, StartMethod.SPAWN);
            }
            lifecycle[i] = emptyChild(StartMethod.SPAWN);
            // untimed: a pool worker and a ChildProcess each leave the spare that the timed start of
            // their kind below takes (the stopped spares left none)
            workerReady(JvmOptions.defaults(), StartMethod.FORKSERVER);
            emptyChild(StartMethod.FORKSERVER);
            StartMethod.awaitSpares(Duration.ofSeconds(60));
            spare[i] = workerReady(JvmOptions.defaults(), StartMethod.FORKSERVER);
            StartMethod.awaitSpares(Duration.ofSeconds(60));
            spareLifecycle[i] = emptyChild(StartMethod.FORKSERVER);
        }
        StartMethod.stopSpares();
        row("pool worker: build() to ready, spawn, start-up flags", tuned, 1e6);
        row("pool worker: build() to ready, spawn, JVM's own defaults", plain, 1e6);
        if (withArchive != null) {
            row("pool worker: build() to ready, spawn, flags + " + archiveName(), archived, 1e6);
        }
        row("pool worker: build() to ready, forkserver, spare ready", spare, 1e6);
        row("ChildProcess: start() to end of join(), empty lambda, spawn", lifecycle, 1e6);
        row("ChildProcess: start() to end of join(), empty lambda, spare", spareLifecycle, 1e6);
        if (withArchive != null) {
            target("pool worker ready, cold, no spare, " + archiveName() + " (JDK " + Runtime.version().feature() + "), p50",
                    percentile(sorted(archived), 50) / 1e6, Runtime.version().feature() >= 24 ? 35 : 45, "ms");
        }
        target("ChildProcess start() to end of join(), empty lambda, spare, p50", percentile(sorted(spareLifecycle), 50) / 1e6, 10, "ms");
        System.out.println();
    }

    /**
     * Stops the idle spares and waits, polling, until no child JVM of this one is running (a spare
     * being killed, a background AOT cache creation): a cold start timed beside a booting JVM on a
     * two-core machine measures the competition, not the start. Gives up after a minute with a note,
     * since the figures are then only less fair, not wrong.
     */
    private static void stopSparesAndAwaitNoChildren() throws InterruptedException {
        StartMethod.stopSpares();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (ProcessHandle.current().children().anyMatch(ProcessHandle::isAlive)) {
            if (System.nanoTime() > deadline) {
                System.out.println("   (a child JVM was still running after a minute: the next cold starts share the CPU with it)");
                return;
            }
            Thread.sleep(5);
        }
    }

    private static long[] sorted(long[] values) {
        long[] copy = values.clone();
        Arrays.sort(copy);
        return copy;
    }

    private static long emptyChild(StartMethod method) throws Exception {
        long started = System.nanoTime();
        ChildProcess child = new ChildProcess(() -> { }).setStartMethod(method);
        child.start();
        child.join();
        return System.nanoTime() - started;
    }

    private static long workerReady(JvmOptions options, StartMethod method) throws Exception {
        long started = System.nanoTime();
        ProcessPool pool = ProcessPool.builder().workers(1).jvmOptions(options).startMethod(method).build();
        pool.awaitReady();
        long ready = System.nanoTime() - started;
        pool.close();
        return ready;
    }

    /** One submit-and-get to a warm worker, p50 and p99 over {@code calls} calls after a warm-up. */
    private static void roundTrip(int calls) throws Exception {
        System.out.printf(Locale.ROOT, "2. Warm pool, one worker: submit(task).get() round trip, %d calls after %d warm-up (µs)%n",
                calls, calls / 2);
        System.out.printf(Locale.ROOT, "   %-58s %7s %7s %7s %7s%n", "", "p50", "p99", "min", "max");
        try (ProcessPool pool = new ProcessPool(1)) {
            pool.awaitReady();
            for (int i = 0; i < calls / 2; i++) {
                pool.submit(() -> 0).get();
            }
            long[] lambda = new long[calls];
            long[] capturing = new long[calls];
            long[] function = new long[calls];
            PrimeCall named = new PrimeCall(PrimalityTest.MILLER_RABIN);
            int zero = 0;
            for (int i = 0; i < calls; i++) {
                long started = System.nanoTime();
                pool.submit(() -> 0).get();
                lambda[i] = System.nanoTime() - started;
                // Serialized and deserialized with every call, as every task was before a task that
                // captures nothing came to be held by the workers: the comparison, under the same load.
                started = System.nanoTime();
                pool.submit(() -> zero).get();
                capturing[i] = System.nanoTime() - started;
                started = System.nanoTime();
                pool.submit(named, 1_000_003L).get();
                function[i] = System.nanoTime() - started;
            }
            row("submit(() -> 0)", lambda, 1e3);
            row("submit(() -> captured 0) (serialized with each call)", capturing, 1e3);
            row("submit(primality function, 1000003L) (Miller-Rabin)", function, 1e3);
            long[] sorted = lambda.clone();
            Arrays.sort(sorted);
            double p50 = percentile(sorted, 50) / 1e3;
            System.out.printf(Locale.ROOT, "   warm pool round trip submit(() -> 0).get(): p50 %.1f µs (target <= %.0f) -> %s%n",
                    p50, ROUND_TRIP_TARGET_MICROS, p50 <= ROUND_TRIP_TARGET_MICROS ? "met" : "MISSED");
        }
        System.out.println();
    }

    /** Issue 13's target for a warm pool's {@code submit(() -> 0).get()}, p50. */
    private static final double ROUND_TRIP_TARGET_MICROS = 40;

    /**
     * The lesson's workload under threads, a warm pool and a cold pool, interleaved round by round so
     * that each round compares the three under the same machine load. The pools are the harness's
     * own strategy ({@link ProcessPoolStrategy}) running the workload's own task, so these are the
     * figures an experiment sees.
     */
    private static void seedWorkload(int workers, int warmups, int rounds, JvmOptions withArchive) throws Exception {
        System.out.printf(Locale.ROOT, "3. The lesson's workload: %d numbers, %s, %d workers; %d timed rounds after %d warm-up rounds (s)%n",
                seed.size(), PrimalityTest.TRIAL_DIVISION.label(), workers, rounds, warmups);
        Task<Long, Boolean> task = seed.task();
        List<Boolean> expected = new ArrayList<>();
        long sequentialStart = System.nanoTime();
        for (long n : seed.inputs()) {
            expected.add(task.apply(n, Checkpoint.NONE));
        }
        double sequential = (System.nanoTime() - sequentialStart) / 1e9;

        ExecutorService threads = Executors.newFixedThreadPool(workers);
        double[] threadTimes = new double[rounds];
        double[] warmTimes = new double[rounds];
        double[] coldTimes = new double[rounds];
        double[] archivedTimes = new double[rounds];
        double[] spawnTimes = new double[rounds];
        try (Execution warm = ProcessPoolStrategy.warm().open(workers);
             Execution cold = ProcessPoolStrategy.cold().open(workers);
             Execution coldSpawn = ProcessPoolStrategy.cold().withStartMethod(StartMethod.SPAWN).open(workers);
             Execution coldArchived = new ProcessPoolStrategy(true, withArchive != null ? withArchive : JvmOptions.defaults())
                     .withStartMethod(StartMethod.SPAWN).open(workers)) {
            // Warm-up: the JIT compilers of this JVM and of the warm workers, which keep compiling the
            // serialization paths for a few rounds after the arithmetic is hot.
            for (int round = 0; round < warmups; round++) {
                check(expected, onThreads(threads, task));
                check(expected, warm.map(task, seed.inputs()));
            }
            if (withArchive != null) {
                check(expected, coldArchived.map(task, seed.inputs())); // once untimed, as the other pools warm up
            }
            check(expected, cold.map(task, seed.inputs())); // once untimed: it leaves the spares the timed rounds start on
            cold.settle();
            for (int round = 0; round < rounds; round++) {
                long started = System.nanoTime();
                check(expected, onThreads(threads, task));
                threadTimes[round] = (System.nanoTime() - started) / 1e9;

                started = System.nanoTime();
                check(expected, warm.map(task, seed.inputs()));
                warmTimes[round] = (System.nanoTime() - started) / 1e9;

                started = System.nanoTime();
                check(expected, cold.map(task, seed.inputs()));
                coldTimes[round] = (System.nanoTime() - started) / 1e9;
                cold.settle(); // untimed: the spares that replace the ones it took boot before anything else is timed

                started = System.nanoTime();
                check(expected, coldSpawn.map(task, seed.inputs()));
                spawnTimes[round] = (System.nanoTime() - started) / 1e9;

                if (withArchive != null) {
                    started = System.nanoTime();
                    check(expected, coldArchived.map(task, seed.inputs()));
                    archivedTimes[round] = (System.nanoTime() - started) / 1e9;
                }
            }
        } finally {
            threads.shutdownNow();
        }
        double threadMedian = median(threadTimes);
        System.out.printf(Locale.ROOT, "   %-44s %8s %9s   %s%n", "", "median", "× threads", "every round (× that round's threads)");
        System.out.printf(Locale.ROOT, "   %-44s %8.3f%n", "sequential, this JVM (one run)", sequential);
        seedRow("threads (fixed pool of " + workers + ", this JVM)", threadTimes, threadTimes, threadMedian, "");
        seedRow("processes (warm pool)", warmTimes, threadTimes, threadMedian, "");
        seedRow("processes-cold, default (forkserver: spares)", coldTimes, threadTimes, threadMedian, "");
        seedRow("processes-cold, spawn", spawnTimes, threadTimes, threadMedian, "");
        if (withArchive != null) {
            seedRow("processes-cold, spawn + " + archiveName(), archivedTimes, threadTimes, threadMedian, "");
        }
        target("warm pool, median of per-round ratios to threads", median(ratios(warmTimes, threadTimes)), 1.05, "x");
        target("cold pool, default settings, median of per-round ratios", median(ratios(coldTimes, threadTimes)), 1.15, "x");
    }

    private static double[] ratios(double[] seconds, double[] threadSeconds) {
        double[] ratios = new double[seconds.length];
        for (int i = 0; i < seconds.length; i++) {
            ratios[i] = seconds[i] / threadSeconds[i];
        }
        return ratios;
    }

    private static List<Boolean> onThreads(ExecutorService threads, Task<Long, Boolean> task) throws Exception {
        List<Future<Boolean>> futures = new ArrayList<>();
        for (long n : seed.inputs()) {
            futures.add(threads.submit(() -> task.apply(n, Checkpoint.NONE)));
        }
        List<Boolean> results = new ArrayList<>();
        for (Future<Boolean> future : futures) {
            results.add(future.get());
        }
        return results;
    }

    private static void check(List<Boolean> expected, List<Boolean> actual) {
        if (!expected.equals(actual)) {
            throw new IllegalStateException("wrong results: " + actual);
        }
    }

    private static void row(String label, long[] nanos, double unit) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        System.out.printf(Locale.ROOT, "   %-58s %7.1f %7.1f %7.1f %7.1f%n", label,
                percentile(sorted, 50) / unit, percentile(sorted, 99) / unit, sorted[0] / unit, sorted[sorted.length - 1] / unit);
    }

    private static void seedRow(String label, double[] seconds, double[] threadSeconds, double threadMedian, String target) {
        double median = median(seconds);
        double[] ratios = new double[seconds.length];
        StringBuilder all = new StringBuilder();
        for (int i = 0; i < seconds.length; i++) {
            ratios[i] = seconds[i] / threadSeconds[i];
            all.append(String.format(Locale.ROOT, "%.3f (%.2f) ", seconds[i], ratios[i]));
        }
        System.out.printf(Locale.ROOT, "   %-44s %8.3f %9.2f   %s%s%n", label, median, median / threadMedian, all,
                String.format(Locale.ROOT, " median of per-round ratios %.2f%s", median(ratios), target));
    }

    /** Nearest-rank percentile of sorted values. */
    static long percentile(long[] sorted, int p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static String stringOption(String[] args, String name, String fallback) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return fallback;
    }

    static int intOption(String[] args, String name, int fallback) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals(name)) {
                int value = Integer.parseInt(args[i + 1]);
                if (value < 1) {
                    throw new IllegalArgumentException(name + " must be at least 1, was " + value);
                }
                return value;
            }
        }
        return fallback;
    }
}
