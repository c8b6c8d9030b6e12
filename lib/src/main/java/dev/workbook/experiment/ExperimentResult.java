package dev.workbook.experiment;

import dev.workbook.measure.MachineFacts;
import dev.workbook.report.ChartImages;
import dev.workbook.report.ResultsCsv;
import dev.workbook.report.Tables;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.XYChart;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * The timings of an {@link Experiment}: every run, a summary per strategy and worker count, and charts.
 *
 * <p>Columns, in both tables: {@code strategy}, {@code workers}, {@code wall_s} (elapsed seconds),
 * {@code cpu_s} (user + system seconds of this JVM and its child processes), {@code cpu_pct} (as
 * {@code time} prints it: 100 is one core busy throughout), {@code speedup} (the sequential median
 * wall time divided by this wall time) and {@code efficiency} (speedup per worker: 1.0 is perfect
 * scaling). The summary reports the median of the runs, with {@code wall_min_s}, {@code wall_max_s}
 * and {@code spread_pct} ((max - min) / median) to show how noisy they were, and a {@code note} for
 * strategies that were skipped.
 *
 * <p>Immutable; every table it returns is a fresh copy.
 */
public final class ExperimentResult {

    /** The name of the strategy every speedup is measured against. */
    public static final String BASELINE = "sequential";

    /** A strategy that could not run, and why. */
    public record Skipped(String strategy, String reason) {
    }

    private final String workload;
    private final int tasks;
    private final MachineFacts facts;
    private final List<Run> runs;
    private final List<Timeline> timelines;
    private final List<Skipped> skipped;

    ExperimentResult(String workload, int tasks, MachineFacts facts, List<Run> runs, List<Timeline> timelines,
            List<Skipped> skipped) {
        this.workload = workload;
        this.tasks = tasks;
        this.facts = facts;
        this.runs = List.copyOf(runs);
        this.timelines = List.copyOf(timelines);
        this.skipped = List.copyOf(skipped);
    }

    /** The workload's name. */
    public String workload() {
        return workload;
    }

    /** How many tasks the workload had. */
    public int tasks() {
        return tasks;
    }

    /** The machine and JVM the experiment ran on. */
    public MachineFacts facts() {
        return facts;
    }

    /** Every timed run, in the order they ran. */
    public List<Run> runList() {
        return runs;
    }

    /** The strategies that were skipped, with the reason. */
    public List<Skipped> skipped() {
        return skipped;
    }

    /** The median wall time in seconds of a strategy at a worker count, if it ran. */
    public OptionalDouble medianWallSeconds(String strategy, int workers) {
        double[] walls = runs.stream()
                .filter(r -> r.strategy().equals(strategy) && r.workers() == workers)
                .mapToDouble(Run::wallSeconds)
                .toArray();
        return walls.length == 0 ? OptionalDouble.empty() : OptionalDouble.of(median(walls));
    }

    /**
     * The run of a strategy at a worker count whose wall time is the median (the lower middle one for
     * an even number of runs): a real run, with its own CPU time, where {@link #medianWallSeconds}
     * averages the middle two.
     */
    public Optional<Run> medianRun(String strategy, int workers) {
        List<Run> sorted = runs.stream()
                .filter(r -> r.strategy().equals(strategy) && r.workers() == workers)
                .sorted(Comparator.comparingLong(Run::wallNanos))
                .toList();
        return sorted.isEmpty() ? Optional.empty() : Optional.of(sorted.get((sorted.size() - 1) / 2));
    }

    /** What ran where and when in every timed run, in the order the runs ran (one per {@link Run}). */
    public List<Timeline> timelines() {
        return timelines;
    }

    /**
     * The timeline of the {@linkplain #medianRun median run} of a strategy at a worker count.
     *
     * @throws IllegalArgumentException if the experiment has no run of that strategy with that many workers
     */
    public Timeline timeline(String strategy, int workers) {
        Run median = medianRun(strategy, workers).orElseThrow(() -> new IllegalArgumentException(
                "no run of strategy '" + strategy + "' with " + workers + " worker(s); the runs are of "
                        + runs.stream().map(r -> r.strategy() + " x" + r.workers()).distinct().toList()));
        return timelines.stream()
                .filter(t -> t.strategy().equals(strategy) && t.workers() == workers && t.run() == median.index())
                .findFirst().orElseThrow();
    }

