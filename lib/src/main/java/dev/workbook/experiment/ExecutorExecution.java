package dev.workbook.experiment;

import dev.workbook.gil.Checkpoint;
import dev.workbook.gil.SimulatedGil;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * An execution that submits one task per input to an {@link ExecutorService}, as Python's
 * {@code Executor.map} does, and collects the results in input order.
 */
final class ExecutorExecution implements Execution {

    /** How a strategy turns (task, input) into the callable it submits, e.g. wrapping it in a GIL. */
    interface Submission {
        <T, R> Callable<R> callable(Task<T, R> task, T input);

        /** The lock the callables must hold to compute, if they wrap the task in one. */
        default Optional<SimulatedGil> simulatedGil() {
            return Optional.empty();
        }
    }

    /** Runs the task as it is, with no checkpoint to give way at. */
    static final Submission PLAIN = new Submission() {
        @Override
        public <T, R> Callable<R> callable(Task<T, R> task, T input) {
            return () -> task.apply(input, Checkpoint.NONE);
        }
    };

    private final ExecutorService executor;
    private final Submission submission;

    ExecutorExecution(ExecutorService executor, Submission submission) {
        this.executor = executor;
        this.submission = submission;
    }

    @Override
    public <T, R> List<R> map(Task<T, R> task, List<T> inputs) throws Exception {
        List<Future<R>> futures = new ArrayList<>(inputs.size());
        try {
            for (T input : inputs) {
                futures.add(executor.submit(submission.callable(task, input)));
            }
            List<R> results = new ArrayList<>(inputs.size());
            for (Future<R> future : futures) {
                results.add(future.get());
            }
            return results;
        } catch (ExecutionException e) {
            throw rethrowable(e.getCause());
        } finally {
            // A no-op when every task is done; after a failure or an interrupt it stops the rest.
            for (Future<R> future : futures) {
                future.cancel(true);
            }
        }
    }

    private static Exception rethrowable(Throwable cause) {
        if (cause instanceof Exception exception) {
            return exception;
        }
        if (cause instanceof Error error) {
            throw error;
        }
        return new ExecutionException(cause);
    }

    @Override
    public Optional<SimulatedGil> simulatedGil() {
        return submission.simulatedGil();
    }

    @Override
    public void close() throws InterruptedException {
        executor.shutdownNow();
        if (!executor.awaitTermination(1, TimeUnit.MINUTES)) {
            throw new IllegalStateException("workers did not stop within a minute after shutdownNow: " + executor);
        }
    }
}
