package dev.workbook.experiment;

import java.util.Optional;

/**
 * One way of running a workload's tasks: one after another, on a thread pool, under a simulated GIL,
 * in other processes... An {@link Experiment} opens each strategy once per worker count, times the
 * {@link Execution#map} calls and nothing else.
 *
 * <p>A new strategy (such as a pool of child JVMs) plugs in by implementing this interface; the
 * experiment needs no change. CPU time is measured for this JVM and every process it started, so a
 * strategy whose work happens in child processes is accounted for without reporting anything itself.
 */
public interface Strategy {

    /** A short stable name for tables, charts and CSV files, such as {@code threads}. */
    String name();

    /** One line saying what the strategy does, for legends and documentation. */
    String description();

    /**
     * Whether the worker count is a setting of this strategy. Strategies that return {@code false}
     * run once per experiment with {@link #defaultWorkers()} workers, whatever worker counts the
     * experiment sweeps.
     */
    boolean scalesWithWorkers();

    /** The number of workers used when the experiment does not choose one. */
    default int defaultWorkers() {
        return Runtime.getRuntime().availableProcessors();
    }

    /**
     * Why this strategy cannot run in this JVM (say, virtual threads on Java 17), or empty when it
     * can. An experiment skips an unavailable strategy and reports the reason.
     */
    default Optional<String> unavailableReason() {
        return Optional.empty();
    }

    /**
     * Sets up an execution with the given number of workers. This set-up is not timed: a strategy that
     * starts workers (threads, processes) should start them here, so that the timed part measures the
     * work. A strategy that wants its start-up measured starts its workers lazily in {@code map}.
     *
     * @param workers how many workers, at least 1
     * @throws Exception if the workers cannot be started
     */
    Execution open(int workers) throws Exception;
}
