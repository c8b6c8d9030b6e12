package dev.workbook.sharedstate;

import dev.workbook.sharedstate.SharedStateStrategy.Tally;
import dev.workbook.sharedstate.SharedStateStrategy.Trial;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiFunction;

/**
 * The shared-state strategies the workbook measures: counters ({@link #counters()}) and collections
 * ({@link #collections()}), each unsafe version beside the JVM's tools for it.
 *
 * <p>Every trial's {@code work} is a plain loop over the thread's items, written out in each strategy
 * (not a call through a shared interface per item), so that the JIT compiles each tool as a program
 * using it would be compiled. That includes what it does to unsafe code: it may keep a plain field
 * in a register for a whole loop, which loses more updates, not fewer.
 */
public final class SharedStateStrategies {

    private SharedStateStrategies() {
    }

    /** Every counter strategy, unsafe ones first. */
    public static List<SharedStateStrategy> counters() {
        return List.of(plainLong(), volatileLong(), synchronizedLong(), reentrantLock(), atomicLong(), longAdder(),
                confinedCounts());
    }

    /** Every collection strategy, each unsafe one followed by its safe alternatives. */
    public static List<SharedStateStrategy> collections() {
        return List.of(arrayList(), synchronizedList(), copyOnWriteList(), perThreadLists(), hashMap(),
                concurrentHashMap(), perThreadMaps());
    }

    // ---------------------------------------------------------------- counters

    /** {@code count++} on a plain {@code long} field shared by the threads: loses updates. */
    public static SharedStateStrategy plainLong() {
        return strategy("plain-long", "long field, count++", false, (threads, operations) -> new Counting() {
            long count;

            @Override
            public void work(int thread) {
                for (int i = 0; i < operations; i++) {
                    count++;
                }
            }

            @Override
            long value() {
                return count;
            }
        });
    }

    /**
     * {@code count++} on a {@code volatile long}: every read and write goes to memory and is seen by
     * the others, but read, add and write are still three steps, so it loses updates too.
     */
    public static SharedStateStrategy volatileLong() {
        return strategy("volatile-long", "volatile long field, count++", false, (threads, operations) -> new Counting() {
            volatile long count;

            @Override
            @SuppressWarnings("NonAtomicOperationOnVolatileField") // the point of this strategy
            public void work(int thread) {
                for (int i = 0; i < operations; i++) {
                    count++;
                }
            }

            @Override
            long value() {
                return count;
            }
        });
    }

    /** {@code synchronized (lock) { count++; }}: one thread at a time holds the monitor. */
    public static SharedStateStrategy synchronizedLong() {
        return strategy("synchronized", "synchronized (lock) { count++; }", true, (threads, operations) -> new Counting() {
            private final Object lock = new Object();
            private long count; // guarded by lock

            @Override
            public void work(int thread) {
                for (int i = 0; i < operations; i++) {
                    synchronized (lock) {
                        count++;
                    }
                }
            }

            @Override
            long value() {
                synchronized (lock) {
                    return count;
                }
            }
        });
    }

    /** {@code lock.lock(); count++; lock.unlock()} with a {@link ReentrantLock} (non-fair). */
    public static SharedStateStrategy reentrantLock() {
        return strategy("reentrant-lock", "ReentrantLock around count++", true, (threads, operations) -> new Counting() {
            private final ReentrantLock lock = new ReentrantLock();
            private long count; // guarded by lock

            @Override
            public void work(int thread) {
                for (int i = 0; i < operations; i++) {
                    lock.lock();
                    try {
                        count++;
                    } finally {
                        lock.unlock();
                    }
                }
            }

            @Override
            long value() {
                lock.lock();
                try {
                    return count;
                } finally {
                    lock.unlock();
                }
            }
        });
    }

    /** {@link AtomicLong#incrementAndGet()}: the processor's atomic add, no lock. */
    public static SharedStateStrategy atomicLong() {
        return strategy("atomic-long", "AtomicLong.incrementAndGet()", true, (threads, operations) -> new Counting() {
            private final AtomicLong count = new AtomicLong();

            @Override
            public void work(int thread) {
                for (int i = 0; i < operations; i++) {
                    count.incrementAndGet();
                }
            }

            @Override
            long value() {
                return count.get();
            }
        });
    }

    /**
     * {@link LongAdder#increment()}: threads that collide on one cell move to cells of their own, and
     * {@code sum()} adds the cells up. Cheap to update under contention; reading costs more.
     */
    public static SharedStateStrategy longAdder() {
        return strategy("long-adder", "LongAdder.increment()", true, (threads, operations) -> new Counting() {
            private final LongAdder count = new LongAdder();

            @Override
            public void work(int thread) {
                for (int i = 0; i < operations; i++) {
                    count.increment();
                }
            }

            @Override
            long value() {
                return count.sum();
            }
        });
    }

