package dev.workbook.lesson;

import dev.workbook.process.ChildProcess;
import dev.workbook.process.ChildStartException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * A child started with its clock running: how long {@link ChildProcess#start()} took in the parent,
 * and how long the child lived, from that call until it had ended (as {@link ChildProcess#join()}
 * sees it: exited and all its output printed). The difference between the lifetime and the time its
 * work takes in-process is what a child JVM costs.
 *
 * <p>Thread safety: the times may be read from any thread once the child has ended.
 */
public final class TimedChild {

    private final ChildProcess child;
    private final long startCalled;
    private final long startReturned;
    private final CompletableFuture<Long> ended;

    private TimedChild(ChildProcess child, long startCalled, long startReturned) {
        this.child = child;
        this.startCalled = startCalled;
        this.startReturned = startReturned;
        this.ended = child.onExit().thenApply(c -> System.nanoTime());
    }

    /** Starts the child and begins timing it. */
    public static TimedChild start(ChildProcess child) throws ChildStartException {
        long called = System.nanoTime();
        child.start();
        return new TimedChild(child, called, System.nanoTime());
    }

    /** The child. */
    public ChildProcess child() {
        return child;
    }

    /** How long {@code start()} took: serializing the target and its arguments, and launching {@code java}. */
    public Duration startCall() {
        return Duration.ofNanos(startReturned - startCalled);
    }

    /**
     * Waits for the child to end and returns how long it lived, from the call to {@code start()}.
     *
     * @throws InterruptedException if interrupted while waiting
     */
    public Duration lifetime() throws InterruptedException {
        try {
            return Duration.ofNanos(ended.get() - startCalled);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot happen: the end of a child never fails", e);
        }
    }
}
