package dev.workbook.experiment;

/**
 * When one task ran, and where: a bar of a {@link Timeline}.
 *
 * @param task        the task's input index in the workload
 * @param worker      who ran it: a thread's name, a virtual thread's carrier, or a worker JVM (name and pid)
 * @param startNanos  when it started, on this JVM's {@link System#nanoTime()} clock
 * @param endNanos    when it ended, on the same clock
 */
public record TaskSpan(int task, String worker, long startNanos, long endNanos) {

    /** How long the task ran, in nanoseconds. */
    public long nanos() {
        return endNanos - startNanos;
    }
}
