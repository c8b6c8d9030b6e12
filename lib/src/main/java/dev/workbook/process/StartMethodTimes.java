package dev.workbook.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Measures how long a child takes to start, by start method, beside CPython's {@code fork},
 * {@code spawn} and {@code forkserver} measured the same way in the same run: from the call to
 * {@code start()} until the target is running (the target reads the clock first thing), and until
 * {@code join()} has returned. On Linux every process reads the same monotonic clock
 * ({@code System.nanoTime()} and Python's {@code time.monotonic_ns()} are both
 * {@code CLOCK_MONOTONIC}), so a child's reading and its parent's compare directly.
 *
 * <p>For {@link StartMethod#FORKSERVER} each start is timed with a spare ready: the measurement waits,
 * untimed, for the spare the previous start left booting. Each method gets one untimed start first
 * (CPython's forkserver starts its server then). Blocks for the whole measurement: about
 * {@code starts} times 0.1 s (spawn) plus 0.3 s (a spare's boot) on 2 cores.
 */
public final class StartMethodTimes {

    private static final Duration SPARE_WARM_WITHIN = Duration.ofSeconds(60);
    private static final Duration CPYTHON_LIMIT = Duration.ofMinutes(5);

    private StartMethodTimes() {
    }

    /**
     * The times of one start method.
     *
     * @param label          such as {@code "java forkserver"} or {@code "CPython fork"}
     * @param toRunningNanos per start, from {@code start()} to the target's first instruction
     * @param toJoinedNanos  per start, from {@code start()} to the return of {@code join()}
     */
    public record Timing(String label, long[] toRunningNanos, long[] toJoinedNanos) {

        /** The median time from {@code start()} to the target running, in milliseconds. */
        public double runningP50Millis() {
            return median(toRunningNanos) / 1e6;
        }

        /** The median time from {@code start()} to the return of {@code join()}, in milliseconds. */
        public double joinedP50Millis() {
            return median(toJoinedNanos) / 1e6;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%s: start() to running %.1f ms, to joined %.1f ms (p50 of %d)", label,
                    runningP50Millis(), joinedP50Millis(), toRunningNanos.length);
        }
    }

    /** Writes the clock to a file: the target of every timed start. */
    static void markRunning(String file) throws IOException {
        long now = System.nanoTime();
        Files.writeString(Path.of(file), Long.toString(now));
    }

    /**
     * Times {@code starts} starts of a {@link ChildProcess} whose target only reads the clock, with
     * this start method (and, for {@link StartMethod#FORKSERVER}, a spare ready each time).
     *
     * @throws IllegalArgumentException if starts is below 1
     * @throws InterruptedException     if interrupted while waiting (the child keeps running)
     * @throws IOException              if the temporary file the target writes cannot be used
     */
    public static Timing java(StartMethod method, int starts) throws IOException, InterruptedException {
        if (starts < 1) {
            throw new IllegalArgumentException("starts must be at least 1, was " + starts);
        }
        Path directory = Files.createTempDirectory("workbook-start-times");
        try {
            long[] running = new long[starts];
            long[] joined = new long[starts];
            for (int i = -1; i < starts; i++) {
                Path mark = directory.resolve("running-" + (i + 1));
                if (method == StartMethod.FORKSERVER) {
                    StartMethod.awaitSpares(SPARE_WARM_WITHIN);
                }
                ChildProcess child = new ChildProcess(StartMethodTimes::markRunning, mark.toString()).setStartMethod(method);
                long started = System.nanoTime();
                child.start();
                child.join();
                long ended = System.nanoTime();
                if (child.exitCode() != 0) {
                    throw new IllegalStateException("the timed child " + child + " failed: " + child.failure().orElse(null));
                }
                if (i >= 0) { // the first start is untimed
                    running[i] = Long.parseLong(Files.readString(mark).strip()) - started;
                    joined[i] = ended - started;
                }
                Files.deleteIfExists(mark);
            }
            return new Timing("java " + method.pythonName(), running, joined);
        } finally {
            try (var left = Files.list(directory)) {
                for (Path file : left.toList()) {
                    Files.deleteIfExists(file);
                }
            }
            Files.deleteIfExists(directory);
        }
    }

    /** The Python side: the same measurement with {@code multiprocessing}, printed as one line per method. */
    private static final String CPYTHON_PROGRAM = """
            import multiprocessing as mp, sys, time

            def mark(value):
                value.value = time.monotonic_ns()

            if __name__ == "__main__":
                starts = int(sys.argv[1])
                for method in sys.argv[2:]:
                    context = mp.get_context(method)
                    running, joined = [], []
                    for i in range(starts + 1):
                        value = context.Value("q", 0, lock=False)
                        child = context.Process(target=mark, args=(value,))
                        started = time.monotonic_ns()
                        child.start()
                        child.join()
                        ended = time.monotonic_ns()
                        if child.exitcode != 0:
                            sys.exit(method + " child failed with exit code " + str(child.exitcode))
                        if i > 0:
                            running.append(value.value - started)
                            joined.append(ended - started)
                    print(method, " ".join(map(str, running)), "|", " ".join(map(str, joined)), flush=True)
            """;

    /**
     * Times {@code starts} starts of each of CPython's start methods ({@code fork}, {@code spawn},
     * {@code forkserver}) with this interpreter, after one untimed start of each.
     *
     * @param python the interpreter's command, such as {@code dev.workbook.measure.CPython.find()} gives
     * @throws IOException          if the interpreter fails or prints something else than expected
     * @throws InterruptedException if interrupted while it runs (it is killed)
     */
    public static List<Timing> cpython(String python, int starts) throws IOException, InterruptedException {
        if (starts < 1) {
            throw new IllegalArgumentException("starts must be at least 1, was " + starts);
        }
        Path program = Files.createTempFile("workbook-start-times", ".py");
        try {
            Files.writeString(program, CPYTHON_PROGRAM);
            CompletedProcess run = Subprocess.of(python, program.toString(), Integer.toString(starts), "fork", "spawn", "forkserver")
                    .timeout(CPYTHON_LIMIT).run();
            if (run.exitCode() != 0) {
                throw new IOException(python + " could not time its start methods (exit code " + run.exitCode() + "): "
                        + run.stderr().strip());
            }
            List<Timing> timings = new ArrayList<>();
            for (String line : run.stdout().strip().split("\n")) {
                String[] halves = line.split("\\|");
                String[] first = halves[0].trim().split(" ");
                timings.add(new Timing("CPython " + first[0], longs(Arrays.copyOfRange(first, 1, first.length)),
                        longs(halves[1].trim().split(" "))));
            }
            return timings;
        } catch (RuntimeException e) {
            throw new IOException(python + " printed something other than its start times: " + e.getMessage(), e);
        } finally {
            Files.deleteIfExists(program);
        }
    }

    private static long[] longs(String[] words) {
        return Arrays.stream(words).mapToLong(Long::parseLong).toArray();
    }

    private static double median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2.0;
    }
}
