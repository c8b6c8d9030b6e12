package dev.workbook.sharedstate;

import dev.workbook.process.ProcessPool;
import dev.workbook.process.SerializableCallable;
import dev.workbook.sharedstate.SharedStateStrategy.Tally;
import dev.workbook.sharedstate.SharedStateStrategy.Trial;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs shared-state strategies with N threads that all add to one structure at once, counts what is
 * there against the known total, and times them.
 *
 * <pre>{@code
 * ContentionResult result = Contention.of(SharedStateStrategies.counters())
 *         .threadsUpTo(2 * cores)
 *         .operations(1_000_000)
 *         .run();
 * result.table();                    // expected, final, lost, wall_s, ns_per_op per strategy and thread count
 * result.nanosPerOperationChart();   // ns per item against threads
 * }</pre>
 *
 * <p>Each run opens a fresh {@link Trial}, starts the threads (untimed), waits until every one is
 * ready, releases them together (they spin at the start line, so they really start at once) and
 * times from the release to the end of the last one and the trial's {@link Trial#finish merge}. A
 * run whose threads have not all ended within the {@link #timeout} is recorded as unfinished and the
 * experiment goes on: the threads are daemons and are interrupted.
 *
 * <p>Code spinning in a corrupted structure does not look at interrupts (a {@code HashMap} whose tree
 * bin two threads corrupted loops in {@code putTreeVal} for good, allocating as it goes: seen here, with
 * a 6 GB heap and both cores busy minutes later), and on JDK 20 and later no thread can be stopped. So a
 * strategy that {@linkplain SharedStateStrategy#mayRunAway may run away} (the unsafe collections) runs
 * in a throwaway child JVM, a one-worker {@link ProcessPool}: its series of runs goes on there while the
 * runs finish, and the JVM is killed when the series ends or a run does not finish, runaway and all; the
 * runs left go on in a fresh one. Its results come back and are counted and checked as any others. Only
 * the other strategies, which cannot run away, run in this JVM; if one of their threads ignores its
 * interrupt anyway, it is stopped with {@code Thread.stop} where the JDK still has it (17 to 19).
 *
 * <p>Results are checked: a thread-safe strategy that loses an item, reports a wrong size or throws
 * fails the run with an {@link IllegalStateException}, and so does any count above the total (that
 * would be a bug in the counting, not a race).
 *
 * <p>An experiment is configured and run from one thread; {@link #run()} may be called again.
 */
public final class Contention {

    /** The runtime column of every run this class measures. */
    public static final String JVM_THREADS = "JVM threads";

    private final List<SharedStateStrategy> strategies;
    private int[] threadCounts = {Runtime.getRuntime().availableProcessors()};
    private int operations = 1_000_000;
    private int warmups = 1;
    private int repeats = 1;
    private Duration timeout = Duration.ofSeconds(10);

    /** How long a throwaway child JVM may take to start and take its call, on a busy machine. */
    private static final Duration CHILD_START = Duration.ofSeconds(60);

    /** Beyond a run's limit: the interrupt, the stop attempt and the reply of a child JVM's run. */
    private static final Duration RUNAWAY_GRACE = Duration.ofSeconds(2);

    private Contention(List<SharedStateStrategy> strategies) {
        if (strategies.isEmpty()) {
            throw new IllegalArgumentException("no strategies given: name at least one, e.g. SharedStateStrategies.atomicLong()");
        }
        List<String> names = new ArrayList<>();
        for (SharedStateStrategy strategy : strategies) {
            Objects.requireNonNull(strategy, "a strategy in the list is null");
            if (names.contains(strategy.name())) {
                throw new IllegalArgumentException("strategy '" + strategy.name() + "' is listed twice; list each once");
            }
            names.add(strategy.name());
        }
        this.strategies = List.copyOf(strategies);
    }

    /** An experiment on these strategies: as many threads as cores, a million items each, 1 warm-up, 1 run. */
    public static Contention of(List<SharedStateStrategy> strategies) {
        return new Contention(strategies);
    }

    /** See {@link #of(List)}. */
    public static Contention of(SharedStateStrategy... strategies) {
        return of(Arrays.asList(strategies));
    }

    /** The thread counts to run each strategy with, e.g. {@code 1, 2, 4}. */
    public Contention threads(int... counts) {
        if (counts.length == 0) {
            throw new IllegalArgumentException("no thread counts given: give at least one, e.g. threads(2)");
        }
        for (int count : counts) {
            if (count < 1) {
                throw new IllegalArgumentException("thread counts must be at least 1, got " + count);
            }
        }
        this.threadCounts = Arrays.stream(counts).distinct().toArray();
        return this;
    }

    /** Thread counts 1, 2, ... up to {@code max}: the x axis of a contention chart. */
    public Contention threadsUpTo(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("the largest thread count must be at least 1, got " + max);
        }
        int[] counts = new int[max];
        Arrays.setAll(counts, i -> i + 1);
        return threads(counts);
    }

    /** How many items each thread adds (default a million). */
    public Contention operations(int perThread) {
        if (perThread < 1) {
            throw new IllegalArgumentException("each thread must add at least 1 item, got " + perThread);
        }
        this.operations = perThread;
        return this;
    }

    /** Untimed runs of each strategy, with the largest thread count, before its timed ones (default 1). */
    public Contention warmups(int warmups) {
        if (warmups < 0) {
            throw new IllegalArgumentException("warm-ups must be zero or more, got " + warmups);
        }
        this.warmups = warmups;
        return this;
    }

    /** Timed runs per strategy and thread count (default 1). */
    public Contention repeats(int repeats) {
        if (repeats < 1) {
            throw new IllegalArgumentException("repeats must be at least 1, got " + repeats);
        }
        this.repeats = repeats;
        return this;
    }

    /** How long one run's threads may take before the run is recorded as unfinished (default 10 s). */
    public Contention timeout(Duration limit) {
        if (limit.isNegative() || limit.isZero()) {
            throw new IllegalArgumentException("the time limit must be positive, got " + limit);
        }
        this.timeout = limit;
        return this;
    }

    /**
     * Runs every strategy with every thread count, in order, and returns the measurements.
     *
     * <p>Blocks for the runs, plus a child JVM's start for each series of a strategy that may run away
     * (and for each of its unfinished runs); none of them can hang it: each run ends at its limit.
     *
     * @throws IllegalStateException if a thread-safe strategy lost or miscounted anything, any count
     *                               exceeds the total, or a thread failed outside the structure's calls
     *                               (in this JVM or in a child JVM, whose error is the cause)
     * @throws InterruptedException  if interrupted; the running threads are interrupted too
     */
    public ContentionResult run() throws InterruptedException {
        for (int threads : threadCounts) {
            requireSizes(threads, operations);
        }
        List<Slot> slots = new ArrayList<>();
        for (int threads : threadCounts) {
            for (int i = 1; i <= repeats; i++) {
                slots.add(new Slot(threads, i));
            }
        }
        List<ContentionRun> runs = new ArrayList<>();
        for (SharedStateStrategy strategy : strategies) {
            runs.addAll(strategy.mayRunAway() ? inChildJvms(strategy, slots) : series(strategy, slots, false));
        }
        return new ContentionResult(runs);
    }

    /** One timed run to do: with this many threads, the {@code index}-th of its repeats. */
    record Slot(int threads, int index) implements Serializable {
    }

    /**
     * In this JVM: the warm-ups, with the most threads, then one timed run per slot, in order. With
     * {@code stopAtUnfinished} (in a throwaway child JVM) the series ends after its first unfinished run,
     * warm-up or timed, since a thread of that run may still be spinning and would skew every run after it.
     */
    private List<ContentionRun> series(SharedStateStrategy strategy, List<Slot> slots, boolean stopAtUnfinished)
            throws InterruptedException {
        int most = slots.stream().mapToInt(Slot::threads).max().orElseThrow();
        List<ContentionRun> runs = new ArrayList<>();
        for (int i = 0; i < warmups; i++) {
            if (!measure(strategy, most, 0).finished() && stopAtUnfinished) {
                return runs;
            }
        }
        for (Slot slot : slots) {
            ContentionRun run = measure(strategy, slot.threads(), slot.index());
            runs.add(run);
            if (!run.finished() && stopAtUnfinished) {
                break;
            }
        }
        return runs;
    }

    /**
     * Runs the series of a strategy that {@linkplain SharedStateStrategy#mayRunAway may run away} in
     * throwaway child JVMs (one-worker {@link ProcessPool}s): one JVM for the whole series while every
     * run finishes, killed afterwards; a run that does not finish ends its JVM, runaway thread and all,
     * and the rest of the series goes on in a fresh one (after its own warm-ups: a fresh JVM is cold).
     */
    private List<ContentionRun> inChildJvms(SharedStateStrategy strategy, List<Slot> slots) throws InterruptedException {
        List<ContentionRun> runs = new ArrayList<>();
        int warm = warmups;
        while (runs.size() < slots.size()) {
            List<ContentionRun> done = inOneChildJvm(strategy, List.copyOf(slots.subList(runs.size(), slots.size())), warm);
            // A JVM whose warm-up ran away did no timed run: the next one goes straight to them, so the loop ends.
            warm = done.isEmpty() ? 0 : warmups;
            runs.addAll(done);
        }
        return runs;
    }

    private List<ContentionRun> inOneChildJvm(SharedStateStrategy strategy, List<Slot> slots, int warm)
            throws InterruptedException {
        int perThread = operations;
        Duration limit = timeout;
        SerializableCallable<ArrayList<ContentionRun>> task = () -> new ArrayList<>(
                of(strategy).operations(perThread).warmups(warm).timeout(limit).series(strategy, slots, true));
        // The child enforces each run's limit itself; this wait's own limit is for a child that cannot
        // (stuck outside a run's threads), and leaves room for the JVM's start on a busy machine.
        long allowed = CHILD_START.toNanos() + (warm + slots.size()) * (limit.toNanos() + RUNAWAY_GRACE.toNanos());
        ProcessPool pool = ProcessPool.builder().workers(1).name("contention-" + strategy.name()).build();
        Runnable killChild = pool::shutdownNow; // built before the wait: see ProcessPool's reclaimer on notebook interrupts
        try {
            Future<ArrayList<ContentionRun>> result = pool.submit(task);
            return result.get(allowed, TimeUnit.NANOSECONDS);
        } catch (TimeoutException stuck) {
            Slot first = slots.get(0);
            return List.of(unfinished(strategy, first.threads(), first.index(), limit.toNanos()));
        } catch (ExecutionException failed) {
            Throwable cause = failed.getCause();
            throw new IllegalStateException("strategy '" + strategy.name() + "', run in a child JVM, failed: "
                    + cause.getMessage(), cause);
        } finally {
            try {
                killChild.run(); // done with it either way; a runaway thread dies with it
            } catch (Throwable stopping) {
                // Only a notebook's stop gets here (its checks refuse this library's code); the kernel then
                // ends the child processes the cell started itself.
            }
        }
    }

    /** A run whose threads had not all ended at the limit: its counts are not read, so they are zero. */
    private ContentionRun unfinished(SharedStateStrategy strategy, int threads, int index, long wallNanos) {
        return new ContentionRun(JVM_THREADS, strategy.name(), strategy.tool(), strategy.threadSafe(), threads, index,
                (long) threads * operations, 0, 0, 0, wallNanos, false);
    }

    /** Items are numbered with {@code int}s, so all threads together may add at most Integer.MAX_VALUE. */
    static void requireSizes(int threads, int operations) {
        if (threads < 1 || operations < 1) {
            throw new IllegalArgumentException("need at least 1 thread and 1 item each, got " + threads + " and " + operations);
        }
        if ((long) threads * operations > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(threads + " threads x " + operations + " items is more than "
                    + Integer.MAX_VALUE + " items in all; use fewer items per thread");
        }
    }

    private ContentionRun measure(SharedStateStrategy strategy, int threads, int index) throws InterruptedException {
        Trial trial = strategy.open(threads, operations);
        StartGate gate = new StartGate(threads);
        Throwable[] failures = new Throwable[threads]; // slot per thread, read after join
        Thread[] workers = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            int thread = t;
            workers[t] = new Thread(() -> {
                try {
                    if (gate.arriveAndSpin()) {
                        trial.work(thread);
                    }
                } catch (Throwable failure) {
                    failures[thread] = failure;
                }
            }, "contention-" + strategy.name() + "-" + t);
            workers[t].setDaemon(true); // a worker stuck in a corrupted structure must not keep the JVM alive
            workers[t].start();
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        long start = 0;
        int running = threads;
        try {
            gate.awaitArrivals(deadline);
            start = System.nanoTime();
            deadline = start + timeout.toNanos(); // the limit is on the work, from the release, as the wall time is
            gate.open();
            for (Thread worker : workers) {
                long left = deadline - System.nanoTime();
                if (left > 0) {
                    TimeUnit.NANOSECONDS.timedJoin(worker, left);
                }
            }
            running = (int) Arrays.stream(workers).filter(Thread::isAlive).count();
            if (running == 0) {
                trial.finish();
            }
        } finally {
            if (running > 0) {
                gate.cancel(); // threads still at the gate leave without working
                Arrays.stream(workers).forEach(Thread::interrupt);
                stopRunaways(workers);
            }
        }
        long wall = System.nanoTime() - start;
        long expected = (long) threads * operations;
        if (running > 0) {
            return unfinished(strategy, threads, index, wall);
        }
        for (Throwable failure : failures) {
            if (failure != null) {
                throw new IllegalStateException("a thread of strategy '" + strategy.name() + "' failed outside the"
                        + " structure's own calls", failure);
            }
        }
        Tally tally = trial.tally();
        check(strategy, threads, expected, tally);
        return new ContentionRun(JVM_THREADS, strategy.name(), strategy.tool(), strategy.threadSafe(), threads, index,
                expected, tally.present(), tally.reported(), tally.exceptions(), wall, true);
    }

    /**
     * Stops the workers that an interrupt did not end within 100 ms: {@code Thread.stop} throws
     * {@code ThreadDeath} into them, which a loop in a corrupted collection cannot ignore. Called through
     * reflection, since it is deprecated for removal; on JDK 20 and later it throws
     * {@code UnsupportedOperationException} and the thread is left running (see the class comment).
     */
    private static void stopRunaways(Thread[] workers) throws InterruptedException {
        for (Thread worker : workers) {
            worker.join(100);
            if (worker.isAlive()) {
                try {
                    Thread.class.getMethod("stop").invoke(worker);
                } catch (ReflectiveOperationException | RuntimeException e) {
                    return; // this JDK cannot stop threads
                }
            }
        }
    }

    /**
     * Releases a run's threads together. A released thread spins (it does not park), so that all of
     * them start within a few microseconds of each other, not one wake-up latency apart: the unsafe
     * strategies' races happen only while threads really overlap.
     */
    private static final class StartGate {
        private static final int WAITING = 0;
        private static final int OPEN = 1;
        private static final int CANCELLED = 2;

        // WAITING -> OPEN when every thread has arrived (open), or WAITING/OPEN -> CANCELLED when the run
        // is abandoned (cancel). Volatile: the write in open() happens-before each thread's read that sees it.
        private volatile int state = WAITING;
        private final CountDownLatch arrived;

        StartGate(int threads) {
            this.arrived = new CountDownLatch(threads);
        }

        /** In a worker: arrives, spins until opened; true to go to work, false if the run was cancelled. */
        boolean arriveAndSpin() {
            arrived.countDown();
            int seen;
            while ((seen = state) == WAITING) {
                Thread.onSpinWait();
            }
            return seen == OPEN;
        }

        /** In the starter: waits until every worker has arrived. */
        void awaitArrivals(long deadline) throws InterruptedException {
            if (!arrived.await(deadline - System.nanoTime(), TimeUnit.NANOSECONDS)) {
                throw new IllegalStateException(arrived.getCount() + " threads did not reach the start in time");
            }
        }

        void open() {
            state = OPEN;
        }

        void cancel() {
            state = CANCELLED;
        }
    }

    private static void check(SharedStateStrategy strategy, int threads, long expected, Tally tally) {
        if (tally.present() > expected || tally.present() < 0) {
            throw new IllegalStateException("strategy '" + strategy.name() + "' counted " + tally.present()
                    + " items where only " + expected + " were added: the counting is wrong, not the threads");
        }
        if (strategy.threadSafe() && (tally.present() != expected || tally.reported() != expected || tally.exceptions() != 0)) {
            throw new IllegalStateException("strategy '" + strategy.name() + "' (" + strategy.tool() + ") is meant to be"
                    + " thread-safe, but with " + threads + " threads it holds " + tally.present() + " of " + expected
                    + " items, reports " + tally.reported() + " and threw " + tally.exceptions() + " times");
        }
    }
}
