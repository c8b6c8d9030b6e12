package dev.workbook.ipc;

import java.io.Serializable;

/**
 * A fixed-length array of {@code long}s shared by processes, each element updated atomically: CPython's
 * {@code multiprocessing.Array('q', n)} with the operations of
 * {@link java.util.concurrent.atomic.AtomicLongArray}.
 *
 * <p>Each operation on one element is atomic with volatile semantics; operations on several elements
 * are not atomic together (guard them with a {@link SharedLock}).
 *
 * <p>Layout:
 * <pre>
 *   0: length (int)     64: element 0, element 1, ... (8 bytes each)
 * </pre>
 * Elements are packed: neighbours share cache lines, so processes hammering neighbouring elements slow
 * each other down (false sharing); spread hot counters 8 elements apart if that matters.
 */
public final class SharedLongArray extends SharedPrimitive {

    private static final long serialVersionUID = 1L;
    private static final int LENGTH = 0;
    private static final int ELEMENTS = 64;
    /** The most elements a region can hold. */
    public static final int MAX_LENGTH = (SharedMemory.MAX_SIZE - ELEMENTS) / Long.BYTES;

    private int length; // set by derive, before the region is published

    private SharedLongArray(SharedMemory region) {
        super(region);
        derive(region);
    }

    private SharedLongArray(String name) {
        super(name);
    }

    @Override
    SharedMemory attachRegion(String name) {
        return SharedMemory.attach(name, RegionKind.LONG_ARRAY, -1);
    }

    @Override
    void derive(SharedMemory region) {
        this.length = region.buffer().getInt(LENGTH);
    }

    /** Creates a zero-filled array with a generated name. */
    public static SharedLongArray create(int length) {
        return create(SharedMemory.generateName(RegionKind.LONG_ARRAY), length);
    }

    /**
     * Creates a zero-filled array named {@code name}.
     *
     * @throws IllegalArgumentException if length is not between 1 and {@link #MAX_LENGTH}
     */
    public static SharedLongArray create(String name, int length) {
        if (length <= 0 || length > MAX_LENGTH) {
            throw new IllegalArgumentException("array length must be between 1 and " + MAX_LENGTH + ", was " + length);
        }
        return new SharedLongArray(SharedMemory.create(name, ELEMENTS + length * Long.BYTES,
                RegionKind.LONG_ARRAY, fresh -> fresh.putInt(LENGTH, length)));
    }

    /** Attaches the array {@code name}, whatever its length. */
    public static SharedLongArray attach(String name) {
        return open(SharedMemory.attach(name, RegionKind.LONG_ARRAY, -1), SharedLongArray::new);
    }

    public int length() {
        buffer(); // attaches an inert handle, which sets length
        return length;
    }

    public long get(int index) {
        return buffer().getLongVolatile(offset(index));
    }

    public void set(int index, long value) {
        buffer().putLongVolatile(offset(index), value);
    }

    public long incrementAndGet(int index) {
        return buffer().getAndAddLong(offset(index), 1) + 1;
    }

    public long addAndGet(int index, long delta) {
        return buffer().getAndAddLong(offset(index), delta) + delta;
    }

    public long getAndAdd(int index, long delta) {
        return buffer().getAndAddLong(offset(index), delta);
    }

    public boolean compareAndSet(int index, long expected, long update) {
        return buffer().compareAndSetLong(offset(index), expected, update);
    }

    /** A copy of all elements, each read atomically (the whole is not a snapshot). */
    public long[] toArray() {
        long[] copy = new long[length()];
        for (int i = 0; i < copy.length; i++) {
            copy[i] = get(i);
        }
        return copy;
    }

    private int offset(int index) {
        if (index < 0 || index >= length()) {
            throw new IndexOutOfBoundsException("index " + index + " out of bounds for SharedLongArray '" + name()
                    + "' of length " + length);
        }
        return ELEMENTS + index * Long.BYTES;
    }

    private Object writeReplace() {
        return new Handle(name());
    }

    private record Handle(String name) implements Serializable {
        private Object readResolve() {
            return new SharedLongArray(name); // inert until first use: decoding touches no file
        }
    }
}
