package dev.workbook.ipc;

import java.util.concurrent.locks.LockSupport;
import org.agrona.concurrent.IdleStrategy;

/** The loop every blocking call of this package runs: try, idle, check the clock and interrupts. */
final class Waiting {

    /** One attempt; returns a non-negative result on success, negative to wait and retry. */
    @FunctionalInterface
    interface Attempt {
        long attempt() throws InterruptedException;
    }

    /**
     * How a primitive lets its waiters sleep until another process rings them (see {@link Doorbell}).
     * Between {@link #prepare()} and {@link #done()} the calling thread is counted as asleep in shared
     * memory, so that whoever changes the state it waits for rings its process's bell.
     */
    interface Sleeper {
        /** Counts the calling thread as asleep; must act as a full fence before the next attempt. */
        void prepare();

        void done();

        /** The longest sleep between looks, in case a ring is lost. */
        long safetyNanos();
    }

    private Waiting() {
    }

    /**
     * Repeats {@code attempt} until it succeeds or {@code timeoutNanos} pass (negative: forever),
     * idling as {@code strategy} says between attempts.
     *
     * @return the attempt's result, or -1 on timeout
     * @throws InterruptedException if the thread is interrupted while waiting
     */
    static long await(WaitStrategy strategy, long timeoutNanos, Attempt attempt) throws InterruptedException {
        return await(strategy, timeoutNanos, attempt, null);
    }

    /**
     * As {@link #await(WaitStrategy, long, Attempt)}; when the strategy reaches its parking phase and
     * there is a {@code sleeper}, sleeps until rung (or the sleeper's safety timeout) instead of parking
     * for a fixed time.
     */
    static long await(WaitStrategy strategy, long timeoutNanos, Attempt attempt, Sleeper sleeper)
            throws InterruptedException {
        long result = attempt.attempt();
        if (result >= 0) {
            return result;
        }
        long deadline = timeoutNanos < 0 ? 0 : System.nanoTime() + timeoutNanos;
        if (sleeper == null || !strategy.parks()) {
            IdleStrategy idle = strategy.newIdleStrategy();
            while (true) {
                checkInterrupt();
                if (timeoutNanos >= 0 && System.nanoTime() - deadline >= 0) {
                    return -1;
                }
                idle.idle();
                result = attempt.attempt();
                if (result >= 0) {
                    return result;
                }
            }
        }
        long spins = 0;
        long yields = 0;
        while (true) {
            checkInterrupt();
            long left = timeoutNanos < 0 ? Long.MAX_VALUE : deadline - System.nanoTime();
            if (left <= 0) {
                return -1;
            }
            if (spins < strategy.maxSpins()) {
                spins++;
                Thread.onSpinWait();
            } else if (yields < strategy.maxYields()) {
                yields++;
                Thread.yield();
            } else {
                sleeper.prepare();
                try {
                    result = attempt.attempt(); // after counting ourselves asleep: no ring can be missed
                    if (result >= 0) {
                        return result;
                    }
                    LockSupport.parkNanos(Math.min(left, sleeper.safetyNanos()));
                } finally {
                    sleeper.done();
                }
            }
            result = attempt.attempt();
            if (result >= 0) {
                return result;
            }
        }
    }

    private static void checkInterrupt() throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
    }
}
