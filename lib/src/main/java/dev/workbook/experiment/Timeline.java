package dev.workbook.experiment;

import dev.workbook.gil.GilHolds;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * What ran where, and when, during one timed run: a {@link TaskSpan} per task, and the run's own start and
 * end. Every time is on this JVM's {@link System#nanoTime()} clock; a task that ran in a worker JVM has
 * been moved onto it with the offset the strategy measured (see {@link Execution#workerClockOffsetNanos()}).
 *
 * @param strategy    the strategy's name
 * @param workers     its worker count
 * @param run         which timed run (1 for the first)
 * @param startNanos  when the timed {@code map} was called
 * @param endNanos    when it returned
 * @param spans       one per task, in input order
 * @param gilHolds    who held the strategy's simulated GIL, and when, in the order of the holds (which never
 *                    overlap); empty for a strategy without one. A thread's holds carry the name its task spans
 *                    carry as their worker.
 */
public record Timeline(String strategy, int workers, int run, long startNanos, long endNanos, List<TaskSpan> spans,
        List<GilHolds.Hold> gilHolds) {

    public Timeline {
        spans = List.copyOf(spans);
        gilHolds = List.copyOf(gilHolds);
    }

    /** A timeline of a run without a simulated GIL. */
    public Timeline(String strategy, int workers, int run, long startNanos, long endNanos, List<TaskSpan> spans) {
        this(strategy, workers, run, startNanos, endNanos, spans, List.of());
    }

    /** Whether the run recorded who held a simulated GIL (a {@code threads-gil} run does). */
    public boolean hasGilHolds() {
        return !gilHolds.isEmpty();
    }

    /** How many times the simulated GIL passed from one thread to another during the run; 0 without a GIL. */
    public long gilHandOvers() {
        long handOvers = 0;
        for (int i = 1; i < gilHolds.size(); i++) {
            if (gilHolds.get(i).threadId() != gilHolds.get(i - 1).threadId()) {
                handOvers++;
            }
        }
        return handOvers;
    }

    /**
     * The share of the run's wall time during which some thread held the simulated GIL: near 1 for a CPU-bound
     * run, which is why such a run shows about 100% CPU however many threads it has; 0 without a GIL.
     */
    public double gilHeldShare() {
        return gilHolds.stream().mapToLong(GilHolds.Hold::nanos).sum() / (double) Math.max(1, wallNanos());
    }

    /** The workers that ran at least one task, in the order of their first task's start. */
    public List<String> workerNames() {
        List<String> names = new ArrayList<>();
        spans.stream().sorted(Comparator.comparingLong(TaskSpan::startNanos))
                .forEach(s -> {
                    if (!names.contains(s.worker())) {
                        names.add(s.worker());
                    }
                });
        return names;
    }

    /** The run's wall time, in nanoseconds. */
    public long wallNanos() {
        return endNanos - startNanos;
    }

    /**
     * The time between the run's start and its first task's start: for a cold process pool, the worker
     * JVMs' start-up.
     */
    public long firstTaskDelayNanos() {
        return spans.stream().mapToLong(TaskSpan::startNanos).min().orElse(endNanos) - startNanos;
    }

    /** The busiest worker's total task time over the run's wall time: 1 when it never idled. */
    public double busiestWorkerShare() {
        return workerNames().stream()
                .mapToLong(w -> spans.stream().filter(s -> s.worker().equals(w)).mapToLong(TaskSpan::nanos).sum())
                .max().orElse(0) / (double) Math.max(1, wallNanos());
    }
}
