package dev.workbook.experiment;

import java.util.List;

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

    /** Stops the workers and waits for them to end. */
    @Override
    void close() throws Exception;
}
