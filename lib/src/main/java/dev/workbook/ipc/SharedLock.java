package dev.workbook.ipc;

import java.io.Serializable;
import java.lang.System.Logger.Level;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A mutual-exclusion lock shared by processes, that a dead owner cannot wedge: CPython's
 * {@code multiprocessing.Lock}, held by a thread as a {@link Lock} is.
 *
 * <h2>Owner and recovery</h2>
 * The lock word holds the owning process's token: its pid and a tag of its start time. A waiter that
 * has waited about a millisecond checks, every 10 ms, whether that process still runs; if it died
 * (killed, crashed) while holding the lock, the waiter takes the lock over with a compare-and-swap, so
 * exactly one waiter wins. It then logs a warning naming the dead pid, counts the takeover in
 * {@link #takeovers()}, and records the pid ({@link #lastDeadOwnerPid()}). Like a POSIX robust mutex
 * returning {@code EOWNERDEAD}, the lock is consistent again but what it protected may be half-updated:
 * check it. The start-time tag keeps a reused pid from passing for the dead owner.
 *
 * <h2>Threads</h2>
 * Within a process, threads first take a {@link ReentrantLock} that all handles of this JVM on the
 * region share, then the shared word: threads of one process queue in the JVM (and park properly),
 * and only one of them competes with other processes. The lock is reentrant for its holder; only the
 * holding thread may unlock it.
 *
 * <h2>Waiting and memory</h2>
 * Waiters for another process poll with the handle's {@link WaitStrategy} (default: back off to
 * parking; no core burnt). Unlocking has release semantics and locking acquire semantics: what the
 * holder wrote to any shared region before unlocking is visible to the next holder, in any process.
 *
 * <p>Layout: {@code 0}: owner token, 0 when free; {@code 8}: takeovers; {@code 16}: the last dead
 * owner's token.
 */
public final class SharedLock extends SharedPrimitive implements Lock {

    private static final long serialVersionUID = 1L;
    private static final System.Logger LOG = System.getLogger(SharedLock.class.getName());

    private static final int OWNER = 0;
    private static final int TAKEOVERS = 8;
    private static final int LAST_DEAD_OWNER = 16;
    private static final int SIZE = 128;

    private static final long FIRST_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long CHECK_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    /** Set by derive, before the region is published; read through {@link #threads()}. */
    private transient ReentrantLock threads;
    private volatile WaitStrategy waitStrategy;

    private SharedLock(SharedMemory region, WaitStrategy waitStrategy) {
        super(region);
        derive(region);
        this.waitStrategy = waitStrategy;
    }

    private SharedLock(String name) {
        super(name);
        this.waitStrategy = WaitStrategy.backoff();
    }

    @Override
    SharedMemory attachRegion(String name) {
        return SharedMemory.attach(name, RegionKind.LOCK, SIZE);
    }

    @Override
    void derive(SharedMemory region) {
        this.threads = region.processLocal("lock.threads", ReentrantLock::new);
    }

    /** The lock this JVM's threads take before the shared word; attaches an inert handle first. */
    private ReentrantLock threads() {
        buffer();
        return threads;
    }

    /** Creates an unlocked lock with a generated name. */
    public static SharedLock create() {
        return create(SharedMemory.generateName(RegionKind.LOCK));
    }

    /** Creates an unlocked lock named {@code name}. */
    public static SharedLock create(String name) {
        return new SharedLock(SharedMemory.create(name, SIZE, RegionKind.LOCK, fresh -> { }), WaitStrategy.backoff());
    }

    /** Attaches the lock {@code name}. */
    public static SharedLock attach(String name) {
        return new SharedLock(SharedMemory.attach(name, RegionKind.LOCK, SIZE), WaitStrategy.backoff());
    }

    /** Sets how this handle waits for another process; returns this. */
    public SharedLock waitStrategy(WaitStrategy strategy) {
        this.waitStrategy = java.util.Objects.requireNonNull(strategy, "strategy");
        return this;
    }

