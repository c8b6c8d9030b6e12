package dev.workbook.kernel.exec;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;

/**
 * Stops a running cell: its threads, the threads it started, and the child processes it started.
 *
 * <p>The sequence, run on a kernel thread so that the control channel answers at once:
 * <ol>
 *   <li>arm {@link StopSignal} for threads created since the cell began (and the common pool), so that
 *       instrumented code throws {@link CellInterruptedError} at its next loop iteration or call;</li>
 *   <li>{@link Thread#interrupt()} the cell's threads (sleeps, waits, {@code Process.waitFor}, queues);</li>
 *   <li>terminate the processes that appeared since the cell began, then kill those that linger;</li>
 *   <li>on JDKs before 20, {@code Thread.stop} threads still running after a grace period, unless they are
 *       in the kernel's own code;</li>
 *   <li>if the cell's thread still runs (stuck in code that has no check point), give up waiting for it:
 *       the cell ends with an error that says so, and the thread stays a stop target.</li>
 * </ol>
 */
public final class Interrupter {

    private static final boolean THREAD_STOP_WORKS = Runtime.version().feature() < 20;
    private static final String[] KERNEL_CODE = {"dev.workbook.kernel.", "org.zeromq.", "zmq.", "org.dflib.jjava."};

    private final Duration grace;

    /** @param grace how long each step waits for threads and processes to end before the next step */
    public Interrupter(Duration grace) {
        this.grace = grace;
    }

    /** Starts stopping {@code run} for {@code reason}, unless it is finished or already being stopped. */
    public void interrupt(CellRun run, String reason) {
        if (run == null || !run.markInterrupted(reason)) {
            return;
        }
        KernelThreads.start("stop-cell-" + run.executionCount(), () -> stop(run));
    }

    private void stop(CellRun run) {
        Set<Thread> carried = aliveOf(StopSignal.currentScope().explicit());
        StopSignal.arm(new StopSignal.Scope(run.firstThreadId(), true, carried, run.interruption()));
        run.liveThreads().forEach(Thread::interrupt);

        List<ProcessHandle> processes = ChildProcesses.startedSince(run.processesBefore());
        CompletableFuture<List<String>> terminated = new CompletableFuture<>();
        KernelThreads.start("stop-processes-" + run.executionCount(),
                () -> terminated.complete(ChildProcesses.terminate(processes, grace)));

        Invocation invocation = run.current();
        boolean quiet = awaitQuiet(run, invocation);
        if (!quiet && THREAD_STOP_WORKS) {
            run.liveThreads().forEach(Interrupter::stopUnlessInKernel);
            quiet = awaitQuiet(run, invocation);
        }
        String abandoned = null;
        if (invocation != null && !invocation.isDone()) {
            abandoned = describe(invocation.thread());
            invocation.abandon();
        }

        // The window closes: threads started later by other cells must not be hit. Keep targeting only
        // the threads of this cell that are still busy, so they stop if they ever reach a check point.
        Set<Thread> stuck = new HashSet<>(carried);
        for (Thread t : run.liveThreads()) {
            if (t.getState() == Thread.State.RUNNABLE) {
                stuck.add(t);
            }
        }
        stuck.removeIf(t -> !t.isAlive());
        StopSignal.arm(stuck.isEmpty() ? StopSignal.Scope.NONE
                : new StopSignal.Scope(Long.MAX_VALUE, false, stuck, run.interruption()));
        run.stopFinished(terminated.join(), abandoned);
    }

    /** Waits up to the grace period until the invocation is over and no thread of the run is busy. */
    private boolean awaitQuiet(CellRun run, Invocation invocation) {
        long deadline = System.nanoTime() + grace.toNanos();
        while (System.nanoTime() < deadline) {
            if ((invocation == null || invocation.isDone()) && noneBusy(run)) {
                return true;
            }
            LockSupport.parkNanos(5_000_000);
        }
        return false;
    }

    private static boolean noneBusy(CellRun run) {
        for (Thread t : run.liveThreads()) {
            if (t.getState() == Thread.State.RUNNABLE) {
                return false;
            }
        }
        return true;
    }

    private static Set<Thread> aliveOf(Set<Thread> threads) {
        Set<Thread> alive = new HashSet<>();
        for (Thread t : threads) {
            if (t.isAlive()) {
                alive.add(t);
            }
        }
        return alive;
    }

    /** {@code Thread.stop} (JDK 19 and older), but never while the thread runs kernel or socket code. */
    private static void stopUnlessInKernel(Thread thread) {
        for (StackTraceElement frame : thread.getStackTrace()) {
            for (String prefix : KERNEL_CODE) {
                if (frame.getClassName().startsWith(prefix)
                        && !frame.getClassName().equals(StopSignal.class.getName())) {
                    return;
                }
            }
        }
        try {
            Thread.class.getMethod("stop").invoke(thread);
        } catch (ReflectiveOperationException | RuntimeException unavailable) {
            // Thread.stop throws UnsupportedOperationException on JDK 20+; nothing more to try
        }
    }

    private static String describe(Thread thread) {
        if (thread == null) {
            return "the cell's thread";
        }
        StackTraceElement[] stack = thread.getStackTrace();
        String where = stack.length == 0 ? "" : " in " + stack[0];
        return "thread \"" + thread.getName() + "\"" + where;
    }
}
