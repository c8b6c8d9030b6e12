package dev.workbook.experiment;

import dev.workbook.gil.Checkpoint;
import dev.workbook.process.ProcessInfo;
import dev.workbook.process.Processes;
import java.util.ArrayList;
import java.util.List;

/**
 * A task that also reports who ran it and when: the experiment runs this wrapper in its timed runs and
 * builds a {@link Timeline} from what it returns.
 *
 * <p>It returns {@code [result, worker, startNanos, endNanos]} as an {@link ArrayList} of plain values, which
 * a process pool moves without Java serialization, so that timing a task does not make a worker JVM's
 * results dearer. A plain named class, not a lambda or record, for the same reason as the pool's own
 * call: a fresh worker JVM deserializes it fastest. Its cost per task is two {@code nanoTime} reads and
 * one small list.
 */
final class TimedTask<T, R> implements Task<T, List<Object>> {

    private static final long serialVersionUID = 1L;

    private final Task<T, R> task;
    /** The experiment's own pid: a task that finds itself elsewhere ran in a worker JVM. */
    private final long experimentPid;

    TimedTask(Task<T, R> task) {
        this.task = task;
        this.experimentPid = Processes.current().pid();
    }

    @Override
    public List<Object> apply(T input, Checkpoint checkpoint) throws Exception {
        String worker = worker();
        long start = System.nanoTime();
        R result = task.apply(input, checkpoint);
        long end = System.nanoTime();
        List<Object> timed = new ArrayList<>(4);
        timed.add(result);
        timed.add(worker);
        timed.add(start);
        timed.add(end);
        return timed;
    }

    private String worker() {
        ProcessInfo process = Processes.current();
        if (process.pid() != experimentPid) {
            return process.name() + " (pid " + process.pid() + ")";
        }
        // A virtual thread names its carrier after '@' ("VirtualThread[#21]/runnable@ForkJoinPool-1-worker-1"):
        // the carrier is the worker that ran the task, and Thread.isVirtual is not in Java 17's API.
        Thread thread = Thread.currentThread();
        String description = thread.toString();
        int at = description.lastIndexOf('@');
        if (description.startsWith("VirtualThread") && at > 0) {
            return "carrier " + description.substring(at + 1);
        }
        return thread.getName();
    }

    /** Whether a value has the shape {@link #apply} returns (a strategy that skips the task returns others). */
    static boolean isTimedResult(Object value) {
        return value instanceof List<?> list && list.size() == 4 && list.get(1) instanceof String
                && list.get(2) instanceof Long && list.get(3) instanceof Long;
    }

    /** The task's own result from what {@link #apply} returned. */
    @SuppressWarnings("unchecked")
    static <R> R result(List<Object> timed) {
        return (R) timed.get(0);
    }

    /** The span of a task from what {@link #apply} returned, moved onto this JVM's clock. */
    static TaskSpan span(int task, List<Object> timed, long workerClockOffsetNanos) {
        return new TaskSpan(task, (String) timed.get(1), (Long) timed.get(2) - workerClockOffsetNanos,
                (Long) timed.get(3) - workerClockOffsetNanos);
    }
}