    /**
     * Confinement: each thread counts in a local variable and publishes its count once, at the end;
     * the counts are added after {@code join}. Nothing is shared while counting.
     */
    public static SharedStateStrategy confinedCounts() {
        return strategy("confined", "local count per thread, summed after join", true, (threads, operations) -> new Counting() {
            // Each slot is written by one thread, then read after Thread.join: the join is the happens-before edge.
            private final long[] counts = new long[threads];

            @Override
            public void work(int thread) {
                long count = 0;
                for (int i = 0; i < operations; i++) {
                    count++;
                }
                counts[thread] = count;
            }

            @Override
            long value() {
                long sum = 0;
                for (long count : counts) {
                    sum += count;
                }
                return sum;
            }
        });
    }

    // ---------------------------------------------------------------- lists

    /**
     * {@code ArrayList.add} from every thread: loses elements, leaves null slots, throws while growing.
     * Run in a child JVM of its own, as every unsafe collection is ({@link SharedStateStrategy#mayRunAway()}).
     */
    public static SharedStateStrategy arrayList() {
        return runawayStrategy("array-list", "ArrayList.add", false,
                (threads, operations) -> new SharedList(new ArrayList<>(), threads, operations));
    }

    /** {@code Collections.synchronizedList(new ArrayList<>()).add}: every call holds the list's monitor. */
    public static SharedStateStrategy synchronizedList() {
        return strategy("synchronized-list", "Collections.synchronizedList", true,
                (threads, operations) -> new SharedList(Collections.synchronizedList(new ArrayList<>()), threads, operations));
    }

    /**
     * {@link CopyOnWriteArrayList#add}: every add copies the whole array, so n adds cost O(n^2); it is
     * for lists read far more often than written.
     */
    public static SharedStateStrategy copyOnWriteList() {
        return strategy("copy-on-write-list", "CopyOnWriteArrayList.add", true,
                (threads, operations) -> new SharedList(new CopyOnWriteArrayList<>(), threads, operations));
    }

    /** Each thread fills an {@code ArrayList} of its own; they are merged into one after {@code join}, timed. */
    public static SharedStateStrategy perThreadLists() {
        return strategy("per-thread-lists", "ArrayList per thread, merged after join", true, (threads, operations) -> new Trial() {
            // Each slot is written by one thread, then read after Thread.join.
            private final List<List<Integer>> parts = new ArrayList<>(Collections.nCopies(threads, null));
            private List<Integer> merged = List.of();

            @Override
            public void work(int thread) {
                List<Integer> mine = new ArrayList<>();
                int first = thread * operations;
                for (int i = 0; i < operations; i++) {
                    mine.add(first + i);
                }
                parts.set(thread, mine);
            }

            @Override
            public void finish() {
                List<Integer> all = new ArrayList<>(threads * operations);
                for (List<Integer> part : parts) {
                    all.addAll(part);
                }
                merged = all;
            }

            @Override
            public Tally tally() {
                return countElements(merged.toArray(), merged.size(), (long) threads * operations, 0);
            }
        });
    }

    // ---------------------------------------------------------------- maps

    /**
     * {@code HashMap.put} from every thread: loses entries; {@code size()} disagrees with what is there;
     * a racing put can corrupt a tree bin so that a thread loops in it for good, so it runs in a child
     * JVM of its own ({@link SharedStateStrategy#mayRunAway()}).
     */
    public static SharedStateStrategy hashMap() {
        return runawayStrategy("hash-map", "HashMap.put", false,
                (threads, operations) -> new SharedMap(new HashMap<>(), threads, operations));
    }

    /** {@link ConcurrentHashMap#put}: locks one bin at a time, so threads on different keys rarely wait. */
    public static SharedStateStrategy concurrentHashMap() {
        return strategy("concurrent-hash-map", "ConcurrentHashMap.put", true,
                (threads, operations) -> new SharedMap(new ConcurrentHashMap<>(), threads, operations));
    }

    /** Each thread fills a {@code HashMap} of its own; they are merged with {@code putAll} after {@code join}, timed. */
    public static SharedStateStrategy perThreadMaps() {
        return strategy("per-thread-maps", "HashMap per thread, merged after join", true, (threads, operations) -> new Trial() {
            // Each slot is written by one thread, then read after Thread.join.
            private final List<Map<Integer, Integer>> parts = new ArrayList<>(Collections.nCopies(threads, null));
            private Map<Integer, Integer> merged = Map.of();

            @Override
            public void work(int thread) {
                Map<Integer, Integer> mine = new HashMap<>();
                int first = thread * operations;
                for (int i = 0; i < operations; i++) {
                    mine.put(first + i, first + i);
                }
                parts.set(thread, mine);
            }

            @Override
            public void finish() {
                Map<Integer, Integer> all = new HashMap<>();
                for (Map<Integer, Integer> part : parts) {
                    all.putAll(part);
                }
                merged = all;
            }

            @Override
            public Tally tally() {
                return countEntries(merged, (long) threads * operations, 0);
            }
        });
    }

    // ---------------------------------------------------------------- shared machinery

    /** A strategy of this name, tool and safety whose trials {@code open} makes (tests make their own doubles too). */
    static SharedStateStrategy strategy(String name, String tool, boolean threadSafe, TrialFactory open) {
        return new Named(name, tool, threadSafe, false, open);
    }

