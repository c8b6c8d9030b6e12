package dev.workbook.experiment;

import dev.workbook.gil.Checkpoint;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;

/**
 * A parallel stream over the inputs, run inside a {@link ForkJoinPool} of the requested parallelism so
 * that the worker count is a setting rather than the common pool's size.
 */
final class ParallelStreamStrategy implements Strategy {

    @Override
    public String name() {
        return "parallel-streams";
    }

    @Override
    public String description() {
        return "inputs.parallelStream() in a ForkJoinPool (work stealing over split ranges)";
    }

    @Override
    public boolean scalesWithWorkers() {
        return true;
    }

    @Override
    public Execution open(int workers) {
        ForkJoinPool pool = new ForkJoinPool(workers);
        return new Execution() {
            @Override
            public <T, R> List<R> map(Task<T, R> task, List<T> inputs) throws Exception {
                try {
                    return pool.submit(() -> inputs.parallelStream().map(input -> {
                        try {
                            return task.apply(input, Checkpoint.NONE);
                        } catch (Exception e) {
                            throw new TaskFailure(e);
                        }
                    }).toList()).get();
                } catch (ExecutionException e) {
                    throw TaskFailure.unwrap(e);
                }
            }

            @Override
            public void close() throws InterruptedException {
                pool.shutdownNow();
                pool.awaitTermination(1, TimeUnit.MINUTES);
            }
        };
    }

    /**
     * Carries a task's exception out of the stream. ForkJoin may re-create a thrown exception of a
     * public type to give it the caller's stack trace (losing its message); this type has no public
     * constructor, so it arrives as thrown and the original can be taken out of it.
     */
    private static final class TaskFailure extends RuntimeException {
        private TaskFailure(Exception cause) {
            super(cause);
        }

        static Exception unwrap(ExecutionException e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof TaskFailure failure) {
                    return (Exception) failure.getCause();
                }
            }
            return e;
        }
    }
}
