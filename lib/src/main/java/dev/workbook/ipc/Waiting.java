package dev.workbook.ipc;

import org.agrona.concurrent.IdleStrategy;

/** The loop every blocking call of this package runs: try, idle, check the clock and interrupts. */
final class Waiting {

    /** One attempt; returns a non-negative result on success, negative to wait and retry. */
    @FunctionalInterface
    interface Attempt {
        long attempt() throws InterruptedException;
    }

    private Waiting() {
    }

    /**
     * Repeats {@code attempt} until it succeeds or {@code timeoutNanos} pass (negative: forever).
     *
     * @return the attempt's result, or -1 on timeout
     * @throws InterruptedException if the thread is interrupted while waiting
     */
    static long await(WaitStrategy strategy, long timeoutNanos, Attempt attempt) throws InterruptedException {
        long result = attempt.attempt();
        if (result >= 0) {
            return result;
        }
        IdleStrategy idle = strategy.newIdleStrategy();
        long deadline = timeoutNanos < 0 ? 0 : System.nanoTime() + timeoutNanos;
        while (true) {
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
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
}
