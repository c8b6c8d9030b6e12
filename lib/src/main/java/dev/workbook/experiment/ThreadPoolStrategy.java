package dev.workbook.experiment;

import dev.workbook.gil.SimulatedGil;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fixed pool of platform threads, one task per input: Python's {@code ThreadPoolExecutor}. With a
 * {@link SimulatedGil}, a thread must hold the lock to compute, which reproduces CPython's result on
 * the JVM.
 */
final class ThreadPoolStrategy implements Strategy {

    private final boolean underGil;
    private final long switchIntervalNanos;

    private ThreadPoolStrategy(boolean underGil, long switchIntervalNanos) {
        this.underGil = underGil;
        this.switchIntervalNanos = switchIntervalNanos;
    }

    static ThreadPoolStrategy plain() {
        return new ThreadPoolStrategy(false, 0);
    }

    static ThreadPoolStrategy underGil(long switchIntervalNanos) {
        new SimulatedGil(switchIntervalNanos); // validates the interval now rather than at open()
        return new ThreadPoolStrategy(true, switchIntervalNanos);
    }

    @Override
    public String name() {
        return underGil ? "threads-gil" : "threads";
    }

    @Override
    public String description() {
        return underGil
                ? "fixed thread pool; a thread must hold one simulated GIL to compute (CPython's model)"
                : "fixed thread pool of platform threads (ThreadPoolExecutor)";
    }

    @Override
    public boolean scalesWithWorkers() {
        return true;
    }

    @Override
    public Execution open(int workers) {
        ThreadPoolExecutor executor = new ThreadPoolExecutor(workers, workers, 0, TimeUnit.MILLISECONDS,
                new LinkedBlockingQueue<>(), daemonThreads(name()));
        executor.prestartAllCoreThreads(); // thread start-up is set-up, not the measured work
        ExecutorExecution.Submission submission = underGil ? new GilSubmission(new SimulatedGil(switchIntervalNanos))
                : ExecutorExecution.PLAIN;
        return new ExecutorExecution(executor, submission);
    }

    /** Each task holds the GIL from start to end, handing it over at checkpoints when another thread asks. */
    private record GilSubmission(SimulatedGil gil) implements ExecutorExecution.Submission {
        @Override
        public <T, R> Callable<R> callable(Task<T, R> task, T input) {
            return () -> {
                gil.acquire();
                try {
                    return task.apply(input, gil);
                } finally {
                    gil.release();
                }
            };
        }

        @Override
        public Optional<SimulatedGil> simulatedGil() {
            return Optional.of(gil);
        }
    }

    static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + "-" + count.incrementAndGet());
            thread.setDaemon(true); // an abandoned experiment must not keep the JVM (or a kernel) alive
            return thread;
        };
    }
}