    /**
     * A chart of which worker ran each task when, in the median run of each strategy named, side by side on
     * one time scale (each run's start at 0): a row per worker, a bar per task. Strategies that do not scale
     * with workers (the sequential baseline) are drawn with the worker count they ran with.
     *
     * @throws IllegalArgumentException if a strategy has no run with that many workers (or, for one that does
     *                                  not scale, at all)
     */
    public XYChart timelineChart(int workers, String... strategies) {
        List<Timeline> chosen = new ArrayList<>();
        for (String strategy : strategies) {
            int count = runs.stream().anyMatch(r -> r.strategy().equals(strategy) && r.workers() == workers)
                    ? workers
                    : runs.stream().filter(r -> r.strategy().equals(strategy)).mapToInt(Run::workers).findFirst()
                            .orElse(workers);
            chosen.add(timeline(strategy, count));
        }
        return ExperimentCharts.timelines("Who ran what, when: " + workload, chosen);
    }

    /**
     * Amdahl's law fitted to a strategy's speedups at every worker count it ran with (a sweep, such as
     * {@link Experiment#workersUpTo}).
     *
     * @throws IllegalArgumentException if the strategy never ran with more than one worker
     */
    public AmdahlFit amdahlFit(String strategy) {
        return amdahlFit(strategy, Integer.MAX_VALUE);
    }

    /**
     * Amdahl's law fitted to a strategy's speedups at the worker counts up to {@code maxWorkers}: past the
     * core count, workers share cores, which the law does not model.
     *
     * @throws IllegalArgumentException if the strategy never ran with more than one worker up to that count
     */
    public AmdahlFit amdahlFit(String strategy, int maxWorkers) {
        List<AmdahlFit.Point> points = runs.stream()
                .filter(r -> r.strategy().equals(strategy) && r.workers() <= maxWorkers)
                .map(Run::workers).distinct().sorted()
                .map(w -> new AmdahlFit.Point(w, speedup(strategy, w).orElseThrow()))
                .toList();
        if (points.isEmpty()) {
            throw new IllegalArgumentException("no run of strategy '" + strategy + "'; the strategies that ran are "
                    + runs.stream().map(Run::strategy).distinct().toList());
        }
        return AmdahlFit.of(points);
    }

    /**
     * The measured speedups of each strategy named, the Amdahl curve fitted to each, and the ideal line, on
     * one chart (see {@link #amdahlFit}).
     */
    public XYChart amdahlChart(String... strategies) {
        return amdahlChart(Integer.MAX_VALUE, strategies);
    }

    /** {@link #amdahlChart(String...)} over the worker counts up to {@code maxWorkers}. */
    public XYChart amdahlChart(int maxWorkers, String... strategies) {
        Map<String, AmdahlFit> fits = new LinkedHashMap<>();
        for (String strategy : strategies) {
            fits.put(strategy, amdahlFit(strategy, maxWorkers));
        }
        return ExperimentCharts.amdahl("Amdahl's law fitted: " + workload, fits);
    }

    /** The median wall time of the sequential baseline, in seconds. */
    public double baselineWallSeconds() {
        return medianWallSeconds(BASELINE, 1).orElseThrow(
                () -> new IllegalStateException("the experiment has no sequential run to compare with"));
    }

    /** The speedup of a strategy at a worker count over the sequential baseline, by medians. */
    public OptionalDouble speedup(String strategy, int workers) {
        OptionalDouble wall = medianWallSeconds(strategy, workers);
        return wall.isPresent() ? OptionalDouble.of(baselineWallSeconds() / wall.getAsDouble()) : wall;
    }

    /** One row per timed run. */
    public Table runs() {
        double baseline = baselineWallSeconds();
        StringColumn strategy = StringColumn.create("strategy");
        IntColumn workers = IntColumn.create("workers");
        IntColumn index = IntColumn.create("run");
        DoubleColumn wall = DoubleColumn.create("wall_s");
        DoubleColumn cpu = DoubleColumn.create("cpu_s");
        DoubleColumn cpuPct = DoubleColumn.create("cpu_pct");
        DoubleColumn speedup = DoubleColumn.create("speedup");
        DoubleColumn efficiency = DoubleColumn.create("efficiency");
        for (Run run : runs) {
            strategy.append(run.strategy());
            workers.append(run.workers());
            index.append(run.index());
            wall.append(run.wallSeconds());
            cpu.append(run.cpuSeconds());
            cpuPct.append(run.cpuPercent());
            speedup.append(baseline / run.wallSeconds());
            efficiency.append(baseline / run.wallSeconds() / run.workers());
        }
        Table table = Table.create(title("runs"), strategy, workers, index, wall, cpu, cpuPct, speedup, efficiency);
        return Tables.readable(table);
    }

