package dev.workbook.ipc;

import java.io.InvalidObjectException;
import java.io.ObjectInputStream;
import java.io.Serializable;
import org.agrona.concurrent.AtomicBuffer;

/**
 * What every primitive of this package has: one {@link SharedMemory} region with a layout of its own,
 * a name to attach it by, and the lifetime rules of regions (close ends this handle and, for the
 * creator, unlinks the name). Subclasses serialize as a small handle that attaches on arrival.
 */
abstract class SharedPrimitive implements AutoCloseable, Serializable {

    private static final long serialVersionUID = 1L;

    final transient SharedMemory region;
    final transient AtomicBuffer buffer;

    SharedPrimitive(SharedMemory region) {
        this.region = region;
        this.buffer = region.buffer();
    }

    /** Builds a primitive on a fresh handle, closing the handle if the primitive refuses the region. */
    static <P extends SharedPrimitive> P open(SharedMemory region, java.util.function.Function<SharedMemory, P> make) {
        try {
            return make.apply(region);
        } catch (RuntimeException e) {
            region.close();
            throw e;
        }
    }

    /** The name other processes attach with. */
    public final String name() {
        return region.name();
    }

    /** Whether this handle created the region (and so unlinks it on close). */
    public final boolean isCreator() {
        return region.isCreator();
    }

    /**
     * Removes the name so that no new process can attach; processes already attached go on.
     *
     * @return false if the name was already gone
     */
    public final boolean unlink() {
        return region.unlink();
    }

    /** Ends this handle; the creator's handle also unlinks the name. Idempotent. */
    @Override
    public void close() {
        region.close();
    }

    /** Whether {@link #close()} was called on this handle. */
    public final boolean isClosed() {
        return region.isClosed();
    }

    final void ensureOpen() {
        region.ensureOpen();
    }

    private void readObject(ObjectInputStream in) throws InvalidObjectException {
        throw new InvalidObjectException(getClass().getSimpleName() + " is serialized as its handle");
    }

    @Override
    public String toString() {
        return region.kind().typeName + "[" + name() + (isClosed() ? ", closed" : "") + "]";
    }
}
