package dev.workbook.experiment;

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
 */
public record Timeline(String strategy, int workers, int run, long startNanos, long endNanos, List<TaskSpan> spans) {

    public Timeline {
        spans = List.copyOf(spans);
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
