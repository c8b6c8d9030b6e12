package dev.workbook.kernel.exec;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * The kernel JVM's descendant processes: which ones a cell started, and ending them.
 *
 * <p>Finding descendants scans the process table (about a millisecond), so the kernel takes the snapshot
 * a cell is compared with in the background after the previous cell, not on the path of every request.
 */
public final class ChildProcesses {

    private ChildProcesses() {
    }

    /** The pids of all descendants of this JVM now. Blocks for one scan of the process table. */
    public static Set<Long> snapshot() {
        return ProcessHandle.current().descendants().map(ProcessHandle::pid).collect(Collectors.toSet());
    }

    /** Live descendants whose pid is not in {@code before}: children, grandchildren and deeper. */
    public static List<ProcessHandle> startedSince(Set<Long> before) {
        return ProcessHandle.current().descendants()
                .filter(p -> !before.contains(p.pid()))
                .collect(Collectors.toList());
    }

    /**
     * Ends {@code processes}: asks each to terminate (SIGTERM on Unix, so shutdown hooks run), waits up to
     * {@code grace} for all of them, then kills the rest forcibly and waits up to {@code grace} again.
     * Deepest descendants are signalled first so that no grandchild is re-parented away from the kernel
     * before it is reached. Blocks for at most twice {@code grace}.
     *
     * @return one line per process that was still alive when asked, e.g. {@code "pid 4711 (java -cp ...)"}
     */
    public static List<String> terminate(List<ProcessHandle> processes, Duration grace) {
        List<ProcessHandle> alive = processes.stream().filter(ProcessHandle::isAlive)
                .sorted(Comparator.comparingInt(ChildProcesses::depth).reversed())
                .collect(Collectors.toList());
        List<String> described = new ArrayList<>();
        for (ProcessHandle process : alive) {
            described.add(describe(process));
            process.destroy();
        }
        List<ProcessHandle> remaining = awaitExit(alive, grace);
        if (!remaining.isEmpty()) {
            remaining.forEach(ProcessHandle::destroyForcibly);
            awaitExit(remaining, grace);
        }
        return described;
    }

    private static List<ProcessHandle> awaitExit(List<ProcessHandle> processes, Duration grace) {
        long deadline = System.nanoTime() + grace.toNanos();
        List<ProcessHandle> remaining = new ArrayList<>();
        for (ProcessHandle process : processes) {
            CompletableFuture<ProcessHandle> exit = process.onExit();
            try {
                exit.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                remaining.add(process);
            } catch (ExecutionException e) {
                remaining.add(process);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                remaining.add(process);
            }
        }
        return remaining;
    }

    private static int depth(ProcessHandle process) {
        int depth = 0;
        long self = ProcessHandle.current().pid();
        for (ProcessHandle p = process; p != null && p.pid() != self && depth < 64; ) {
            depth++;
            p = p.parent().orElse(null);
        }
        return depth;
    }

    /** {@code pid 4711 (java -cp lib.jar Worker)}, the command line cut to a readable length. */
    public static String describe(ProcessHandle process) {
        ProcessHandle.Info info = process.info();
        String command = info.commandLine().orElseGet(() -> info.command().orElse("?"));
        if (command.length() > 80) {
            command = command.substring(0, 77) + "...";
        }
        return "pid " + process.pid() + " (" + command + ")";
    }
}
