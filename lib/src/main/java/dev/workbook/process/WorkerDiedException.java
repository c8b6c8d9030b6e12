package dev.workbook.process;

/**
 * A {@link ProcessPool} worker JVM died while it held a call: it was killed, called
 * {@code System.exit}, ran out of memory or crashed. The call's future fails with this exception as
 * its cause; the pool replaces the worker and carries on with the other calls (where Python's
 * {@code ProcessPoolExecutor} would become unusable, raising {@code BrokenProcessPool}).
 */
public class WorkerDiedException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String workerName;
    private final long pid;
    private final int exitCode;

    WorkerDiedException(String message, String workerName, long pid, int exitCode) {
        super(message);
        this.workerName = workerName;
        this.pid = pid;
        this.exitCode = exitCode;
    }

    /** The worker's name, such as {@code ProcessPool-1-worker-2}. */
    public String workerName() {
        return workerName;
    }

    /** The worker's operating-system pid. */
    public long pid() {
        return pid;
    }

    /** How it ended: its exit code, or {@code -N} if signal N killed it (as {@link ChildProcess#exitCode()}). */
    public int exitCode() {
        return exitCode;
    }
}
