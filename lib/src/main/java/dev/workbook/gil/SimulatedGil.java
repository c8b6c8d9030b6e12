package dev.workbook.gil;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One lock that a thread must hold to compute, handed from thread to thread the way CPython's
 * global interpreter lock is (the "new GIL" of CPython 3.2 and later).
 *
 * <p>The protocol, as in CPython:
 * <ol>
 *   <li>A thread that wants to compute calls {@link #acquire()}. If the lock is free it takes it.
 *       Otherwise it waits up to the <em>switch interval</em> (CPython's default is 5 ms); each time
 *       the interval passes without the lock, it raises a drop request and waits again.</li>
 *   <li>The holder sees the request at its next {@link #poll() checkpoint}, releases the lock and
 *       queues for it again behind the waiter. The lock is fair, so the waiter goes first: this is
 *       CPython's "forced switching", which stops the same thread from re-taking the lock at once.</li>
 *   <li>A thread that stops computing (its task is done, or it blocks on I/O) calls
 *       {@link #release()}.</li>
 * </ol>
 * The effect is the one the Python lesson measures: however many threads and cores there are, only
 * one thread computes at a time, so a CPU-bound thread pool runs no faster than one thread and
 * shows about 100% CPU.
 *
 * <p>Memory effects: releasing happens-before the next acquisition, as for any {@link
 * ReentrantLock}.
 *
 * <p>{@link #startRecording(int)} records who holds the lock, and when ({@link GilHolds}), for a timeline
 * of the hand-offs.
 */
public final class SimulatedGil implements Checkpoint {

    /** CPython's default switch interval, {@code sys.getswitchinterval()}: 5 ms. */
    public static final long DEFAULT_SWITCH_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

    private final ReentrantLock lock = new ReentrantLock(true);
    private final long switchIntervalNanos;
    private final LongAdder switches = new LongAdder();

    /** Set by a waiter whose patience ran out; cleared by whoever takes the lock next. */
    private volatile boolean dropRequested;

    /** The hold log being written, or null: read by each thread as it takes or lets go of the lock. */
    private volatile GilHolds recording;

    /** A GIL with CPython's default switch interval of 5 ms. */
    public SimulatedGil() {
        this(DEFAULT_SWITCH_INTERVAL_NANOS);
    }

    /**
     * A GIL with the given switch interval.
     *
     * @param switchIntervalNanos how long a waiter waits before asking the holder to let go; must be positive
     */
    public SimulatedGil(long switchIntervalNanos) {
        if (switchIntervalNanos <= 0) {
            throw new IllegalArgumentException(
                    "switch interval must be positive, was " + switchIntervalNanos + " ns");
        }
        this.switchIntervalNanos = switchIntervalNanos;
    }

    /**
     * Takes the lock, waiting as long as it takes; asks the holder to let go after one switch interval.
     *
     * @throws InterruptedException if interrupted while waiting; the lock is then not held
     * @throws IllegalStateException if the calling thread already holds it (the GIL is not reentrant)
     */
    public void acquire() throws InterruptedException {
        if (lock.isHeldByCurrentThread()) {
            throw new IllegalStateException(Thread.currentThread().getName() + " already holds the GIL");
        }
        waitForTurn();
        dropRequested = false;
        holdBegan();
    }

    /**
     * Waits for the lock, raising a drop request each time a switch interval passes without it, as CPython's
     * waiters do: so that a request cleared by another waiter's turn is never lost, and a thread that handed the
     * lock over at a checkpoint asks for it back as any waiter does, which keeps the lock changing hands every
     * interval while threads compete.
     */
    private void waitForTurn() throws InterruptedException {
        while (!lock.tryLock(switchIntervalNanos, TimeUnit.NANOSECONDS)) {
            dropRequested = true;
        }
    }

    /**
     * Lets go of the lock.
     *
     * @throws IllegalMonitorStateException if the calling thread does not hold it
     */
    public void release() {
        if (lock.isHeldByCurrentThread()) {
            holdEnded();
        }
        lock.unlock();
    }

    /**
     * The checkpoint of a thread holding the lock: if a waiter has asked for the lock, hands it over
     * and waits for it to come back. Costs one volatile read when nobody is waiting.
     *
     * @throws IllegalMonitorStateException if a switch is due and the calling thread does not hold the lock
     */
    @Override
    public void poll() {
        if (!dropRequested) {
            return;
        }
        holdEnded();
        lock.unlock();
        switches.increment();
        // Fairness puts us behind the thread that asked; uninterruptible so that a checkpoint never
        // returns without the lock (the caller's finally-block releases it).
        retake();
    }

    /**
     * Lets go of the lock while {@code work} blocks, then takes it back (see {@link Checkpoint#blocking}).
     *
     * @throws IllegalMonitorStateException if the calling thread does not hold the lock
     */
    @Override
    public void blocking(Blocking work) throws InterruptedException {
        if (!lock.isHeldByCurrentThread()) {
            throw new IllegalMonitorStateException(Thread.currentThread().getName()
                    + " does not hold the GIL, so it cannot let go of it around blocking work");
        }
        holdEnded();
        lock.unlock();
        try {
            work.run();
        } finally {
            retake();
        }
    }

    /** Takes the lock back after a checkpoint's hand-over or blocking work: not interruptible. */
    private void retake() {
        boolean interrupted = false;
        while (true) {
            try {
                waitForTurn();
                break;
            } catch (InterruptedException e) {
                interrupted = true; // kept for the computation to notice, as the contract says
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        dropRequested = false;
        holdBegan();
    }

    /**
     * Starts recording who holds the lock, and when, keeping at most {@code capacity} holds (one per switch
     * interval at most while threads compete: 200 a second at CPython's 5 ms). A hold that began before
     * this call is not recorded. Replaces a recording in progress, which then stops receiving holds.
     *
     * @return the log, which {@link GilHolds#stop()} ends
     */
    public GilHolds startRecording(int capacity) {
        GilHolds holds = new GilHolds(this, capacity);
        recording = holds;
        return holds;
    }

    void stopRecording(GilHolds holds) {
        if (recording == holds) {
            recording = null;
        }
    }

    private void holdBegan() {
        GilHolds holds = recording;
        if (holds != null) {
            holds.began(Thread.currentThread(), System.nanoTime());
        }
    }

    private void holdEnded() {
        GilHolds holds = recording;
        if (holds != null) {
            holds.ended(System.nanoTime());
        }
    }

    /** How many times a holder has handed the lock over at a checkpoint since this GIL was made. */
    public long switches() {
        return switches.sum();
    }

    /** The switch interval in nanoseconds. */
    public long switchIntervalNanos() {
        return switchIntervalNanos;
    }

    @Override
    public String toString() {
        return "SimulatedGil[switchInterval=" + TimeUnit.NANOSECONDS.toMicros(switchIntervalNanos)
                + " us, switches=" + switches() + ", held=" + lock.isLocked() + "]";
    }
}
