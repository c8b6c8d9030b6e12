package dev.workbook.experiment;

import dev.workbook.gil.Checkpoint;
import dev.workbook.process.PoolExecutor;
import dev.workbook.process.SerializableCallable;
import dev.workbook.process.SerializableFunction;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;

/**
 * An {@link Execution} on a {@link PoolExecutor} whose workers are other JVMs (a process pool, a cluster's
 * members): the one home of what such strategies share. Tasks travel one item per call (chunk size 1),
 * which balances uneven tasks best, as named classes (a fresh JVM deserializes a plain class faster than a
 * lambda or a record), and get {@link Checkpoint#NONE}: each worker is a JVM of its own, with no
 * interpreter lock to simulate. {@link #close()} shuts the pool down (cancelling what has not started), then
 * closes what the strategy started for it.
 */
public final class PoolExecution implements Execution {

    private final PoolExecutor pool;
    private final AutoCloseable owner;
    private final long workerClockOffsetNanos;

    private PoolExecution(PoolExecutor pool, AutoCloseable owner, long workerClockOffsetNanos) {
        this.pool = pool;
        this.owner = owner;
        this.workerClockOffsetNanos = workerClockOffsetNanos;
    }

    /**
     * An execution on a running pool, its workers' clock offset measured now (5 round trips).
     *
     * @param pool  the pool, shut down by {@link #close()} (and here, if it cannot answer)
     * @param owner what else {@link #close()} closes after the pool (the cluster a strategy started), or null
     * @throws Exception if a worker cannot answer
     */
    public static PoolExecution on(PoolExecutor pool, AutoCloseable owner) throws Exception {
        Objects.requireNonNull(pool, "pool");
        PoolExecution execution = new PoolExecution(pool, owner, 0);
        long offset;
        try {
            offset = clockOffset(pool);
        } catch (Exception | Error e) {
            execution.close();
            throw e;
        }
        return new PoolExecution(pool, owner, offset);
    }

    /**
     * Runs {@code task} on every input in the pool, one input per call.
     *
     * @throws Exception the task's own failure (unwrapped from the pool's {@link ExecutionException})
     */
    public static <T, R> List<R> run(PoolExecutor pool, Task<T, R> task, List<T> inputs) throws Exception {
        try {
            return pool.map(new TaskCall<>(task), inputs, 1);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception exception) {
                throw exception; // the task's own failure, as the Execution contract says
            }
            throw e;
        }
    }

    @Override
    public <T, R> List<R> map(Task<T, R> task, List<T> inputs) throws Exception {
        return run(pool, task, inputs);
    }

    @Override
    public long workerClockOffsetNanos() {
        return workerClockOffsetNanos;
    }

    /** Shuts the pool down, cancelling calls not started, then closes the owner. */
    @Override
    public void close() throws Exception {
        try {
            pool.shutdown(true);
        } finally {
            if (owner != null) {
                owner.close();
            }
        }
    }

    /** A worker's clock reading: the other half of {@link #clockOffset}'s round trip. */
    private static final class WorkerClock implements SerializableCallable<Long> {
        private static final long serialVersionUID = 1L;

        @Override
        public Long call() {
            return System.nanoTime();
        }
    }

    /**
     * The workers' {@code nanoTime} minus this JVM's, from the round trip with the least time in it (the
     * reading lies within it, so the error is at most half of it). Workers' own offsets are not told
     * apart: on Linux they share one machine-wide clock.
     */
    private static long clockOffset(PoolExecutor pool) throws Exception {
        long best = Long.MAX_VALUE;
        long offset = 0;
        for (int i = 0; i < 5; i++) {
            long before = System.nanoTime();
            long worker = pool.submit(new WorkerClock()).get();
            long after = System.nanoTime();
            if (after - before < best) {
                best = after - before;
                offset = worker - (before + (after - before) / 2);
            }
        }
        return offset;
    }

    /** A task as a pool function: a named class, not a lambda nor a record (see the class comment). */
    private static final class TaskCall<T, R> implements SerializableFunction<T, R> {
        private static final long serialVersionUID = 1L;
        private final Task<T, R> task;

        TaskCall(Task<T, R> task) {
            this.task = task;
        }

        @Override
        public R apply(T input) throws Exception {
            return task.apply(input, Checkpoint.NONE);
        }
    }
}
