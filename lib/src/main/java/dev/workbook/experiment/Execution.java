package dev.workbook.experiment;

import dev.workbook.gil.SimulatedGil;
import java.util.List;
import java.util.Optional;

/**
 * A strategy set up with its workers, ready to run tasks. Closing it stops the workers and waits for
 * them; an execution is used by one thread at a time.
 */
public interface Execution extends AutoCloseable {

    /**
     * Runs the task on every input and returns the results in input order, like
     * {@code Executor.map} in Python. Blocks until every task has finished.
     *
     * @throws Exception the first failure of a task, after the remaining tasks are cancelled
     * @throws InterruptedException if interrupted while waiting; the remaining tasks are cancelled
     */
    <T, R> List<R> map(Task<T, R> task, List<T> inputs) throws Exception;

    /**
     * A worker's {@link System#nanoTime()} minus this JVM's, for an execution whose workers are other JVMs, so
     * that their task times can be drawn on this JVM's clock; 0 for workers in this JVM. On Linux every
     * process reads one machine-wide monotonic clock, so the offset is 0 there too, but a strategy with
     * workers in other processes measures it rather than assume it.
     */
    default long workerClockOffsetNanos() {
        return 0;
    }

    /**
     * The simulated GIL this execution's workers must hold to compute, if it has one: the experiment records its
     * holds during each timed run ({@link Timeline#gilHolds()}). Empty by default.
     */
    default Optional<SimulatedGil> simulatedGil() {
        return Optional.empty();
    }

    /**
     * Waits for background work that a {@link #map} left behind to finish, so that it does not run
     * into the next timed run: for a cold process pool on {@code forkserver}, the spare JVMs that
     * replace the ones its workers took. The experiment calls it after each run, untimed. Does
     * nothing by default.
     *
     * @throws InterruptedException if interrupted while waiting
     */
    default void settle() throws InterruptedException {
    }

    /** Stops the workers and waits for them to end. */
    @Override
    void close() throws Exception;
}
