package dev.workbook.lesson;

import dev.workbook.process.ChildProcess;
import dev.workbook.process.Processes;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What the JVM does instead of {@code os.fork()}.
 *
 * <p>{@code fork()} copies the running process: the child continues from the same point with a copy
 * of every variable, and the call returns twice (0 in the child, the child's pid in the parent). A
 * JVM cannot fork safely (only the forking thread would survive in the copy, and the JIT, garbage
 * collector and other VM threads with it would be gone), so Java has no fork. A {@link ChildProcess}
 * is the replacement: a fresh JVM, started from {@code main}, which receives a serialized copy of one
 * function and what it captured. This example prints what the child gets and what it does not.
 *
 * <p>Run: {@code java -cp lesson/target/classes:lib/target/classes dev.workbook.lesson.ForkExample}
 */
public final class ForkExample {

    /** A static field: initialized afresh in every JVM, never copied (fork would have copied it). */
    static int staticCounter;

    private ForkExample() {
    }

    /**
     * What a run leaves behind.
     *
     * @param child         the child, ended, with its timings
     * @param parentData    the parent's list afterwards (the child changed only its copy)
     * @param staticCounter the parent's static field afterwards
     */
    public record Outcome(TimedChild child, List<String> parentData, int staticCounter) {
    }

    public static void main(String[] args) throws Exception {
        run();
    }

    /** Prints the parent's side of the story, runs {@link #inChild} in a child JVM, and waits for it. */
    public static Outcome run() throws Exception {
        long parentPid = ProcessHandle.current().pid();
        System.out.println("PID: " + parentPid + " (" + Processes.current().name() + ")");
        List<String> data = new ArrayList<>(List.of("parent's", "data"));
        staticCounter = 42;
        System.out.println("The JVM cannot fork: starting a child JVM instead...");
        TimedChild timed = TimedChild.start(new ChildProcess(ForkExample::inChild, data));
        ChildProcess child = timed.child();
        child.join();
        System.out.println("Parent - PID: " + parentPid + "; started child " + child.name() + " with pid " + child.pid()
                + ", which exited with code " + child.exitCode());
        System.out.println("Parent: my list is " + data + " (the child's change is not here), staticCounter = " + staticCounter);
        return new Outcome(timed, List.copyOf(data), staticCounter);
    }

    /** Runs in the child. */
    static void inChild(List<String> data) {
        long pid = ProcessHandle.current().pid();
        long parentPid = ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(-1L);
        Duration jvmAge = Duration.between(Instant.ofEpochMilli(ManagementFactory.getRuntimeMXBean().getStartTime()), Instant.now());
        System.out.println("Child - PID: " + pid + ", parent PID: " + parentPid + ", name: " + Processes.current().name()
                + ", parent: " + Processes.parent().orElseThrow());
        System.out.println("Child: a fresh JVM, started " + jvmAge.toMillis() + " ms ago, not a copy of the parent");
        System.out.println("Child: staticCounter = " + staticCounter + " (statics start afresh; fork would have copied 42)");
        data.add("changed-by-child");
        System.out.println("Child: my own copy of the captured list, after my change: " + data);
    }
}
