package dev.workbook.kernel.exec;

import org.dflib.jjava.jupyter.messages.MessageContext;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One execution of a cell (or of the kernel's start-up code): the request it answers, the threads it
 * starts, the processes that existed before it, and whether it was interrupted.
 *
 * <p>Threads that user code starts while the cell runs land in the cell's {@link ThreadGroup} (a new
 * thread inherits its creator's group), so the kernel can tell which cell a thread belongs to when it
 * prints, and which threads to interrupt.
 *
 * <p>Thread-safe: the shell thread creates and evaluates it, the control thread interrupts it, any thread
 * may ask which cell it belongs to.
 */
public final class CellRun {

    private final int executionCount;
    private final MessageContext request;
    private final boolean silent;
    private final boolean stdinAllowed;
    private final Group group;
    private final Set<Long> processesBefore;
    private final long firstThreadId;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final List<String> terminatedProcesses = new ArrayList<>();
    private final java.util.Set<String> displayIds = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private volatile Invocation current;
    private volatile String interruption;
    private volatile String abandonedThread;
    private volatile boolean finished;

    /**
     * @param request          the execute request this run answers; {@code null} for kernel start-up code
     * @param cellsRoot        the thread group under which every cell's group is made
     * @param processesBefore  pids of the kernel's descendants when the cell began (or shortly before)
     */
    @SuppressWarnings("deprecation") // Thread.getId: threadId() is Java 19+
    public CellRun(int executionCount, MessageContext request, boolean silent, boolean stdinAllowed,
                   ThreadGroup cellsRoot, Set<Long> processesBefore) {
        this.executionCount = executionCount;
        this.request = request;
        this.silent = silent;
        this.stdinAllowed = stdinAllowed;
        this.processesBefore = Set.copyOf(processesBefore);
        this.group = new Group(cellsRoot, "cell-" + executionCount, this);
        // Thread ids only grow: every thread created from here on has an id at least this large.
        this.firstThreadId = new Thread(() -> { }).getId();
    }

    public int executionCount() {
        return executionCount;
    }

    /** The execute request, as the parent of every message the cell's output produces; null at start-up. */
    public MessageContext request() {
        return request;
    }

    public boolean isSilent() {
        return silent;
    }

    public boolean isStdinAllowed() {
        return stdinAllowed;
    }

    ThreadGroup group() {
        return group;
    }

    long firstThreadId() {
        return firstThreadId;
    }

    Set<Long> processesBefore() {
        return processesBefore;
    }

    /** The run whose thread group {@code thread} is in (directly or below), or null for other threads. */
    public static CellRun of(Thread thread) {
        for (ThreadGroup g = thread.getThreadGroup(); g != null; g = g.getParent()) {
            if (g instanceof Group) {
                return ((Group) g).run;
            }
        }
        return null;
    }

    /** Platform threads of this cell that are alive, found through its thread group. */
    List<Thread> liveThreads() {
        Thread[] threads = new Thread[group.activeCount() + 16];
        int n = group.enumerate(threads, true);
        List<Thread> live = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            if (threads[i].isAlive()) {
                live.add(threads[i]);
            }
        }
        return live;
    }

    /** The snippet call running now, or the last one. */
    Invocation current() {
        return current;
    }

    void setCurrent(Invocation invocation) {
        current = invocation;
    }

    /** Notes that the cell's code displayed something under {@code displayId}. */
    public void recordDisplayed(String displayId) {
        displayIds.add(displayId);
    }

    /**
     * True if {@code value} is the id of a display this cell made: the value of a cell ending in
     * {@code display(x)}, which is not worth showing a second time.
     */
    public boolean displayed(Object value) {
        return value instanceof String && displayIds.contains(value);
    }

    /** Marks the run interrupted; returns false if it already was (the first reason wins). */
    synchronized boolean markInterrupted(String reason) {
        if (interruption != null || finished) {
            return false;
        }
        interruption = reason;
        return true;
    }

    /** Why the run was interrupted ("interrupted by the user", "timed out after 30 s"), or null. */
    public String interruption() {
        return interruption;
    }

    public boolean isInterrupted() {
        return interruption != null;
    }

    void stopFinished(List<String> terminated, String abandoned) {
        synchronized (terminatedProcesses) {
            terminatedProcesses.addAll(terminated);
        }
        abandonedThread = abandoned;
        stopped.countDown();
    }

    /**
     * After an interrupt, waits until the kernel has finished stopping the run's threads and processes
     * (at most {@code timeoutMillis}); returns at once if the run was not interrupted.
     */
    public void awaitStopped(long timeoutMillis) throws InterruptedException {
        if (interruption != null) {
            stopped.await(timeoutMillis, TimeUnit.MILLISECONDS);
        }
    }

    /** The child processes the interrupt ended, one description each. */
    public List<String> terminatedProcesses() {
        synchronized (terminatedProcesses) {
            return List.copyOf(terminatedProcesses);
        }
    }

    /** The thread that ignored the stop and was left running, described, or null. */
    public String abandonedThread() {
        return abandonedThread;
    }

    /** Called when the reply has been sent; later interrupts are ignored. */
    public synchronized void finish() {
        finished = true;
    }

    public boolean isFinished() {
        return finished;
    }

    @Override
    public String toString() {
        return "cell " + executionCount + (silent ? " (silent)" : "");
    }

    /**
     * The thread group of one run. An uncaught exception in a thread the cell started is printed to the
     * cell's stderr; the error an interrupt throws ends the thread quietly.
     */
    static final class Group extends ThreadGroup {
        private final CellRun run;

        Group(ThreadGroup parent, String name, CellRun run) {
            super(parent, name);
            this.run = run;
        }

        @Override
        public void uncaughtException(Thread thread, Throwable error) {
            if (error instanceof CellInterruptedError || error instanceof SystemExitTrap.ExitRequestedError) {
                return;
            }
            System.err.print("Exception in thread \"" + thread.getName() + "\" ");
            error.printStackTrace(System.err);
        }
    }
}
