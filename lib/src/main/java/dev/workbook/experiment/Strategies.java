package dev.workbook.experiment;

import dev.workbook.gil.SimulatedGil;
import java.util.List;

/** The strategies of the lesson's experiment, by the names tables and charts show. */
public final class Strategies {

    private Strategies() {
    }

    /** {@code sequential}: one task after another on the calling thread; the baseline. */
    public static Strategy sequential() {
        return new SequentialStrategy();
    }

    /** {@code threads}: a fixed pool of platform threads, like Python's {@code ThreadPoolExecutor}. */
    public static Strategy threads() {
        return ThreadPoolStrategy.plain();
    }

    /**
     * {@code threads-gil}: the same pool, but a thread must hold one {@link SimulatedGil} to compute,
     * handed over every 5 ms as CPython does: the lesson's thread-pool result, reproduced on the JVM.
     */
    public static Strategy threadsUnderGil() {
        return ThreadPoolStrategy.underGil(SimulatedGil.DEFAULT_SWITCH_INTERVAL_NANOS);
    }

    /** {@code threads-gil} with another switch interval (CPython's {@code sys.setswitchinterval}). */
    public static Strategy threadsUnderGil(long switchIntervalNanos) {
        return ThreadPoolStrategy.underGil(switchIntervalNanos);
    }

    /** {@code parallel-streams}: {@code parallelStream()} in a ForkJoinPool of the given size. */
    public static Strategy parallelStreams() {
        return new ParallelStreamStrategy();
    }

    /** {@code virtual-threads}: one virtual thread per task; unavailable (and skipped) before Java 21. */
    public static Strategy virtualThreads() {
        return new VirtualThreadStrategy();
    }

    /**
     * {@code processes}: a pool of warm worker JVMs, one task per call, like Python's
     * {@code ProcessPoolExecutor}; the workers start before timing.
     */
    public static Strategy processes() {
        return ProcessPoolStrategy.warm();
    }

    /** {@code processes-cold}: the same pool, started and stopped inside each timed run. */
    public static Strategy processesCold() {
        return ProcessPoolStrategy.cold();
    }

    /** The lesson's comparison: sequential, threads, threads-gil, processes, parallel-streams, virtual-threads. */
    public static List<Strategy> lesson() {
        return List.of(sequential(), threads(), threadsUnderGil(), processes(), parallelStreams(), virtualThreads());
    }

    /** Every in-JVM strategy: sequential, threads, threads-gil, parallel-streams, virtual-threads. */
    public static List<Strategy> inProcess() {
        return List.of(sequential(), threads(), threadsUnderGil(), parallelStreams(), virtualThreads());
    }
}
