///usr/bin/env jbang "$0" "$@" ; exit $?
//SOURCES Workbook.java

import dev.workbook.experiment.Progress;
import dev.workbook.ipc.bench.IpcBench;
import dev.workbook.measure.MachineFacts;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tech.tablesaw.api.Table;

/**
 * How this machine moves messages between processes: a quick pass of the IPC benchmark (round-trip
 * latency and one-way rate of SharedQueue, spinning and by default, a Pipe's round trip, and
 * CPython's multiprocessing.Queue when python3 is there).
 */
@Command(name = "ipc-bench", mixinStandardHelpOptions = true,
        description = "A quick IPC benchmark: SharedQueue (spin and default), Pipe, and CPython's Queue if python3 is there.")
public class IpcBenchQuick implements Callable<Integer> {

    @Option(names = "--round-trips", description = "Timed round trips per row (default ${DEFAULT-VALUE}), after half as many untimed.")
    int roundTrips = 20_000;

    @Option(names = "--messages", description = "Messages per one-way row (default ${DEFAULT-VALUE}).")
    int messages = 1_000_000;

    @Option(names = "--no-python", description = "Leave out CPython's rows.")
    boolean noPython;

    public static void main(String... args) {
        System.exit(new CommandLine(new IpcBenchQuick()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (roundTrips < 1 || messages < 2) {
            throw new CommandLine.ParameterException(new CommandLine(this),
                    "--round-trips must be at least 1 and --messages at least 2");
        }
        String loadBefore = MachineFacts.loadAverage();
        Table table = IpcBench.quick().roundTrips(roundTrips / 2, roundTrips).oneWayMessages(messages)
                .python(!noPython).progress(Progress.auto()).run();
        System.out.println();
        System.out.print(MachineFacts.current());
        System.out.println("load average: " + loadBefore + " before, " + MachineFacts.loadAverage() + " after");
        System.out.println();
        System.out.println(table.print());
        System.out.println();
        System.out.println("How to read it: p50 is the typical round trip, p99 the slow tail (a process descheduled,");
        System.out.println("a page fault, a GC); msgs_per_sec is the one-way rate. Each Java row ran between two worker");
        System.out.println("JVMs, not pinned to cores, so the figures move with the machine's load. The full, pinned");
        System.out.println("benchmark is IpcBenchmark in the benchmarks module (docs/ipc.md).");

        double javaRoundTrip = figure(table, "java SharedQueue", "round trip", "backoff", "p50_us");
        double pythonRoundTrip = figure(table, "python Queue", "round trip", "", "p50_us");
        double javaRate = figure(table, "java SharedQueue", "one-way", "backoff", "msgs_per_sec");
        double pythonRate = figure(table, "python Queue", "one-way", "", "msgs_per_sec");
        if (!Double.isNaN(javaRoundTrip) && !Double.isNaN(pythonRoundTrip)) {
            System.out.println();
            System.out.println("What the JVM adds (this run, SharedQueue with default waiting against CPython's multiprocessing.Queue):");
            System.out.printf(Locale.ROOT, "- round trip p50: %.2f us against %.2f us, %s;%n", javaRoundTrip, pythonRoundTrip,
                    ratio(pythonRoundTrip / javaRoundTrip, "SharedQueue"));
            System.out.printf(Locale.ROOT, "- one way: %,.0f messages a second against %,.0f, %s.%n", javaRate, pythonRate,
                    ratio(javaRate / pythonRate, "SharedQueue"));
            System.out.println("CPython's queue pickles each message and writes it to a pipe from a feeder thread;");
            System.out.println("SharedQueue copies it into memory that both processes map.");
        }
        return 0;
    }

    /** "SharedQueue 12 times as fast", or "SharedQueue 3.1 times slower" when the factor is below 1. */
    private static String ratio(double factor, String who) {
        return factor >= 1 ? String.format(Locale.ROOT, "%s %.0f times as fast", who, factor)
                : String.format(Locale.ROOT, "%s %.1f times slower", who, 1 / factor);
    }

    /** The figure in {@code column} of the row with this transport, shape and waiting; NaN if there is none. */
    private static double figure(Table table, String transport, String shape, String waiting, String column) {
        for (int row = 0; row < table.rowCount(); row++) {
            if (table.stringColumn("transport").get(row).equals(transport) && table.stringColumn("shape").get(row).equals(shape)
                    && table.stringColumn("waiting").get(row).equals(waiting) && !table.column(column).isMissing(row)) {
                return table.numberColumn(column).getDouble(row);
            }
        }
        return Double.NaN;
    }
}
