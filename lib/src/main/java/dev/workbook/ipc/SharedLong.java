package dev.workbook.ipc;

import java.io.Serializable;

/**
 * A {@code long} shared by processes, updated atomically: CPython's {@code multiprocessing.Value('q')}
 * with the operations of {@link java.util.concurrent.atomic.AtomicLong}.
 *
 * <p>Every operation is atomic across processes and has volatile memory semantics (sequentially
 * consistent, like {@code AtomicLong}'s): a {@code set} in one process happens-before a {@code get}
 * that sees it in another, and makes the writer's earlier writes to shared memory visible too.
 * Unlike {@code Value}, no lock is needed for {@code incrementAndGet}: the CPU's atomic add does it.
 *
 * <p>Layout: the value at offset 0, alone in a 128-byte block (two cache lines, so that the adjacent
 * line prefetcher does not drag a neighbour along).
 *
 * <p>Serializable as a handle, inert until its first use where it arrives; see {@link SharedMemory} for lifetime and naming.
 */
public final class SharedLong extends SharedPrimitive {

    private static final long serialVersionUID = 1L;
    private static final int VALUE = 0;
    private static final int SIZE = 128;

    private SharedLong(SharedMemory region) {
        super(region);
    }

    private SharedLong(String name) {
        super(name);
    }

    @Override
    SharedMemory attachRegion(String name) {
        return SharedMemory.attach(name, RegionKind.LONG, SIZE);
    }

    /** Creates a counter with a generated name. */
    public static SharedLong create(long initialValue) {
        return create(SharedMemory.generateName(RegionKind.LONG), initialValue);
    }

    /**
     * Creates a counter named {@code name}.
     *
     * @throws SharedMemoryException if the name is taken
     */
    public static SharedLong create(String name, long initialValue) {
        return new SharedLong(SharedMemory.create(name, SIZE, RegionKind.LONG,
                fresh -> fresh.putLong(VALUE, initialValue)));
    }

    /**
     * Attaches the counter {@code name}.
     *
     * @throws SharedMemoryException if it does not exist or is not a {@code SharedLong}
     */
    public static SharedLong attach(String name) {
        return new SharedLong(SharedMemory.attach(name, RegionKind.LONG, SIZE));
    }

    public long get() {
        return buffer().getLongVolatile(VALUE);
    }

    public void set(long value) {
        buffer().putLongVolatile(VALUE, value);
    }

    public long getAndSet(long value) {
        return buffer().getAndSetLong(VALUE, value);
    }

    public long incrementAndGet() {
        return buffer().getAndAddLong(VALUE, 1) + 1;
    }

    public long decrementAndGet() {
        return buffer().getAndAddLong(VALUE, -1) - 1;
    }

    public long addAndGet(long delta) {
        return buffer().getAndAddLong(VALUE, delta) + delta;
    }

    public long getAndAdd(long delta) {
        return buffer().getAndAddLong(VALUE, delta);
    }

    /** Sets to {@code update} if the value is {@code expected}; true if it did. */
    public boolean compareAndSet(long expected, long update) {
        return buffer().compareAndSetLong(VALUE, expected, update);
    }

    @Override
    public String toString() {
        return isClosed() || !isAttached() ? super.toString() : "SharedLong[" + name() + " = " + get() + "]";
    }

    private Object writeReplace() {
        return new Handle(name());
    }

    private record Handle(String name) implements Serializable {
        private Object readResolve() {
            return new SharedLong(name); // inert until first use: decoding touches no file
        }
    }
}
