///usr/bin/env jbang "$0" "$@" ; exit $?
//SOURCES Workbook.java

import dev.workbook.experiment.Experiment;
import dev.workbook.experiment.ExperimentResult;
import dev.workbook.experiment.Progress;
import dev.workbook.experiment.Strategies;
import dev.workbook.experiment.Strategy;
import dev.workbook.experiment.Workload;
import dev.workbook.measure.MachineFacts;
import dev.workbook.primes.PrimalityTest;
import dev.workbook.primes.PrimeNumbers;
import dev.workbook.report.Charts;
import dev.workbook.report.HtmlReport;
import dev.workbook.report.Tables;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * A shareable report without Jupyter: runs the lesson's key experiments on this machine (the prime
 * check under each strategy, a sweep of workers for the speedup chart, three algorithms) and writes
 * one self-contained HTML file with the machine's facts, the tables and the charts.
 */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Runs the lesson's experiments and writes them to one self-contained HTML file.")
public class Report implements Callable<Integer> {

    /** The algorithms' names on the chart, where the bars are narrow. */
    private static final java.util.Map<String, String> SHORT_NAMES = java.util.Map.of(
            PrimalityTest.TRIAL_DIVISION.label(), "trial division", PrimalityTest.WHEEL.label(), "6k±1",
            PrimalityTest.MILLER_RABIN.label(), "Miller–Rabin");

    /** Seconds the experiments should take at most, on any machine: the plan is sized to fit. */
    private static final double BUDGET_SECONDS = 70;

    @Option(names = "--out", description = "The HTML file to write (default ${DEFAULT-VALUE}).")
    Path out = Path.of("reports", "jbang-report.html");

    @Option(names = "--quick", description = "One timed run per measurement and no warm-up: a check that it all works, with noisier figures.")
    boolean quick;

