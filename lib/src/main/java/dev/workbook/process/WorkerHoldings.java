package dev.workbook.process;

import java.util.Iterator;
import java.util.LinkedHashMap;

/**
 * What one pool worker holds, as its parent tracks it: the class bundles the worker has defined and
 * the map functions and stateless callables it has deserialized. The worker keeps exactly what the parent's calls tell it to
 * keep (see {@link WorkerProtocol}), so this is the one record of both sides' state: each call frame
 * is written from it, and says what the worker adds and what it may drop.
 *
 * <p>Both kinds are bounded, least recently used dropped first: a notebook re-run many times sends new
 * bundles (each edit of a cell is new code) and every {@code map} has a function of its own, and a
 * long-lived worker must not keep them all.
 *
 * <p>Not thread-safe: the pool guards each worker's holdings with its lock.
 */
final class WorkerHoldings {

    /** Class bundles a worker keeps (JShell code only). */
    static final int MAX_BUNDLES = 32;
    /** Map functions and stateless callables a worker keeps deserialized. */
    static final int MAX_FUNCTIONS = 8;

    private final Recent<String> bundles = new Recent<>(MAX_BUNDLES);
    private final Recent<Long> functions = new Recent<>(MAX_FUNCTIONS);

    /**
     * The payload of the {@link Wire#CALL} frame that runs {@code call} on this worker, sending what
     * the worker lacks; records that the worker then holds it.
     */
    byte[] callPayload(PackedCall call) {
        String key = call.bundle().key();
        WorkerProtocol.BundleChange bundleChange;
        if (key.isEmpty() || bundles.use(key)) {
            bundleChange = new WorkerProtocol.BundleChange(key, null, "");
        } else {
            String dropped = bundles.evicted();
            bundleChange = new WorkerProtocol.BundleChange(key, call.bundle(), dropped == null ? "" : dropped);
        }
        PackedCall.Function function = call.function();
        if (function == null) {
            return WorkerProtocol.writeCallable(bundleChange, call.bytes());
        }
        boolean held = functions.use(function.id());
        Long dropped = held ? null : functions.evicted();
        byte[] toSend = held ? null : function.bytes();
        long toDrop = dropped == null ? 0 : dropped;
        if (call.isHeldCallable()) {
            return WorkerProtocol.writeHeldCall(bundleChange, function.id(), toSend, toDrop);
        }
        return WorkerProtocol.writeApply(bundleChange, function.id(), toSend, toDrop, call.bytes());
    }

    /** Keys in order of use, at most {@code capacity}. */
    private static final class Recent<K> {
        private final LinkedHashMap<K, Boolean> keys = new LinkedHashMap<>(16, 0.75f, true);
        private final int capacity;

        Recent(int capacity) {
            this.capacity = capacity;
        }

        /** Marks {@code key} as just used; returns whether it was already held. */
        boolean use(K key) {
            return keys.put(key, Boolean.TRUE) != null;
        }

        /** Drops and returns the least recently used key if there are more than the capacity, else null. */
        K evicted() {
            if (keys.size() <= capacity) {
                return null;
            }
            Iterator<K> eldest = keys.keySet().iterator();
            K key = eldest.next();
            eldest.remove();
            return key;
        }
    }
}
