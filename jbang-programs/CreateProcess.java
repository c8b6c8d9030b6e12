///usr/bin/env jbang "$0" "$@" ; exit $?
//SOURCES Workbook.java

import dev.workbook.process.ChildProcess;
import dev.workbook.lesson.CreateProcessExample;
import dev.workbook.lesson.StartMethodsSideBySide;
import dev.workbook.lesson.TimedChild;
import java.util.Locale;

/**
 * The lesson's first experiment: two child processes and the main one each print their pid, their
 * name and "Loop count: 20", taken from their own copy of [20, 30, 40], then loop. Then what the JVM
 * adds, measured in this run.
 */
public class CreateProcess {

    public static void main(String[] args) throws Exception {
        CreateProcessExample.Outcome outcome = CreateProcessExample.run();

        System.out.println();
        System.out.println("What the JVM adds (measured in this run):");
        double main = outcome.mainTask().toNanos() / 1e9;
        for (TimedChild timed : outcome.children()) {
            ChildProcess child = timed.child();
            double life = timed.lifetime().toNanos() / 1e9;
            System.out.printf(Locale.ROOT, "- %s (pid %d, exit code %d): start() took %.0f ms and returned without waiting;"
                            + "%n  the child had ended %.2f s after it, %.2f s more than the same sub_task took here.%n",
                    child.name(), child.pid(), child.exitCode(), timed.startCall().toNanos() / 1e6, life, life - main);
        }
        System.out.printf(Locale.ROOT, "- sub_task took %.2f s in the main process; the difference is a JVM starting,"
                + " loading classes%n  and exiting, once per child.%n", main);
        System.out.println("- start() serialized the target with its arguments: each child got a copy of the list as it");
        System.out.println("  was then, [20, 30, 40]. The main process took 20 off its own list right after, and now has "
                + outcome.mainList() + ";");
        System.out.println("  the children saw 20 too, since start() had copied the list before: nothing is shared.");
        System.out.println();
        StartMethodsSideBySide.print(System.out, 3);
    }
}
