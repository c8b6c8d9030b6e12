///usr/bin/env jbang "$0" "$@" ; exit $?
//SOURCES Workbook.java

import dev.workbook.lesson.BrokenCounter;
import dev.workbook.process.ChildProcess;
import java.util.Locale;

/**
 * The lesson's broken global counter: two child processes should print "Ping" and "Pong" 50 times
 * together, but each counts on its own copy of the counter and prints its word 50 times. Then what
 * the JVM adds, measured.
 */
public class CounterBroken {

    public static void main(String[] args) throws Exception {
        long start = System.nanoTime();
        BrokenCounter.Outcome outcome = BrokenCounter.run();
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.println("The parent's counter is still " + outcome.parentCounter()
                + ": each child counted on its own copy, so 100 words came out, not 50.");

        System.out.println();
        System.out.println("What the JVM adds (measured in this run):");
        for (ChildProcess child : outcome.children()) {
            System.out.println("- " + child.name() + " (pid " + child.pid() + ") exited with code " + child.exitCode()
                    + ": a JVM of its own, which initialized the static counter to 0 when it loaded the class.");
        }
        System.out.printf(Locale.ROOT, "- From start() to the end of both took %.2f s, for %d words 10 ms apart per child"
                + " (%.2f s of sleep):%n  the rest is two JVMs starting and stopping.%n",
                seconds, BrokenCounter.LIMIT, BrokenCounter.LIMIT * 0.010);
        System.out.println("- A static field is per JVM as a global is per Python process. To share a count, put it in shared");
        System.out.println("  memory (dev.workbook.ipc.SharedLong) or pass it through a queue: `./jbang ping-pong`.");
    }
}
