package dev.workbook.gil;

import java.util.ArrayList;
import java.util.List;

/**
 * A record of who held a {@link SimulatedGil}, and when: the data of a timeline that shows the lock passing
 * from thread to thread. Started by {@link SimulatedGil#startRecording(int)}, ended by {@link #stop()}.
 *
 * <p>Times are {@link System#nanoTime()} of this JVM, the clock the experiment harness times tasks with,
 * so holds and tasks can be drawn on one axis.
 *
 * <p>Thread safety: the holder of the GIL writes, one thread at a time (the GIL serializes them); any thread
 * may call {@link #stop()} or {@link #holds()}. Every method synchronizes on this object, which no one else
 * contends for except at a stop: a hold costs two {@code nanoTime} calls and an uncontended monitor, paid only
 * when the lock changes hands (every switch interval), never on the checkpoint's fast path.
 */
public final class GilHolds {

    /** One stretch during which {@code thread} held the lock, from {@code startNanos} to {@code endNanos}. */
    public record Hold(String thread, long threadId, long startNanos, long endNanos) {
        /** How long the lock was held, in nanoseconds. */
        public long nanos() {
            return endNanos - startNanos;
        }
    }

    private final SimulatedGil gil;
    private final int capacity;
    private final List<Hold> holds = new ArrayList<>();
    private long dropped;
    private boolean stopped;

    // The hold in progress: its thread, or null when the lock is free (or was held before recording began).
    private Thread holder;
    private long since;

    GilHolds(SimulatedGil gil, int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("a hold log must keep at least one hold, not " + capacity);
        }
        this.gil = gil;
        this.capacity = capacity;
    }

    /** Called by the thread that has just taken the lock. */
    synchronized void began(Thread thread, long nanos) {
        if (!stopped) {
            holder = thread;
            since = nanos;
        }
    }

    /** Called by the holder just before it lets go. */
    synchronized void ended(long nanos) {
        if (holder == null) {
            return; // the hold began before recording did: its start is unknown, so it is left out
        }
        if (holds.size() < capacity) {
            holds.add(new Hold(holder.getName(), holder.getId(), since, nanos));
        } else {
            dropped++;
        }
        holder = null;
    }

    /**
     * Stops recording. A hold in progress is recorded up to now. Later holds are not recorded; calling it
     * again has no effect.
     *
     * @return the holds recorded, in the order they ended (which is the order they began: they never overlap)
     */
    public List<Hold> stop() {
        synchronized (this) {
            if (!stopped) {
                ended(System.nanoTime());
                stopped = true;
            }
        }
        gil.stopRecording(this);
        return holds();
    }

    /** The holds recorded so far, in order; a copy. */
    public synchronized List<Hold> holds() {
        return List.copyOf(holds);
    }

    /** Holds not kept because the log was full; 0 unless the capacity was reached. */
    public synchronized long dropped() {
        return dropped;
    }
}
