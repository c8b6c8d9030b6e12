package dev.workbook.ipc;

import java.io.Serializable;
import java.time.Duration;

/**
 * A flag processes can wait on: CPython's {@code multiprocessing.Event}. {@link #set()} raises it and
 * releases every waiter, in every process; {@link #clear()} lowers it.
 *
 * <p>Waiters poll the flag with the handle's {@link WaitStrategy} (default: back off to parking, so a
 * waiter notices within about a millisecond and costs almost nothing while it waits). Setting has
 * release semantics and a wait that returns true acquire semantics: what the setter wrote before
 * {@code set()} is visible to the waiter. An event has no owner, so a process dying holds nothing up.
 *
 * <p>Layout: {@code 0}: the flag (int, 0 or 1).
 */
public final class SharedEvent extends SharedPrimitive {

    private static final long serialVersionUID = 1L;
    private static final int FLAG = 0;
    private static final int SIZE = 128;

    private volatile WaitStrategy waitStrategy = WaitStrategy.backoff();

    private SharedEvent(SharedMemory region) {
        super(region);
    }

    private SharedEvent(String name) {
        super(name);
    }

    @Override
    SharedMemory attachRegion(String name) {
        return SharedMemory.attach(name, RegionKind.EVENT, SIZE);
    }

    /** Creates a cleared event with a generated name. */
    public static SharedEvent create() {
        return create(SharedMemory.generateName(RegionKind.EVENT));
    }

    /** Creates a cleared event named {@code name}. */
    public static SharedEvent create(String name) {
        return new SharedEvent(SharedMemory.create(name, SIZE, RegionKind.EVENT, fresh -> { }));
    }

    /** Attaches the event {@code name}. */
    public static SharedEvent attach(String name) {
        return new SharedEvent(SharedMemory.attach(name, RegionKind.EVENT, SIZE));
    }

    /** Sets how this handle waits; returns this. */
    public SharedEvent waitStrategy(WaitStrategy strategy) {
        this.waitStrategy = java.util.Objects.requireNonNull(strategy, "strategy");
        return this;
    }

    public void set() {
        ensureOpen();
        buffer().putIntVolatile(FLAG, 1);
    }

    public void clear() {
        ensureOpen();
        buffer().putIntVolatile(FLAG, 0);
    }

    public boolean isSet() {
        ensureOpen();
        return buffer().getIntVolatile(FLAG) != 0;
    }

    /**
     * Waits until the event is set.
     *
     * @throws InterruptedException if interrupted while waiting
     */
    public void await() throws InterruptedException {
        ensureOpen();
        Waiting.await(waitStrategy, -1, () -> buffer().getIntVolatile(FLAG) != 0 ? 1 : -1);
    }

    /**
     * Waits until the event is set or {@code timeout} passes.
     *
     * @return whether the event is set (false: the time passed)
     * @throws InterruptedException if interrupted while waiting
     */
    public boolean await(Duration timeout) throws InterruptedException {
        ensureOpen();
        return Waiting.await(waitStrategy, Math.max(0, timeout.toNanos()),
                () -> buffer().getIntVolatile(FLAG) != 0 ? 1 : -1) >= 0;
    }

    private Object writeReplace() {
        return new Handle(name(), waitStrategy);
    }

    private record Handle(String name, WaitStrategy waitStrategy) implements Serializable {
        private Object readResolve() {
            return new SharedEvent(name).waitStrategy(waitStrategy); // inert until first use: decoding touches no file
        }
    }
}
