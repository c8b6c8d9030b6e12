package dev.workbook.ipc;

import java.io.Serializable;
import java.time.Duration;

/**
 * A counting semaphore shared by processes: CPython's {@code multiprocessing.Semaphore}.
 *
 * <p>{@link #acquire()} takes a permit, waiting with the handle's {@link WaitStrategy} while there is
 * none; {@link #release()} returns one. Taking is a compare-and-swap on the count, so it is atomic
 * across processes; releasing has release semantics and a successful acquire acquire semantics.
 *
 * <p>Permits have no owner: <strong>a process that dies holding permits does not give them back</strong>
 * (nobody can tell which process holds which permit). Where that matters, use a {@link SharedLock},
 * which recovers from dead owners, or a {@link SharedQueue} of tokens whose holder count you can check.
 * Not fair: a waiting process may be overtaken.
 *
 * <p>Layout: {@code 0}: available permits (long).
 */
public final class SharedSemaphore extends SharedPrimitive {

    private static final long serialVersionUID = 1L;
    private static final int PERMITS = 0;
    private static final int SIZE = 128;

    private volatile WaitStrategy waitStrategy = WaitStrategy.backoff();

    private SharedSemaphore(SharedMemory region) {
        super(region);
    }

    private SharedSemaphore(String name) {
        super(name);
    }

    @Override
    SharedMemory attachRegion(String name) {
        return SharedMemory.attach(name, RegionKind.SEMAPHORE, SIZE);
    }

    /** Creates a semaphore with a generated name. */
    public static SharedSemaphore create(long permits) {
        return create(SharedMemory.generateName(RegionKind.SEMAPHORE), permits);
    }

    /**
     * Creates a semaphore named {@code name} with {@code permits} permits.
     *
     * @throws IllegalArgumentException if permits is negative
     */
    public static SharedSemaphore create(String name, long permits) {
        if (permits < 0) {
            throw new IllegalArgumentException("permits must not be negative, was " + permits);
        }
        return new SharedSemaphore(SharedMemory.create(name, SIZE, RegionKind.SEMAPHORE,
                fresh -> fresh.putLong(PERMITS, permits)));
    }

    /** Attaches the semaphore {@code name}. */
    public static SharedSemaphore attach(String name) {
        return new SharedSemaphore(SharedMemory.attach(name, RegionKind.SEMAPHORE, SIZE));
    }

    /** Sets how this handle waits; returns this. */
    public SharedSemaphore waitStrategy(WaitStrategy strategy) {
        this.waitStrategy = java.util.Objects.requireNonNull(strategy, "strategy");
        return this;
    }

    /**
     * Takes a permit, waiting as long as needed.
     *
     * @throws InterruptedException if interrupted while waiting; no permit is then taken
     */
    public void acquire() throws InterruptedException {
        ensureOpen();
        Waiting.await(waitStrategy, -1, () -> tryTake() ? 1 : -1);
    }

    /** Takes a permit if one is available now. */
    public boolean tryAcquire() {
        ensureOpen();
        return tryTake();
    }

    /**
     * Takes a permit, waiting at most {@code timeout}.
     *
     * @return false if the time passed without a permit
     * @throws InterruptedException if interrupted while waiting; no permit is then taken
     */
    public boolean tryAcquire(Duration timeout) throws InterruptedException {
        ensureOpen();
        return Waiting.await(waitStrategy, Math.max(0, timeout.toNanos()), () -> tryTake() ? 1 : -1) >= 0;
    }

    /** Returns a permit. */
    public void release() {
        ensureOpen();
        buffer().getAndAddLong(PERMITS, 1);
    }

    public long availablePermits() {
        ensureOpen();
        return buffer().getLongVolatile(PERMITS);
    }

    private boolean tryTake() {
        while (true) {
            long permits = buffer().getLongVolatile(PERMITS);
            if (permits <= 0) {
                return false;
            }
            if (buffer().compareAndSetLong(PERMITS, permits, permits - 1)) {
                return true;
            }
        }
    }

    private Object writeReplace() {
        return new Handle(name(), waitStrategy);
    }

    private record Handle(String name, WaitStrategy waitStrategy) implements Serializable {
        private Object readResolve() {
            return new SharedSemaphore(name).waitStrategy(waitStrategy); // inert until first use: decoding touches no file
        }
    }
}
