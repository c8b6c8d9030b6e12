package dev.workbook.gil;

/**
 * A point in a long computation where the running thread offers to give way.
 *
 * <p>CPython's interpreter checks, between bytecodes, whether another thread has asked for the
 * global interpreter lock; that is how one thread's long loop can be cut into slices. Java code is
 * not interpreted that way, so the workloads in this library call {@link #poll()} every few thousand
 * iterations instead. Outside a {@link SimulatedGil} the checkpoint is {@link #NONE} and costs one
 * predictable branch.
 *
 * <p>Implementations must be cheap on the path where nothing is requested, since they are called
 * from hot loops, and must be safe to call from any thread.
 */
@FunctionalInterface
public interface Checkpoint {

    /** A checkpoint that never gives way: plain Java threads run in parallel. */
    Checkpoint NONE = () -> { };

    /**
     * Gives way to a waiting thread if one has asked for it; otherwise returns at once.
     *
     * <p>May block while other threads run. Does not throw {@link InterruptedException}: a thread
     * interrupted while giving way keeps its interrupt status set and carries on, so that the
     * computation can notice it at its own pace.
     */
    void poll();

    /** Blocking work, such as I/O or a sleep, that may be interrupted. */
    @FunctionalInterface
    interface Blocking {
        void run() throws InterruptedException;
    }

    /**
     * Runs blocking work (I/O, a sleep) without holding the lock, as CPython releases its GIL around a
     * blocking call, and takes the lock back afterwards, waiting for it as any thread does. Outside a
     * {@link SimulatedGil}, just runs it.
     *
     * <p>The lock is held again when this returns, also when {@code work} throws: taking it back is not
     * interruptible (an interrupt that arrives meanwhile stays set), so the caller's release stays right.
     *
     * @throws InterruptedException if {@code work} was interrupted
     */
    default void blocking(Blocking work) throws InterruptedException {
        work.run();
    }
}