    public static void main(String... args) {
        System.exit(new CommandLine(new Report()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        long started = System.nanoTime();
        String loadBefore = MachineFacts.loadAverage();
        int cores = Runtime.getRuntime().availableProcessors();
        Workload<Long, Boolean> lesson = Workload.primality("lesson's primes", PrimeNumbers.PRIMES, PrimalityTest.TRIAL_DIVISION);
        int[] sweep = sweepCounts(cores);

        // Size the plan to the machine: time the lesson's workload once (which also warms the JIT up).
        System.out.println("Timing the lesson's workload once, to size the experiments to this machine...");
        double sequential = Experiment.of(lesson).strategies(Strategies.sequential()).warmups(0).repeats(1)
                .progress(Progress.none()).run().baselineWallSeconds();
        int repeats = quick ? 1 : 3;
        while (repeats > 1 && estimate(sequential, cores, sweep, repeats) > BUDGET_SECONDS) {
            repeats--;
        }
        int warmups = quick ? 0 : 1;
        System.out.printf(Locale.ROOT, "The lesson's 65 numbers took %.2f s on one thread: %d timed run(s) per measurement,"
                + " about %.0f s in all.%n%n", sequential, repeats, estimate(sequential, cores, sweep, repeats));

        System.out.println("[1/3] The lesson's prime check under each strategy, " + cores + " workers");
        ExperimentResult strategies = Experiment.of(lesson).strategies(Strategies.lesson()).workers(cores)
                .warmups(warmups).repeats(repeats).progress(Progress.auto()).run();

        System.out.println("[2/3] Speedup against workers: " + join(sweep));
        List<Strategy> swept = List.of(Strategies.threads(), Strategies.threadsUnderGil(), Strategies.processes());
        ExperimentResult scaling = Experiment.of(lesson).strategies(swept).workers(sweep)
                .warmups(warmups).repeats(1).progress(Progress.auto()).run();

        System.out.println("[3/3] Three algorithms, one thread");
        List<Long> bigPrimes = PrimeNumbers.randomPrimes(100, 40, 2026);
        Table algorithms = algorithms(List.of(PrimeNumbers.PRIMES, bigPrimes),
                List.of("the lesson's 65 numbers", bigPrimes.size() + " random 40-bit primes"), warmups, repeats);

        double seconds = (System.nanoTime() - started) / 1e9;
        HtmlReport report = report(strategies, scaling, algorithms, cores, sweep, repeats, seconds, loadBefore);
        Path written = report.write(out);
        System.out.println();
        System.out.println(strategies.summary().print());
        System.out.printf(Locale.ROOT, "%nReport written to %s (%.0f s, load average %s before, %s after)%n",
                written.toAbsolutePath(), seconds, loadBefore, MachineFacts.loadAverage());
        return 0;
    }

    /** Worker counts for the sweep: every count up to twice the cores on a small machine, powers of two and the cores on a big one. */
    static int[] sweepCounts(int cores) {
        TreeSet<Integer> counts = new TreeSet<>();
        if (cores <= 4) {
            for (int w = 1; w <= 2 * cores; w++) {
                counts.add(w);
            }
        } else {
            for (int w = 1; w <= 2 * cores; w *= 2) {
                counts.add(w);
            }
            counts.add(cores);
            counts.add(2 * cores);
        }
        return counts.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * Roughly how long the plan takes, from one sequential pass of {@code t} seconds: experiment 1
     * (sequential, threads-gil at about t; threads, processes, parallel streams at t / cores),
     * experiment 2 (one warm-up and one run of threads and processes at t / min(w, cores) and
     * threads-gil at t for each w), experiment 3 (the three algorithms, about 1.8 t a round).
     */
    static double estimate(double t, int cores, int[] sweep, int repeats) {
        double rounds = 1 + repeats;
        double first = rounds * t * (2 + 3.0 / cores);
        double second = 2 * t;
        for (int w : sweep) {
            second += 2 * t * (1 + 2.0 / Math.min(w, cores));
        }
        return first + second + rounds * 1.8 * t;
    }

    /** Each algorithm on each list of numbers, one thread: median wall time, time per number, and how much faster than the lesson's algorithm. */
    static Table algorithms(List<List<Long>> workloads, List<String> names, int warmups, int repeats) throws Exception {
        StringColumn numbers = StringColumn.create("numbers");
        StringColumn algorithm = StringColumn.create("algorithm");
        DoubleColumn millis = DoubleColumn.create("wall_ms");
        DoubleColumn perNumber = DoubleColumn.create("us_per_number");
        DoubleColumn faster = DoubleColumn.create("x_faster_than_lesson");
        for (int i = 0; i < workloads.size(); i++) {
            List<Long> list = workloads.get(i);
            double lessonSeconds = Double.NaN;
            for (PrimalityTest test : PrimalityTest.values()) {
                double wall = Experiment.of(Workload.primality(test.label(), list, test))
                        .strategies(Strategies.sequential()).warmups(warmups).repeats(repeats)
                        .progress(Progress.none()).run().baselineWallSeconds();
                if (test == PrimalityTest.TRIAL_DIVISION) {
                    lessonSeconds = wall;
                }
                numbers.append(names.get(i));
                algorithm.append(test.label());
                millis.append(wall * 1e3);
                perNumber.append(wall / list.size() * 1e6);
                faster.append(lessonSeconds / wall);
                System.out.printf(Locale.ROOT, "  %s, %s: %.3f ms%n", test.label(), names.get(i), wall * 1e3);
            }
        }
        return Tables.readable(Table.create("three algorithms, one thread", numbers, algorithm, millis, perNumber, faster));
    }

    static HtmlReport report(ExperimentResult strategies, ExperimentResult scaling, Table algorithms, int cores,
                             int[] sweep, int repeats, double seconds, String loadBefore) throws Exception {
        HtmlReport report = new HtmlReport("Threads and processes on the JVM: the lesson's experiments on this machine");
        report.paragraph("The lesson checks 65 large numbers for primality with trial division, first on a thread pool"
                + " (CPython: 101% CPU, held to one core by the GIL), then on a process pool (389% CPU on four cores)."
                + " This report runs the same workload on this machine's JVM, then compares algorithms.");
        report.facts(strategies.facts());
        report.note(String.format(Locale.ROOT, "Made by ./jbang report in %.0f s; load average (1, 5, 15 min) %s before"
                + " and %s after. Each figure is the median of %d timed run(s) after the JIT warmed up; figures from a busy"
                + " machine are noisy, and figures from different machines are not comparable.",
                seconds, loadBefore, MachineFacts.loadAverage(), repeats));

        report.heading("1. The lesson's prime check under each strategy, " + cores + " workers");
        report.paragraph("Wall time is elapsed time; CPU time counts this JVM and its worker JVMs; CPU% is CPU time over"
                + " wall time as `time` prints it (100% is one busy core); speedup is the sequential time over this time.");
        report.table(strategies.summary());
        report.paragraph(lessonFindings(strategies, cores));
        report.chart(strategies.wallTimeChart());
        report.chart(strategies.cpuChart());

        report.heading("2. Speedup against workers, " + sweep[0] + " to " + sweep[sweep.length - 1]);
        report.paragraph("The same workload with more and more workers, up to twice the cores. The dashed line is the"
                + " ideal, where the speedup equals the number of workers; past " + cores + " workers there are no"
                + " more cores to use.");
        report.table(scaling.summary().retainColumns("strategy", "workers", "wall_s", "cpu_pct", "speedup", "efficiency", "note"));
        report.chart(scaling.speedupChart());

        report.heading("3. A better algorithm beats more cores");
        report.paragraph("Trial division tries every number up to the square root; the 6k±1 wheel skips multiples of"
                + " 2 and 3; Miller–Rabin does a few hundred modular multiplications however big the number. Each runs"
                + " on one thread; the answers are checked against the lesson's algorithm.");
        report.table(algorithms);
        report.paragraph(algorithmFindings(strategies, algorithms, cores));
        List<String> labels = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        for (int row = 0; row < algorithms.rowCount(); row++) {
            labels.add(SHORT_NAMES.get(algorithms.stringColumn("algorithm").get(row)) + ", "
                    + algorithms.stringColumn("numbers").get(row).replace("the lesson's", "lesson's")
                            .replace(" random ", " x ").replace(" primes", ""));
            // three significant digits: the bars are labelled with the value as given
            values.add(new java.math.BigDecimal(algorithms.doubleColumn("us_per_number").get(row))
                    .round(new java.math.MathContext(3)).doubleValue());
        }
        report.chart(Charts.logScale(Charts.bars("Time per number, one thread (log scale)", "microseconds per number",
                labels, values)));
        return report;
    }

    /** What the first experiment found, in numbers. */
    static String lessonFindings(ExperimentResult result, int cores) {
        StringBuilder text = new StringBuilder("Measured here:");
        for (String strategy : List.of("threads", "threads-gil", "processes", "parallel-streams", "virtual-threads")) {
            var speedup = result.speedup(strategy, cores);
            if (speedup.isEmpty()) {
                continue;
            }
            double cpu = cpuPercent(result, strategy, cores);
            text.append(String.format(Locale.ROOT, " %s %.2fx the sequential speed at %.0f%% CPU;", strategy,
                    speedup.getAsDouble(), cpu));
        }
        text.setLength(text.length() - 1);
        text.append(". JVM threads have no global lock: the thread pool can use every core, as the process pool does,"
                + " without starting JVMs; the simulated GIL (threads-gil) reproduces the lesson's thread-pool result.");
        return text.toString();
    }

    private static double cpuPercent(ExperimentResult result, String strategy, int workers) {
        Table summary = result.summary();
        for (int row = 0; row < summary.rowCount(); row++) {
            if (summary.stringColumn("strategy").get(row).equals(strategy) && !summary.intColumn("workers").isMissing(row)
                    && summary.intColumn("workers").get(row) == workers) {
                return summary.doubleColumn("cpu_pct").get(row);
            }
        }
        return Double.NaN;
    }

    /** What the third experiment found, set against the first. */
    static String algorithmFindings(ExperimentResult strategies, Table algorithms, int cores) {
        double millerRabin = Double.NaN;
        for (int row = 0; row < algorithms.rowCount(); row++) {
            if (algorithms.stringColumn("algorithm").get(row).equals(PrimalityTest.MILLER_RABIN.label())) {
                millerRabin = algorithms.doubleColumn("wall_ms").get(row) / 1e3;
                break; // the first list is the lesson's
            }
        }
        double threads = strategies.medianWallSeconds("threads", cores).orElse(Double.NaN);
        return String.format(Locale.ROOT, "On the lesson's numbers, Miller–Rabin on one thread took %.3f ms; trial division"
                + " on %d threads took %.1f ms, %.0f times as long. More cores divide the time by at most the number of"
                + " cores; a better algorithm divides it by a factor that grows with the size of the numbers.",
                millerRabin * 1e3, cores, threads * 1e3, threads / millerRabin);
    }

    private static String join(int[] counts) {
        StringBuilder text = new StringBuilder();
        for (int count : counts) {
            text.append(text.length() == 0 ? "" : ", ").append(count);
        }
        return text.append(" workers").toString();
    }
}
