package dev.workbook.kernel.exec;

import java.util.Set;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;

/**
 * The check points that instrumented user code passes through, and the switch that makes them throw
 * {@link CellInterruptedError} in the threads of an interrupted cell.
 *
 * <p>{@link StopInstrumenter} inserts a call to {@link #check()} before every backward jump (every loop
 * iteration) and at the entry of every method that calls another (recursion) in snippet classes and in
 * classes loaded from the notebook's class path. That is how an interrupt stops a CPU-bound loop on JDKs
 * where {@code Thread.stop} no longer exists (20 and later), and how it stops one safely on older ones:
 * the error is thrown at a well-defined point of user code, never in the middle of the kernel's own code.
 *
 * <p>Cost when disarmed: one volatile read and a not-taken branch per check point.
 *
 * <p>Memory effects: {@link #arm} and {@link #disarm} publish a complete, immutable {@link Scope} with a
 * volatile write; a thread that reads the armed flag sees that scope.
 */
public final class StopSignal {

    private static volatile boolean armed;
    private static volatile Scope scope = Scope.NONE;

    private StopSignal() {
    }

    /**
     * Throws {@link CellInterruptedError} if the calling thread belongs to an interrupted cell; otherwise
     * returns at once. Called from instrumented bytecode; public for that reason only.
     */
    public static void check() {
        if (armed) {
            checkArmed();
        }
    }

    private static void checkArmed() {
        Scope current = scope;
        if (current.includes(Thread.currentThread())) {
            throw new CellInterruptedError(current.reason);
        }
    }

    /** Makes the check points throw in the threads of {@code newScope} until {@link #disarm} or the next arm. */
    static void arm(Scope newScope) {
        scope = newScope;
        armed = newScope != Scope.NONE;
    }

    /** Returns the check points to their cheap, never-throwing state. */
    static void disarm() {
        arm(Scope.NONE);
    }

    static Scope currentScope() {
        return scope;
    }

    /**
     * Which threads a stop applies to: threads created since an interrupted cell began (their ids are
     * larger than any older thread's), the common fork-join pool's workers while the stop is in progress
     * (parallel streams run the cell's work there), and threads named explicitly (those that ignored an
     * earlier stop and still run). Immutable.
     */
    static final class Scope {
        static final Scope NONE = new Scope(Long.MAX_VALUE, false, Set.of(), "");

        private final long firstThreadId;
        private final boolean commonPool;
        private final Set<Thread> explicit;
        private final String reason;

        Scope(long firstThreadId, boolean commonPool, Set<Thread> explicit, String reason) {
            this.firstThreadId = firstThreadId;
            this.commonPool = commonPool;
            this.explicit = Set.copyOf(explicit);
            this.reason = reason;
        }

        @SuppressWarnings("deprecation") // Thread.getId: threadId() is Java 19+, the kernel runs on 17
        boolean includes(Thread thread) {
            if (thread.getId() >= firstThreadId) {
                return true;
            }
            if (commonPool && thread instanceof ForkJoinWorkerThread
                    && ((ForkJoinWorkerThread) thread).getPool() == ForkJoinPool.commonPool()) {
                return true;
            }
            return explicit.contains(thread);
        }

        Set<Thread> explicit() {
            return explicit;
        }

        String reason() {
            return reason;
        }
    }
}
