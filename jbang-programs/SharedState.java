///usr/bin/env jbang "$0" "$@" ; exit $?
//SOURCES Workbook.java

import dev.workbook.measure.MachineFacts;
import dev.workbook.sharedstate.CPythonSharedState;
import dev.workbook.sharedstate.Contention;
import dev.workbook.sharedstate.ContentionResult;
import dev.workbook.sharedstate.ContentionRun;
import dev.workbook.sharedstate.SharedStateStrategies;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The lesson's first rule of thumb, "threads share lists and dicts safely", measured on the JVM: N
 * threads add 1 to one counter a million times each, unsafely and with each of the JVM's tools; the
 * updates lost are counted, and CPython's x += 1 sits beside them when python3 is there.
 */
@Command(name = "shared-state", mixinStandardHelpOptions = true,
        description = "Threads adding to one counter: updates lost and time per increment, unsafe and with each JVM tool.")
public class SharedState implements Callable<Integer> {

    @Option(names = "--threads", description = "Threads adding at once (default: twice the cores).")
    int threads = 2 * Runtime.getRuntime().availableProcessors();

    @Option(names = "--operations", description = "Increments per thread (default ${DEFAULT-VALUE}).")
    int operations = 1_000_000;

    @Option(names = "--repeats",
            description = "Timed runs per tool (default ${DEFAULT-VALUE}); the table shows the run that lost the most.")
    int repeats = 3;

    @Option(names = "--no-python", description = "Leave out CPython's rows.")
    boolean noPython;

    public static void main(String... args) {
        System.exit(new CommandLine(new SharedState()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (threads < 1 || operations < 1 || repeats < 1) {
            throw new CommandLine.ParameterException(new CommandLine(this),
                    "--threads, --operations and --repeats must each be at least 1");
        }
        ContentionResult result = Contention.of(SharedStateStrategies.counters()).threads(threads)
                .operations(operations).repeats(repeats).run();
        Optional<String> noCPython = noPython ? Optional.of("--no-python") : CPythonSharedState.unavailableReason();
        if (noCPython.isEmpty()) {
            // CPython is about 50 times slower per increment: a fifth of the items keeps the run short.
            result = result.plus(CPythonSharedState.run(threads, Math.max(1, operations / 5)));
        }
        System.out.print(MachineFacts.current());
        System.out.println("load average: " + MachineFacts.loadAverage() + " (timings from a busy machine are noisy)");
        System.out.println();
        System.out.println(result.table().print(100));
        if (noCPython.isPresent()) {
            System.out.println("CPython's rows skipped: " + noCPython.get());
        }
        System.out.println();
        System.out.printf(Locale.ROOT, "With %d threads adding %,d each (%,d in all), the plain long lost up to %,d updates"
                + " and the volatile one %,d;%n", threads, operations, (long) threads * operations,
                mostLost(result, "plain-long"), mostLost(result, "volatile-long"));
        if (mostLost(result, "plain-long") == 0 && mostLost(result, "volatile-long") == 0) {
            System.out.println("(none this time: the threads did not overlap, as on a busy machine; a run that loses nothing"
                    + " proves nothing, try more --operations or --repeats)");
        }
        System.out.printf(Locale.ROOT, "synchronized, ReentrantLock, AtomicLong, LongAdder and confined counts lost none"
                + " (checked: a loss would have failed the run).%n");
        System.out.println("The rule it teaches: CPython's GIL makes each list or dict operation atomic, so threads may share");
        System.out.println("them; the JVM has no GIL, so nothing shared and mutable is safe without a tool. Confine state to");
        System.out.println("one thread when you can, use LongAdder or AtomicLong for counters, a lock when several fields change");
        System.out.println("together, and concurrent collections for shared ones. More: notebooks/07-shared-state.ipynb.");
        return 0;
    }

    private static long mostLost(ContentionResult result, String strategy) {
        return result.runList().stream().filter(r -> r.strategy().equals(strategy))
                .mapToLong(ContentionRun::lost).max().orElse(0);
    }
}