    /** One row per strategy and worker count: medians and spread; skipped strategies with their reason. */
    public Table summary() {
        double baseline = baselineWallSeconds();
        StringColumn strategy = StringColumn.create("strategy");
        IntColumn workers = IntColumn.create("workers");
        IntColumn count = IntColumn.create("runs");
        DoubleColumn wall = DoubleColumn.create("wall_s");
        DoubleColumn wallMin = DoubleColumn.create("wall_min_s");
        DoubleColumn wallMax = DoubleColumn.create("wall_max_s");
        DoubleColumn spread = DoubleColumn.create("spread_pct");
        DoubleColumn cpu = DoubleColumn.create("cpu_s");
        DoubleColumn cpuPct = DoubleColumn.create("cpu_pct");
        DoubleColumn speedup = DoubleColumn.create("speedup");
        DoubleColumn efficiency = DoubleColumn.create("efficiency");
        StringColumn note = StringColumn.create("note");

        Map<String, List<Run>> groups = new LinkedHashMap<>();
        for (Run run : runs) {
            groups.computeIfAbsent(run.strategy() + "\u0000" + run.workers(), k -> new ArrayList<>()).add(run);
        }
        for (List<Run> group : groups.values()) {
            double[] walls = group.stream().mapToDouble(Run::wallSeconds).toArray();
            double[] cpus = group.stream().mapToDouble(Run::cpuSeconds).toArray();
            double[] cpuPcts = group.stream().mapToDouble(Run::cpuPercent).toArray();
            double medianWall = median(walls);
            double min = Arrays.stream(walls).min().orElseThrow();
            double max = Arrays.stream(walls).max().orElseThrow();
            Run first = group.get(0);
            strategy.append(first.strategy());
            workers.append(first.workers());
            count.append(group.size());
            wall.append(medianWall);
            wallMin.append(min);
            wallMax.append(max);
            spread.append(100 * (max - min) / medianWall);
            cpu.append(median(cpus));
            cpuPct.append(median(cpuPcts));
            speedup.append(baseline / medianWall);
            efficiency.append(baseline / medianWall / first.workers());
            note.append("");
        }
        for (Skipped skip : skipped) {
            strategy.append(skip.strategy());
            workers.appendMissing();
            count.append(0);
            for (DoubleColumn column : List.of(wall, wallMin, wallMax, spread, cpu, cpuPct, speedup, efficiency)) {
                column.appendMissing();
            }
            note.append("skipped: " + skip.reason());
        }
        Table table = Table.create(title("summary"), strategy, workers, count, wall, wallMin, wallMax, spread,
                cpu, cpuPct, speedup, efficiency, note);
        return Tables.readable(table);
    }

    /** Median wall time per strategy and worker count, as bars. */
    public CategoryChart wallTimeChart() {
        return ExperimentCharts.wallTime(summary());
    }

    /** Speedup against worker count per strategy, with the ideal (speedup = workers) line. */
    public XYChart speedupChart() {
        return ExperimentCharts.speedup(summary());
    }

    /** CPU% per strategy and worker count, as bars. */
    public CategoryChart cpuChart() {
        return ExperimentCharts.cpuPercent(summary());
    }

    /**
     * Writes {@code summary.csv} and {@code runs.csv} (with the machine's facts in every row) and the
     * three charts as PNG and SVG into {@code directory}, creating it if needed. Each file is written
     * to a temporary name first and renamed, so no half-written file is left under the final name.
     *
     * @return the files written
     */
    public List<Path> save(Path directory) throws IOException {
        Files.createDirectories(directory);
        List<Path> written = new ArrayList<>();
        written.add(ResultsCsv.write(summary(), facts, directory.resolve("summary.csv")));
        written.add(ResultsCsv.write(runs(), facts, directory.resolve("runs.csv")));
        Map<String, org.knowm.xchart.internal.chartpart.Chart<?, ?>> charts = new LinkedHashMap<>();
        charts.put("wall-time", wallTimeChart());
        charts.put("speedup", speedupChart());
        charts.put("cpu", cpuChart());
        for (var chart : charts.entrySet()) {
            written.add(ChartImages.writePng(chart.getValue(), directory.resolve(chart.getKey() + ".png")));
            written.add(ChartImages.writeSvg(chart.getValue(), directory.resolve(chart.getKey() + ".svg")));
        }
        return written;
    }

    /** The summary as a text table. */
    @Override
    public String toString() {
        return summary().print();
    }

    private String title(String what) {
        return workload + " (" + tasks + " tasks), " + what + ", " + facts.cores() + " cores";
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
