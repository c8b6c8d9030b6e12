package dev.workbook.process;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * This JVM as a process: who it is, who started it, and which children it has running; Python's
 * {@code multiprocessing.current_process()}, {@code parent_process()} and {@code active_children()}.
 *
 * <p>Also keeps the promise that no child outlives this JVM when it shuts down normally
 * ({@code System.exit}, the end of the last non-daemon thread, SIGTERM, SIGINT): a shutdown hook sends
 * every live child SIGTERM, gives them a second, then kills what is left. A parent that dies without
 * running hooks (SIGKILL, a crash) is covered on the child's side: see {@link ChildMain}.
 */
public final class Processes {

    /** The name of a JVM that this library did not start, as Python names its main process. */
    public static final String MAIN_PROCESS_NAME = "MainProcess";

    /**
     * The system property that marks every JVM of one family (a root JVM and all it started, however
     * deep); lets a test find any process its run left behind.
     */
    static final String FAMILY_PROPERTY = "dev.workbook.process.family";

    /** The system property holding a child's name, so that {@code ps} shows which child is which. */
    static final String NAME_PROPERTY = "dev.workbook.process.name";

    private static final Duration GRACE_AT_EXIT = Duration.ofSeconds(1);

    private static volatile ProcessInfo self;
    private static volatile ProcessInfo parent;

    private static final Set<ChildProcess> ACTIVE = ConcurrentHashMap.newKeySet();
    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();
    private static volatile boolean hookInstalled;

    private Processes() {
    }

    /**
     * This process: {@code MainProcess} and this JVM's pid, unless this JVM was started as a
     * {@link ChildProcess} or a {@link ProcessPool} worker, in which case its given name.
     */
    public static ProcessInfo current() {
        ProcessInfo known = self;
        if (known == null) {
            known = new ProcessInfo(MAIN_PROCESS_NAME, ProcessHandle.current().pid());
            self = known;
        }
        return known;
    }

    /** The process that started this one, by name and pid; empty in a main process. */
    public static Optional<ProcessInfo> parent() {
        return Optional.ofNullable(parent);
    }

    /**
     * The {@link ChildProcess}es this JVM started that have not ended yet, in no particular order.
     * Pool workers are not included: a {@link ProcessPool} manages its own.
     */
    public static List<ChildProcess> activeChildren() {
        return new ArrayList<>(ACTIVE);
    }

    /** The number of processors this JVM may use; Python's {@code os.cpu_count()}. */
    public static int cpuCount() {
        return Runtime.getRuntime().availableProcessors();
    }

    /** Called once by {@link ChildMain}, before any user code runs in the child. */
    static void becomeChild(ProcessInfo child, ProcessInfo parentInfo) {
        self = child;
        parent = parentInfo;
    }

    /** This JVM's family: inherited from the parent, or started here if this JVM is a root. */
    static String family() {
        String inherited = System.getProperty(FAMILY_PROPERTY);
        if (inherited != null) {
            return inherited;
        }
        ProcessHandle me = ProcessHandle.current();
        return me.pid() + "-" + me.info().startInstant().map(Instant::toEpochMilli).orElse(0L);
    }

    static void started(ChildProcess child) {
        ACTIVE.add(child);
    }

    static void ended(ChildProcess child) {
        ACTIVE.remove(child);
    }

    /** Registers a child JVM or program to stop at this JVM's shutdown. */
    static void track(Process process) {
        installHook();
        LIVE.add(process);
        process.onExit().thenRun(() -> LIVE.remove(process));
    }

    private static void installHook() {
        if (hookInstalled) {
            return;
        }
        synchronized (Processes.class) {
            if (!hookInstalled) {
                Runtime.getRuntime().addShutdownHook(new Thread(Processes::stopAll, "workbook-stop-children"));
                hookInstalled = true;
            }
        }
    }

    /** SIGTERM to every live child, then SIGKILL to those still there after the grace period. */
    private static void stopAll() {
        List<Process> live = new ArrayList<>(LIVE);
        if (live.isEmpty()) {
            return;
        }
        live.forEach(process -> process.toHandle().destroy());
        long deadline = System.nanoTime() + GRACE_AT_EXIT.toNanos();
        for (Process process : live) {
            try {
                long left = deadline - System.nanoTime();
                if (left <= 0 || !process.waitFor(left, TimeUnit.NANOSECONDS)) {
                    process.toHandle().destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.toHandle().destroyForcibly();
            }
        }
    }
}
