package dev.workbook.kernel.exec;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One call of a snippet's entry method on a thread of its cell. The shell thread waits for the outcome;
 * the stopper may give up on a thread that ignores a stop ({@link #abandon()}), which ends the wait.
 */
final class Invocation implements Runnable {

    /** The outcome of an invocation whose thread was left running. */
    static final class Abandoned extends Exception {
        private static final long serialVersionUID = 1L;

        Abandoned() {
            super(null, null, false, false);
        }
    }

    private final Method entry;
    private final Object target;
    private final CompletableFuture<Object> outcome = new CompletableFuture<>();
    private volatile Thread thread;

    /** @param target the object to call {@code entry} on; null for a static method (a snippet's entry) */
    Invocation(Method entry, Object target) {
        this.entry = entry;
        this.target = target;
    }

    /** Starts the call on a new thread of {@code run}'s group whose context class loader is {@code loader}. */
    void start(CellRun run, ClassLoader loader) {
        Thread t = new Thread(run.group(), this, "cell-" + run.executionCount());
        t.setContextClassLoader(loader);
        thread = t;
        t.start();
    }

    @Override
    public void run() {
        try {
            outcome.complete(entry.invoke(target));
        } catch (InvocationTargetException e) {
            outcome.completeExceptionally(e);
        } catch (Throwable e) {
            outcome.completeExceptionally(e);
        }
    }

    Thread thread() {
        return thread;
    }

    boolean isDone() {
        return outcome.isDone();
    }

    void abandon() {
        outcome.completeExceptionally(new Abandoned());
    }

    /**
     * Waits up to {@code nanos} for the outcome (forever if {@code nanos <= 0}) and returns the value.
     *
     * @throws InvocationTargetException what the snippet threw
     * @throws Abandoned                 the thread was left running after a stop
     * @throws TimeoutException          {@code nanos} passed first
     */
    Object await(long nanos) throws InvocationTargetException, Abandoned, TimeoutException {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return nanos > 0 ? outcome.get(nanos, TimeUnit.NANOSECONDS) : outcome.get();
                } catch (InterruptedException e) {
                    interrupted = true; // the shell thread keeps waiting: only the stopper ends a cell
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    if (cause instanceof InvocationTargetException) {
                        throw (InvocationTargetException) cause;
                    }
                    if (cause instanceof Abandoned) {
                        throw (Abandoned) cause;
                    }
                    throw new InvocationTargetException(cause);
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
