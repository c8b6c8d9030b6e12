package dev.workbook.sharedstate;

/**
 * One way for threads to share mutable state: a plain {@code long}, an {@code AtomicLong}, an
 * {@code ArrayList}, a {@code ConcurrentHashMap}, per-thread results merged at the end...
 *
 * <p>Every strategy does the same job: each of N threads adds {@code operations} distinct items (one
 * to a counter, or one element to a collection), so the expected total is known and what is really
 * there at the end can be counted. {@link Contention} opens a fresh {@link Trial} per run, starts the
 * threads together and times them.
 */
public interface SharedStateStrategy {

    /** A short stable name for tables and charts, such as {@code atomic-long}. */
    String name();

    /** The JVM tool it uses, as a reader would write it: {@code AtomicLong.incrementAndGet()}. */
    String tool();

    /**
     * Whether the strategy is meant to be correct when threads share it. {@link Contention} fails a
     * run of a thread-safe strategy that loses anything; it only counts what an unsafe one loses.
     */
    boolean threadSafe();

    /**
     * Whether a thread running this strategy may get stuck where no interrupt reaches it: two threads
     * racing on a {@code HashMap} can corrupt a tree bin so that {@code put} loops in it for good. On
     * JDK 20 and later such a thread cannot be stopped ({@code Thread.stop} is gone), so {@link
     * Contention} runs these strategies in a throwaway child JVM, killed with its runaway. Such a
     * strategy must therefore be {@link java.io.Serializable} (with whatever it captures), as the ones
     * of {@link SharedStateStrategies} are. False by default.
     */
    default boolean mayRunAway() {
        return false;
    }

    /**
     * A fresh shared state for one run.
     *
     * @param threads    how many threads will call {@link Trial#work}, at least 1
     * @param operations how many items each of them adds, at least 1
     */
    Trial open(int threads, int operations);

    /**
     * The shared state of one run. {@link #work} is called once by each of the run's threads, all at
     * once; {@link #tally} once, after every thread has returned from {@code work} (so after a
     * happens-before edge: {@code Thread.join}).
     */
    interface Trial {

        /**
         * Adds this thread's items: {@code operations} of them, numbered from {@code thread * operations}.
         * An exception an unsafe structure throws is counted and the thread goes on with its next item,
         * so that one run shows every kind of failure; it is not thrown.
         *
         * @param thread which thread this is, from 0
         */
        void work(int thread);

        /**
         * Runs once, in the thread that started the others, after all of them have returned from
         * {@link #work}, and inside the timed part: where per-thread results are merged. Does
         * nothing by default.
         */
        default void finish() {
        }

        /** What is really there at the end, counted item by item. */
        Tally tally();
    }

    /**
     * What a run left behind.
     *
     * @param present    the items really there: the counter's value, or the distinct expected elements
     *                   found in the collection
     * @param reported   what the structure says it holds ({@code size()}, or the counter's value)
     * @param exceptions how many adds threw
     */
    record Tally(long present, long reported, long exceptions) {
    }
}
