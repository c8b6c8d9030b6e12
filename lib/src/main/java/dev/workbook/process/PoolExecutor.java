package dev.workbook.process;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;

/**
 * A pool that runs serializable functions somewhere other than the calling thread: what CPython's
 * {@code concurrent.futures.Executor} is to {@code ProcessPoolExecutor} and {@code ThreadPoolExecutor}.
 * {@link ProcessPool} (worker JVMs on this machine) and the cluster module's {@code ClusterPool}
 * (members of a Hazelcast cluster) implement it, so the same code runs on either.
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li>Tasks, functions and items travel <em>by value</em>: they and what they capture are serialized
 *       before anything is sent, and a value that cannot be serialized is refused in the calling thread
 *       with a {@link NotSerializableTargetException} naming it. Classes a notebook cell defined are
 *       shipped with the call.</li>
 *   <li>{@code map} blocks until every result is in and returns them in the items' order; the first
 *       failure fails the whole call.</li>
 *   <li>A task that throws fails its future with an {@link ExecutionException} whose cause is what it
 *       threw, rebuilt in this JVM (or a {@link RemoteThrowable} copy).</li>
 *   <li>An implementation may run a task more than once when the worker running it dies (the cluster
 *       reruns it on another member): tasks should be pure functions of their input.</li>
 *   <li>No result is ever delivered twice.</li>
 *   <li>{@code shutdown} stops new calls and waits for the submitted ones; {@code close} is
 *       {@code shutdown(false)}. Both may be called again without harm.</li>
 * </ul>
 * Thread safety: implementations allow every method from any thread.
 */
public interface PoolExecutor extends AutoCloseable {

    /**
     * Runs {@code task} on a worker; does not block.
     *
     * @return its future: the result, or an {@link ExecutionException} with the task's failure or the
     *         reason the pool could not run it
     * @throws NotSerializableTargetException if the task cannot be serialized (nothing is sent)
     * @throws RejectedExecutionException     if the pool is shut down
     */
    <R> Future<R> submit(SerializableCallable<R> task);

    /** Runs {@code function.apply(argument)} on a worker; see {@link #submit(SerializableCallable)}. */
    <T, R> Future<R> submit(SerializableFunction<T, R> function, T argument);

    /** {@link #map(SerializableFunction, Collection, int)} with chunks of one item. */
    default <T, R> List<R> map(SerializableFunction<T, R> function, Collection<? extends T> items)
            throws InterruptedException, ExecutionException {
        return map(function, items, 1);
    }

    /**
     * Applies {@code function} to every item on the workers, {@code chunkSize} items per round trip, and
     * returns the results in the items' order: Python's {@code executor.map(fn, items, chunksize=n)},
     * except that it waits for all of them.
     *
     * @throws ExecutionException             the first failure
     * @throws InterruptedException           if interrupted while waiting; calls not yet started are cancelled
     * @throws NotSerializableTargetException if the function or an item cannot be serialized
     * @throws RejectedExecutionException     if the pool is shut down
     * @throws IllegalArgumentException       if {@code chunkSize} is below 1
     */
    <T, R> List<R> map(SerializableFunction<T, R> function, Collection<? extends T> items, int chunkSize)
            throws InterruptedException, ExecutionException;

    /**
     * Stops taking calls and waits for the submitted ones to finish: Python's
     * {@code shutdown(wait=True, cancel_futures=cancelPending)}.
     *
     * @param cancelPending whether to cancel the calls not yet started
     */
    void shutdown(boolean cancelPending);

    /** {@code shutdown(false)}. */
    @Override
    void close();
}
