package dev.workbook.ipc;

import java.io.Serializable;
import java.time.Duration;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.YieldingIdleStrategy;

/**
 * How a process waits for another one through shared memory: a queue slot to fill, a lock to free.
 *
 * <p>Java cannot sleep in the kernel on a word of shared memory (there is no futex in its API), so a
 * waiter polls the shared word and chooses what to do between polls. The choice trades wake-up latency for CPU:
 * <ul>
 *   <li>{@link #spin()} polls continuously ({@link Thread#onSpinWait()}): the lowest latency (under a
 *       microsecond to notice a change) at the price of a whole core per waiter, even when nothing
 *       happens. Use it only with a core to spare per waiting thread.</li>
 *   <li>{@link #yielding()} gives the core to other threads between polls: low latency while the
 *       machine is idle, still 100% of a core when it is not contended.</li>
 *   <li>{@link #backoff()}, the default: spins a little (a few tens of microseconds), then yields a
 *       little, then parks. A burst is handled at spinning speed. How it parks depends on the
 *       primitive: a {@link SharedQueue} waiter sleeps until another process rings it (a wake-up in
 *       tens of microseconds, 100 safety looks a second); the others park for a time that doubles from
 *       1 us up to 1 ms, so an idle waiter costs about a thousand wake-ups a second (about 2% of a
 *       core, measured) and notices a change within about 1 ms.</li>
 * </ul>
 *
 * <p>A strategy is a value: immutable, serializable, and travels with the handle of the primitive that
 * uses it. Each waiting call makes its own Agrona {@link IdleStrategy}, which is stateful.
 *
 * @param maxSpins   polls with {@code onSpinWait} before yielding
 * @param maxYields  polls with {@code Thread.yield} before parking
 * @param minParkNanos the first park, doubled each time up to {@code maxParkNanos}
 * @param maxParkNanos the longest park; 0 with spins and yields unbounded means never park
 */
public record WaitStrategy(long maxSpins, long maxYields, long minParkNanos, long maxParkNanos)
        implements Serializable {

    private static final long UNBOUNDED = Long.MAX_VALUE;

    public WaitStrategy {
        if (maxSpins < 0 || maxYields < 0 || minParkNanos < 0 || maxParkNanos < minParkNanos) {
            throw new IllegalArgumentException("wait strategy needs spins, yields >= 0 and 0 <= minPark <= maxPark,"
                    + " got spins=" + maxSpins + " yields=" + maxYields + " minPark=" + minParkNanos
                    + " ns maxPark=" + maxParkNanos + " ns");
        }
    }

    /** Spin without pause: lowest latency, burns a core per waiter. */
    public static WaitStrategy spin() {
        return new WaitStrategy(UNBOUNDED, 0, 0, 0);
    }

    /** Yield between polls: low latency, burns a core when nothing else wants it. */
    public static WaitStrategy yielding() {
        return new WaitStrategy(0, UNBOUNDED, 0, 0);
    }

    /**
     * The default: 2,000 spins (a few tens of microseconds), 50 yields, then parks doubling from 1 us
     * to 1 ms. Does not burn a core while idle.
     */
    public static WaitStrategy backoff() {
        return new WaitStrategy(2_000, 50, 1_000, 1_000_000);
    }

    /** Spin, yield, then park up to {@code maxPark}. */
    public static WaitStrategy backoff(long maxSpins, long maxYields, Duration minPark, Duration maxPark) {
        return new WaitStrategy(maxSpins, maxYields, minPark.toNanos(), maxPark.toNanos());
    }

    /** A fresh idle strategy for one waiting call. */
    IdleStrategy newIdleStrategy() {
        if (maxSpins == UNBOUNDED) {
            return new BusySpinIdleStrategy();
        }
        if (maxSpins == 0 && maxYields == UNBOUNDED) {
            return new YieldingIdleStrategy();
        }
        return new BackoffIdleStrategy(maxSpins, maxYields, Math.max(1, minParkNanos), Math.max(1, maxParkNanos));
    }

    /** Whether this strategy ever parks (and so does not burn a core while idle). */
    public boolean parks() {
        return maxSpins != UNBOUNDED && maxYields != UNBOUNDED;
    }
}
