package dev.workbook.sharedstate;

import java.io.Serializable;

/**
 * One measured run of a shared-state strategy: what was expected, what was there, how long it took.
 *
 * @param runtime     who ran it: {@code JVM threads}, {@code CPython threads}, {@code JVM processes}
 * @param strategy    the strategy's name
 * @param tool        the tool it uses, as code
 * @param threadSafe  whether the tool is meant to be safe when shared
 * @param workers     how many threads (or processes) added items at once
 * @param run         1 for the first timed run of this strategy and worker count, 2 for the next...
 * @param expected    how many items were added in all: workers times items each
 * @param present     how many of them are really there at the end, counted
 * @param reported    what the structure says it holds ({@code size()}, the counter's value)
 * @param exceptions  how many adds threw
 * @param wallNanos   from the moment all workers were released to the last one's end (and any merge)
 * @param finished    false when a worker was still running at the run's time limit; the counts are
 *                    then not read (the structure is still being written) and are zero
 */
public record ContentionRun(String runtime, String strategy, String tool, boolean threadSafe, int workers, int run,
        long expected, long present, long reported, long exceptions, long wallNanos, boolean finished)
        implements Serializable {

    /** The items that were added but are not there: a count, since the expected total is known. */
    public long lost() {
        return expected - present;
    }

    /** Wall time in seconds. */
    public double wallSeconds() {
        return wallNanos / 1e9;
    }

    /**
     * Wall time per item added, all workers together: it falls as workers are added while they do not
     * get in each other's way, and rises when they contend for the same memory or lock.
     */
    public double nanosPerOperation() {
        return (double) wallNanos / expected;
    }
}
