///usr/bin/env jbang "$0" "$@" ; exit $?
//SOURCES Workbook.java

import dev.workbook.lesson.PingPong;
import dev.workbook.process.ChildProcess;
import java.util.Locale;

/**
 * The lesson's queue ping-pong: two child processes pass a count through a shared queue and print
 * "Ping" and "Pong" 50 times in total; every process ends, and the parent waits without spinning.
 * Then what the JVM adds, measured.
 */
public class PingPongQueue {

    public static void main(String[] args) throws Exception {
        PingPong.Outcome outcome = PingPong.play();
        System.out.println("Ping and Pong printed " + outcome.total() + " times in total");

        System.out.println();
        System.out.println("What the JVM adds (measured in this run):");
        for (ChildProcess child : outcome.children()) {
            System.out.println("- " + child.name() + " (pid " + child.pid() + ") exited with code " + child.exitCode()
                    + "; it got the queue as an argument of its target, a handle that attached to the same shared memory.");
        }
        double waited = outcome.waited().toNanos() / 1e9;
        double cpu = outcome.waitingCpu().toNanos() / 1e9;
        System.out.printf(Locale.ROOT, "- The parent waited %.2f s for its children and its waiting thread used %.3f s of CPU"
                + " (%.1f%% of one core):%n  join() sleeps until a child ends. The lesson's `while p1.is_alive() and"
                + " p2.is_alive(): pass` keeps a core busy all along.%n", waited, cpu, 100 * cpu / waited);
        System.out.println("- The count lives in a SharedQueue, a ring in shared memory: a put or a get is a few memory"
                + " operations,");
        System.out.println("  and a process blocked in get() sleeps until a put rings it. `./jbang ipc-bench` measures"
                + " the hand-off.");
    }
}
