package dev.workbook.ipc;

import java.io.InvalidObjectException;
import java.io.ObjectInputStream;
import java.io.Serializable;
import org.agrona.concurrent.AtomicBuffer;

/**
 * What every primitive of this package has: one {@link SharedMemory} region with a layout of its own,
 * a name to attach it by, and the lifetime rules of regions (close ends this handle and, for the
 * creator, unlinks the name). Subclasses serialize as a small handle, its name and settings.
 *
 * <p>A handle that arrives in a message is inert: decoding it touches no file. It attaches on first
 * use ({@link #buffer()}, {@link #ensureOpen()}, {@link #attached()}), with every check of
 * {@link SharedMemory#attach(String)} (the name's syntax, the receiving user's own directory, a regular
 * file of that user and not a link, this library's header, the kind and the layout) made then. So a
 * message naming a region costs the receiver nothing until its code uses the handle, and a bad name
 * fails there, where the caller can see it, not inside a decoder.
 *
 * <p>Memory effects: the region and whatever a subclass {@linkplain #derive derives} from it are
 * published through the volatile {@code buffer}; a thread that has called any of the methods above
 * sees them.
 */
abstract class SharedPrimitive implements AutoCloseable, Serializable {

    private static final long serialVersionUID = 1L;

    private final String name;
    /** Null until attached: in a handle that arrived in a message. Written once, before {@link #buffer}. */
    private transient SharedMemory region;
    private transient volatile AtomicBuffer buffer;
    /** The region's memory while {@link #derive} runs, for derive's own thread (which holds this handle's monitor). */
    private transient AtomicBuffer attaching;
    /** Closed before it ever attached. */
    private transient volatile boolean closedUnattached;

    /** A handle on a region this process has just created or attached. */
    SharedPrimitive(SharedMemory region) {
        this.name = region.name();
        this.region = region;
        this.buffer = region.buffer();
    }

    /** An inert handle on the region {@code name}, attached on first use (see the class comment). */
    SharedPrimitive(String name) {
        this.name = java.util.Objects.requireNonNull(name, "name");
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

    /**
     * Attaches the region {@code name} as this kind of primitive, with its checks: what
     * {@code attach(name)} of the subclass does, for an inert handle's first use.
     */
    abstract SharedMemory attachRegion(String name);

    /**
     * Reads what the subclass keeps about a region it attaches (a queue's capacity...), checking it;
     * called once per handle, before the region is published to other threads. Does nothing by default.
     *
     * @throws SharedMemoryException if the region is damaged
     */
    void derive(SharedMemory region) {
    }

    /** The region's memory, attaching an inert handle first. */
    final AtomicBuffer buffer() {
        AtomicBuffer attached = buffer;
        return attached != null ? attached : attachNow();
    }

    /** The region, attaching an inert handle first (whether or not this handle is closed). */
    final SharedMemory attached() {
        buffer();
        return region;
    }

    private synchronized AtomicBuffer attachNow() {
        if (buffer != null) {
            return buffer;
        }
        if (attaching != null) {
            return attaching; // derive, on this thread, already using the handle
        }
        if (closedUnattached) {
            throw new IllegalStateException(getClass().getSimpleName() + " '" + name + "' was closed in this process");
        }
        SharedMemory fresh = attachRegion(name);
        region = fresh;
        attaching = fresh.buffer();
        try {
            derive(fresh);
        } catch (RuntimeException | Error e) {
            region = null;
            attaching = null;
            fresh.close();
            throw e;
        }
        buffer = attaching; // the volatile write that publishes region and what derive set
        attaching = null;
        return buffer;
    }

    /** The name other processes attach with. */
    public final String name() {
        return name;
    }

    /** Whether this handle created the region (and so unlinks it on close). */
    public final boolean isCreator() {
        return buffer != null && region.isCreator(); // an inert handle came from elsewhere: not the creator
    }

    /**
     * Removes the name so that no new process can attach; processes already attached go on.
     *
     * @return false if the name was already gone
     */
    public final boolean unlink() {
        return attached().unlink();
    }

    /** Ends this handle; the creator's handle also unlinks the name. Idempotent. */
    @Override
    public void close() {
        synchronized (this) {
            if (buffer == null) {
                closedUnattached = true; // never attached: nothing to let go of
                return;
            }
        }
        region.close();
    }

    /** Whether {@link #close()} was called on this handle. */
    public final boolean isClosed() {
        return buffer == null ? closedUnattached : region.isClosed();
    }

    /** Whether this handle has attached its region (an inert handle has not, until its first use). */
    final boolean isAttached() {
        return buffer != null;
    }

    /** Attaches an inert handle, then fails if this handle was closed. */
    final void ensureOpen() {
        attached().ensureOpen();
    }

    private void readObject(ObjectInputStream in) throws InvalidObjectException {
        throw new InvalidObjectException(getClass().getSimpleName() + " is serialized as its handle");
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + name + (isClosed() ? ", closed" : buffer == null ? ", not attached yet" : "") + "]";
    }
}
