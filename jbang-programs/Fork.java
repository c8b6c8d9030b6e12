///usr/bin/env jbang "$0" "$@" ; exit $?
//SOURCES Workbook.java

import dev.workbook.lesson.ForkExample;
import dev.workbook.lesson.StartMethodsSideBySide;
import dev.workbook.lesson.TimedChild;
import dev.workbook.measure.ResidentMemory;
import java.util.Locale;

/**
 * The lesson's os.fork() example in the JVM's terms: there is no fork, so the parent starts a child
 * JVM on a function and its captured data. Prints both sides, then what the JVM adds, measured.
 */
public class Fork {

    public static void main(String[] args) throws Exception {
        ForkExample.Outcome outcome = ForkExample.run();
        TimedChild child = outcome.child();

        System.out.println();
        System.out.println("What the JVM adds (measured in this run):");
        System.out.printf(Locale.ROOT, "- start() took %.0f ms: it serialized inChild with a copy of the list and launched"
                + " java;%n  the child had ended %.0f ms after it. fork() returns twice, in a copy of the caller;"
                + " start() returns once,%n  and the child begins at the top of a fresh JVM's main.%n",
                child.startCall().toNanos() / 1e6, child.lifetime().toNanos() / 1e6);
        ResidentMemory.selfKib().ifPresent(kib -> System.out.printf(Locale.ROOT, "- This JVM holds %.0f MiB of memory now."
                + " A fork would have shared it with the child, copy-on-write;%n  the child JVM built its own heap"
                + " and loaded its own classes instead.%n", kib / 1024.0));
        System.out.println("- staticCounter is " + outcome.staticCounter() + " here, and the child printed its own above:"
                + " statics are initialized in each JVM, never copied.");
        System.out.println();
        StartMethodsSideBySide.print(System.out, 3);
    }
}