    /** The same, for a strategy whose threads may get stuck beyond an interrupt's reach: see {@link SharedStateStrategy#mayRunAway()}. */
    static SharedStateStrategy runawayStrategy(String name, String tool, boolean threadSafe, TrialFactory open) {
        return new Named(name, tool, threadSafe, true, open);
    }

    /**
     * Makes a run's fresh {@link Trial} from its thread count and items per thread. Serializable, so that
     * a strategy can travel to the child JVM that runs it (see {@link SharedStateStrategy#mayRunAway()});
     * the trial itself is made where it runs and never travels.
     */
    @FunctionalInterface
    interface TrialFactory extends BiFunction<Integer, Integer, Trial>, Serializable {
    }

    /** A strategy described by its fields; serializable when its factory is (every one in this class is). */
    private static final class Named implements SharedStateStrategy, Serializable {
        private static final long serialVersionUID = 1L;

        private final String name;
        private final String tool;
        private final boolean threadSafe;
        private final boolean mayRunAway;
        private final TrialFactory open;

        Named(String name, String tool, boolean threadSafe, boolean mayRunAway, TrialFactory open) {
            this.name = name;
            this.tool = tool;
            this.threadSafe = threadSafe;
            this.mayRunAway = mayRunAway;
            this.open = open;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public String tool() {
            return tool;
        }

        @Override
        public boolean threadSafe() {
            return threadSafe;
        }

        @Override
        public boolean mayRunAway() {
            return mayRunAway;
        }

        @Override
        public Trial open(int threads, int operations) {
            Contention.requireSizes(threads, operations);
            return open.apply(threads, operations);
        }

        @Override
        public String toString() {
            return name + " (" + tool + ")";
        }
    }

    /** A counter: what is there is its value, and it says the same. */
    private abstract static class Counting implements Trial {
        abstract long value();

        @Override
        public Tally tally() {
            long value = value();
            return new Tally(value, value, 0);
        }
    }

    /** A list shared by every thread; exceptions from {@code add} are counted per thread. */
    private static final class SharedList implements Trial {
        private final List<Integer> list;
        private final int operations;
        private final long[] exceptions; // slot per thread, read after join

        SharedList(List<Integer> list, int threads, int operations) {
            this.list = list;
            this.operations = operations;
            this.exceptions = new long[threads];
        }

        @Override
        public void work(int thread) {
            int first = thread * operations;
            long failed = 0;
            for (int i = 0; i < operations; i++) {
                try {
                    list.add(first + i);
                } catch (RuntimeException corrupted) {
                    failed++; // e.g. ArrayIndexOutOfBoundsException from two threads growing the array at once
                }
            }
            exceptions[thread] = failed;
        }

        @Override
        public Tally tally() {
            return countElements(list.toArray(), list.size(), (long) exceptions.length * operations, sum(exceptions));
        }
    }

    /** A map shared by every thread; exceptions from {@code put} are counted per thread. */
    private static final class SharedMap implements Trial {
        private final Map<Integer, Integer> map;
        private final int operations;
        private final long[] exceptions; // slot per thread, read after join

        SharedMap(Map<Integer, Integer> map, int threads, int operations) {
            this.map = map;
            this.operations = operations;
            this.exceptions = new long[threads];
        }

        @Override
        public void work(int thread) {
            int first = thread * operations;
            long failed = 0;
            for (int i = 0; i < operations; i++) {
                try {
                    map.put(first + i, first + i);
                } catch (RuntimeException corrupted) {
                    failed++; // e.g. ClassCastException when a racing put turns a bin into a tree
                }
            }
            exceptions[thread] = failed;
        }

        @Override
        public Tally tally() {
            return countEntries(map, (long) exceptions.length * operations, sum(exceptions));
        }
    }

    /** Counts the distinct expected elements (0 to expected - 1) among {@code elements}; nulls and strays are not. */
    private static Tally countElements(Object[] elements, long reported, long expected, long exceptions) {
        BitSet seen = new BitSet();
        long present = 0;
        for (Object element : elements) {
            if (element instanceof Integer n && n >= 0 && n < expected && !seen.get(n)) {
                seen.set(n);
                present++;
            }
        }
        return new Tally(present, reported, exceptions);
    }

    /**
     * Counts the distinct expected keys mapped to themselves. A map corrupted by racing puts might link
     * its entries in a cycle, so the walk stops after more entries than were ever put.
     */
    private static Tally countEntries(Map<Integer, Integer> map, long expected, long exceptions) {
        BitSet seen = new BitSet();
        long present = 0;
        long walked = 0;
        for (Map.Entry<Integer, Integer> entry : map.entrySet()) {
            if (++walked > expected + 1) {
                break;
            }
            Integer key = entry.getKey();
            if (key != null && key >= 0 && key < expected && key.equals(entry.getValue()) && !seen.get(key)) {
                seen.set(key);
                present++;
            }
        }
        return new Tally(present, map.size(), exceptions);
    }

    private static long sum(long[] values) {
        long sum = 0;
        for (long value : values) {
            sum += value;
        }
        return sum;
    }
}
