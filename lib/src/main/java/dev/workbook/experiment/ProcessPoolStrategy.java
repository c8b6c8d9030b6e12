package dev.workbook.experiment;

import dev.workbook.gil.Checkpoint;
import dev.workbook.process.JvmOptions;
import dev.workbook.process.ProcessPool;
import dev.workbook.process.StartMethod;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Runs tasks in worker JVMs of a {@link ProcessPool}: the JVM's version of the lesson's
 * {@code ProcessPoolExecutor}. Two variants:
 * <ul>
 *   <li>{@code processes} ({@link #warm()}): the workers start in {@link #open}, which is not timed,
 *       so {@code map} measures the work alone, as a long-lived pool would see it;</li>
 *   <li>{@code processes-cold} ({@link #cold()}): each {@code map} starts its workers and stops them
 *       before returning, so the time includes JVM start-up, as a script that creates a pool for
 *       one job (the lesson's example) pays it. With the {@code forkserver} start method (the
 *       default, see {@link StartMethod}) the workers are spare JVMs booted before the run, as
 *       CPython's forkserver is started before its children, and {@link Execution#settle()} waits,
 *       untimed, for the spares that replace them, so that their boot does not run into the next
 *       timed run; their CPU is therefore in no run's figures.</li>
 * </ul>
 * Items travel one per call (chunk size 1), which balances the lesson's very uneven tasks best; a
 * call costs a round trip of tens of microseconds. Tasks get {@link Checkpoint#NONE}: each worker is
 * a JVM of its own, with no interpreter lock to simulate. The CPU time of the worker JVMs is counted
 * by the experiment, which measures every descendant process.
 */
public final class ProcessPoolStrategy implements Strategy {

    private final boolean cold;
    private final JvmOptions options;
    /** Null: the default start method when the pool is built. */
    private final StartMethod startMethod;

    /**
     * @param cold    whether workers start inside each timed {@code map} rather than in {@code open}
     * @param options the worker JVMs' settings
     */
    public ProcessPoolStrategy(boolean cold, JvmOptions options) {
        this(cold, options, null);
    }

    private ProcessPoolStrategy(boolean cold, JvmOptions options, StartMethod startMethod) {
        this.cold = cold;
        this.options = Objects.requireNonNull(options, "options");
        this.startMethod = startMethod;
    }

    /** The same strategy with workers started by this method rather than the default one. */
    public ProcessPoolStrategy withStartMethod(StartMethod method) {
        return new ProcessPoolStrategy(cold, options, Objects.requireNonNull(method, "method"));
    }

    private ProcessPool.Builder builder(int workers, String name) {
        ProcessPool.Builder builder = ProcessPool.builder().workers(workers).jvmOptions(options).name(name);
        return startMethod == null ? builder : builder.startMethod(startMethod);
    }

    /** The {@code processes} strategy: workers started before timing. */
    public static ProcessPoolStrategy warm() {
        return new ProcessPoolStrategy(false, JvmOptions.defaults());
    }

    /** The {@code processes-cold} strategy: worker start-up inside the timed part. */
    public static ProcessPoolStrategy cold() {
        return new ProcessPoolStrategy(true, JvmOptions.defaults());
    }

    @Override
    public String name() {
        return cold ? "processes-cold" : "processes";
    }

    @Override
    public String description() {
        return cold ? "a pool of worker JVMs started for each run (start-up timed)"
                : "a pool of warm worker JVMs (like ProcessPoolExecutor, start-up not timed)";
    }

    @Override
    public boolean scalesWithWorkers() {
        return true;
    }

    @Override
    public Execution open(int workers) throws Exception {
        if (workers < 1) {
            throw new IllegalArgumentException("a process pool needs at least 1 worker, was " + workers);
        }
        if (cold) {
            return new ColdExecution(this, workers);
        }
        ProcessPool pool = builder(workers, "processes").build();
        try {
            pool.awaitReady();
        } catch (Exception e) {
            pool.shutdown(true);
            throw e;
        }
        return PoolExecution.on(pool, null);
    }

    private record ColdExecution(ProcessPoolStrategy strategy, int workers) implements Execution {
        /** Generous: a spare boots in a fraction of a second, but a loaded machine is slow. */
        private static final Duration SPARES_WARM_WITHIN = Duration.ofSeconds(30);

        @Override
        public <T, R> List<R> map(Task<T, R> task, List<T> inputs) throws Exception {
            try (ProcessPool pool = strategy.builder(workers, "processes-cold").build()) {
                return PoolExecution.run(pool, task, inputs);
            }
        }

        @Override
        public void settle() throws InterruptedException {
            StartMethod.awaitSpares(SPARES_WARM_WITHIN);
        }

        /**
         * 0: the workers start inside the timed map, so there is no moment to measure the offset outside it.
         * On Linux, the tested platform, every JVM's nanoTime reads the same CLOCK_MONOTONIC, so the
         * warm pool's measured offset is 0 within its error too.
         */
        @Override
        public long workerClockOffsetNanos() {
            return 0;
        }

        @Override
        public void close() {
            // each map stopped its own workers
        }
    }
}