    /** Takes the lock, waiting as long as needed; interrupts are remembered, not acted on. */
    @Override
    public void lock() {
        boolean interrupted = false;
        while (true) {
            try {
                acquire(-1);
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Takes the lock, waiting as long as needed.
     *
     * @throws InterruptedException if interrupted while waiting; the lock is then not held
     */
    @Override
    public void lockInterruptibly() throws InterruptedException {
        acquire(-1);
    }

    /** Takes the lock if it is free right now (or held by a dead process). */
    @Override
    public boolean tryLock() {
        if (threads().isHeldByCurrentThread()) {
            threads().lock();
            return true;
        }
        if (!threads().tryLock()) {
            return false;
        }
        if (tryShared(true)) {
            return true;
        }
        threads().unlock();
        return false;
    }

    /**
     * Takes the lock, waiting at most {@code time}.
     *
     * @return false if the time passed without the lock
     * @throws InterruptedException if interrupted while waiting; the lock is then not held
     */
    @Override
    public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
        return acquire(Math.max(0, unit.toNanos(time)));
    }

    /**
     * Lets go of the lock (or of one level of reentrancy).
     *
     * @throws IllegalMonitorStateException if the calling thread does not hold it
     */
    @Override
    public void unlock() {
        ensureOpen();
        if (!threads().isHeldByCurrentThread()) {
            throw new IllegalMonitorStateException("SharedLock '" + name() + "' is not held by "
                    + Thread.currentThread().getName());
        }
        if (threads().getHoldCount() == 1) {
            long me = ProcessIdentity.current();
            if (!buffer().compareAndSetLong(OWNER, me, 0)) {
                long owner = buffer().getLongVolatile(OWNER);
                threads().unlock();
                throw new IllegalMonitorStateException("SharedLock '" + name() + "' is held by "
                        + ProcessIdentity.describe(owner) + ", not by this process: it was unlinked and"
                        + " recreated, or taken over while this process was unresponsive");
            }
        }
        threads().unlock();
    }

    /** Not supported: a condition would need a cross-process wait queue. Use {@link SharedEvent}. */
    @Override
    public Condition newCondition() {
        throw new UnsupportedOperationException("SharedLock has no conditions; use a SharedEvent or SharedQueue");
    }

    /** Whether some process holds the lock right now. */
    public boolean isLocked() {
        return buffer().getLongVolatile(OWNER) != 0;
    }

    /** Whether the calling thread holds the lock. */
    public boolean isHeldByCurrentThread() {
        return threads().isHeldByCurrentThread();
    }

    /** The pid of the process holding the lock, if any. */
    public OptionalLong ownerPid() {
        long owner = buffer().getLongVolatile(OWNER);
        return owner == 0 ? OptionalLong.empty() : OptionalLong.of(ProcessIdentity.pidOf(owner));
    }

    /** How many times a waiter took the lock over from a dead owner, over the lock's whole life. */
    public long takeovers() {
        return buffer().getLongVolatile(TAKEOVERS);
    }

    /** The pid of the last owner that died holding the lock, if any did. */
    public OptionalLong lastDeadOwnerPid() {
        long dead = buffer().getLongVolatile(LAST_DEAD_OWNER);
        return dead == 0 ? OptionalLong.empty() : OptionalLong.of(ProcessIdentity.pidOf(dead));
    }

    private boolean acquire(long timeoutNanos) throws InterruptedException {
        ensureOpen();
        if (threads().isHeldByCurrentThread()) {
            threads().lock();
            return true;
        }
        long start = System.nanoTime();
        if (timeoutNanos < 0) {
            threads().lockInterruptibly();
        } else if (!threads().tryLock(timeoutNanos, TimeUnit.NANOSECONDS)) {
            return false;
        }
        boolean acquired = false;
        try {
            long remaining = timeoutNanos < 0 ? -1 : Math.max(0, timeoutNanos - (System.nanoTime() - start));
            long[] nextCheck = {System.nanoTime() + FIRST_CHECK_NANOS};
            acquired = Waiting.await(waitStrategy, remaining, () -> {
                long now = System.nanoTime();
                boolean check = now - nextCheck[0] >= 0;
                if (check) {
                    nextCheck[0] = now + CHECK_INTERVAL_NANOS;
                }
                return tryShared(check) ? 1 : -1;
            }) >= 0;
            return acquired;
        } finally {
            if (!acquired) {
                threads().unlock();
            }
        }
    }

    /** One try at the shared word; with {@code checkOwner}, takes it over if its owner is dead. */
    private boolean tryShared(boolean checkOwner) {
        long me = ProcessIdentity.current();
        long owner = buffer().getLongVolatile(OWNER);
        if (owner == 0) {
            return buffer().compareAndSetLong(OWNER, 0, me);
        }
        if (owner == me) {
            // Left held by this process through a handle closed while locked: it is ours to take.
            return true;
        }
        if (checkOwner && !ProcessIdentity.isAlive(owner)) {
            if (buffer().compareAndSetLong(OWNER, owner, me)) {
                buffer().getAndAddLong(TAKEOVERS, 1);
                buffer().putLongVolatile(LAST_DEAD_OWNER, owner);
                LOG.log(Level.WARNING, "SharedLock ''{0}'': its owner pid {1} died holding it; pid {2} took it over."
                        + " What the lock protected may be half-updated.",
                        name(), String.valueOf(ProcessIdentity.pidOf(owner)), String.valueOf(ProcessIdentity.pidOf(me)));
                return true;
            }
        }
        return false;
    }

    private Object writeReplace() {
        return new Handle(name(), waitStrategy);
    }

    private record Handle(String name, WaitStrategy waitStrategy) implements Serializable {
        private Object readResolve() {
            return new SharedLock(name).waitStrategy(waitStrategy); // inert until first use: decoding touches no file
        }
    }
}
