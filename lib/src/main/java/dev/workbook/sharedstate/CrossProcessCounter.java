package dev.workbook.sharedstate;

import dev.workbook.ipc.SharedLong;
import dev.workbook.process.ChildProcess;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The same counter shared by processes: child JVMs share nothing by default (notebook 03's broken
 * counter), so the count lives in a {@link SharedLong}, and each child adds 1 to it {@code operations}
 * times, with {@code incrementAndGet()} (the processor's atomic add) or with {@code set(get() + 1)}
 * (a read and a write, which lose updates across processes exactly as across threads).
 *
 * <p>Every child starts its JVM untimed and waits (sleeping) until all have started; the parent then
 * releases them together and times from the release until the last one has counted, through a
 * second shared counter, so JVM start-up and exit are not in the figure.
 */
public final class CrossProcessCounter {

    /** The runtime column of these rows. */
    public static final String RUNTIME = "JVM processes";

    private static final Duration TIME_LIMIT = Duration.ofMinutes(2);

    private CrossProcessCounter() {
    }

    /** What one child is told: where the counters are, how much to add, and how. */
    private record Job(SharedLong value, SharedLong ready, SharedLong go, SharedLong done, int[] operations,
            boolean atomic) implements Serializable {
        int processes() {
            return operations.length;
        }
    }

    /**
     * Runs {@code processes} child JVMs adding {@code operations} each, first with
     * {@code incrementAndGet()}, then with {@code set(get() + 1)}.
     *
     * @throws IllegalStateException if {@code incrementAndGet()} lost an update, a count exceeds the
     *                               total, a child failed, or the children took longer than 2 minutes
     *                               (they are then killed)
     * @throws InterruptedException  if interrupted; the children are killed
     */
    public static ContentionResult run(int processes, int operations) throws Exception {
        Contention.requireSizes(processes, operations);
        int[] each = new int[processes];
        Arrays.fill(each, operations);
        return new ContentionResult(List.of(measure(each, true), measure(each, false)));
    }

    /** Child {@code i} adds {@code operations[i]}: uneven shares only in tests, where a child ends long before another. */
    static ContentionRun measure(int[] operations, boolean atomic) throws Exception {
        int processes = operations.length;
        long deadline = System.nanoTime() + TIME_LIMIT.toNanos();
        List<ChildProcess> children = new ArrayList<>();
        try (SharedLong value = SharedLong.create(0); SharedLong ready = SharedLong.create(0);
                SharedLong go = SharedLong.create(0); SharedLong done = SharedLong.create(0)) {
            Job job = new Job(value, ready, go, done, operations.clone(), atomic);
            try {
                for (int i = 0; i < processes; i++) {
                    ChildProcess child = new ChildProcess(CrossProcessCounter::count, job, i)
                            .setName((atomic ? "incrementAndGet-" : "get-set-") + (i + 1));
                    children.add(child);
                    child.start();
                }
                waitFor(ready, processes, children, deadline, TimeUnit.MILLISECONDS.toNanos(1));
                long start = System.nanoTime();
                go.set(1);
                waitFor(done, processes, children, deadline, TimeUnit.MICROSECONDS.toNanos(20));
                long wall = System.nanoTime() - start;
                for (ChildProcess child : children) {
                    if (!child.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())))) {
                        throw new IllegalStateException(child.name() + " counted but did not exit within " + TIME_LIMIT);
                    }
                    child.failure().ifPresent(failure -> {
                        throw new IllegalStateException(child.name() + " failed", failure);
                    });
                }
                long expected = Arrays.stream(operations).asLongStream().sum();
                long present = value.get();
                if (present > expected || (atomic && present != expected)) {
                    throw new IllegalStateException(processes + " processes adding " + expected + " in all with "
                            + (atomic ? "incrementAndGet()" : "set(get() + 1)") + " left " + present + ", not " + expected);
                }
                return new ContentionRun(RUNTIME, atomic ? "shared-long-atomic" : "shared-long-get-set",
                        atomic ? "SharedLong.incrementAndGet()" : "SharedLong.set(get() + 1)", atomic, processes, 1,
                        expected, present, present, 0, wall, true);
            } finally {
                for (ChildProcess child : children) {
                    if (child.isAlive()) {
                        child.kill();
                    }
                }
            }
        }
    }

    /**
     * Waits until {@code counter} reaches {@code target}, checking every {@code pollNanos} that no
     * child has failed. A child that has ended well has done its share (it counts itself in before it
     * returns), so only a failed child, or all children gone with the count short, ends the wait early.
     */
    private static void waitFor(SharedLong counter, int target, List<ChildProcess> children, long deadline, long pollNanos)
            throws InterruptedException {
        while (counter.get() < target) {
            int ended = 0;
            for (ChildProcess child : children) {
                if (!child.isAlive()) {
                    child.join();
                    ended++;
                    if (child.exitCode() != 0 || child.failure().isPresent()) {
                        throw new IllegalStateException(child.name() + " failed (exit code " + child.exitCode() + ")"
                                + child.failure().map(f -> ": " + f).orElse(""));
                    }
                }
            }
            if (ended == children.size() && counter.get() < target) {
                throw new IllegalStateException("every child JVM ended, but only " + counter.get() + " of " + target
                        + " said they were ready or done");
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the child JVMs took more than " + TIME_LIMIT + "; they are killed");
            }
            LockSupport.parkNanos(pollNanos);
            if (Thread.interrupted()) {
                throw new InterruptedException("interrupted while waiting for the child JVMs; they are killed");
            }
        }
    }

    /** In child {@code index}: say it is ready, sleep until all are, spin until released, count, say it is done. */
    static void count(Job job, int index) throws InterruptedException {
        job.ready().incrementAndGet();
        while (job.ready().get() < job.processes()) {
            Thread.sleep(1); // the others' JVMs are still starting: give them the cores
        }
        while (job.go().get() == 0) {
            Thread.onSpinWait(); // released within microseconds: the parent sets go as soon as all are ready
        }
        SharedLong value = job.value();
        int operations = job.operations()[index];
        if (job.atomic()) {
            for (int i = 0; i < operations; i++) {
                value.incrementAndGet();
            }
        } else {
            for (int i = 0; i < operations; i++) {
                value.set(value.get() + 1);
            }
        }
        job.done().incrementAndGet();
    }
}
