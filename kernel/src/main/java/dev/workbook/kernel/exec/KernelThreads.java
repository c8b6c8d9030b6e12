package dev.workbook.kernel.exec;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Makes the kernel's own threads (socket loops, the output publisher, output pumps, the stopper): daemons
 * in a thread group of their own, apart from the notebook's cells. An interrupt never targets them, and
 * they never run instrumented user code, so a stop check can never fire in them.
 */
public final class KernelThreads implements ThreadFactory {

    private static final ThreadGroup KERNEL = new ThreadGroup(rootGroup(), "kernel");
    private static final ThreadGroup NOTEBOOK = new ThreadGroup(rootGroup(), "notebook");
    private static final KernelThreads INSTANCE = new KernelThreads();

    private final AtomicInteger serial = new AtomicInteger();

    private KernelThreads() {
    }

    public static KernelThreads factory() {
        return INSTANCE;
    }

    /** Starts a daemon kernel thread named {@code name}. */
    public static Thread start(String name, Runnable task) {
        Thread thread = new Thread(KERNEL, task, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    @Override
    public Thread newThread(Runnable task) {
        Thread thread = new Thread(KERNEL, task, "kernel-" + serial.incrementAndGet());
        thread.setDaemon(true);
        return thread;
    }

    /** The group under which every cell's thread group is made (a sibling of the kernel's group). */
    public static ThreadGroup notebookGroup() {
        return NOTEBOOK;
    }

    /** True for a thread the kernel made for itself. */
    public static boolean isKernelThread(Thread thread) {
        for (ThreadGroup g = thread.getThreadGroup(); g != null; g = g.getParent()) {
            if (g == KERNEL) {
                return true;
            }
        }
        return false;
    }

    /** The group directly under the JVM's system group ("main"), whichever thread first touches this class. */
    private static ThreadGroup rootGroup() {
        ThreadGroup group = Thread.currentThread().getThreadGroup();
        while (group.getParent() != null && group.getParent().getParent() != null) {
            group = group.getParent();
        }
        return group;
    }
}
