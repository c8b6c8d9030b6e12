package dev.workbook.sharedstate;

import dev.workbook.report.Tables;
import java.awt.Color;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * The measurements of a {@link Contention} experiment (or of {@link CPythonSharedState},
 * {@link CrossProcessCounter}), as tables and a chart. Results of several sources are put in one table
 * with {@link #plus}.
 *
 * <p>Columns of {@link #table()}: {@code runtime} (JVM threads, CPython threads, JVM processes),
 * {@code strategy}, {@code tool}, {@code safe} (whether the tool is meant to be safe when shared),
 * {@code workers}, {@code expected} (items added in all), {@code final} (items really there, counted),
 * {@code lost} (expected minus final), {@code exceptions} (adds that threw), {@code wall_s} and
 * {@code ns_per_op} (wall time per item, all workers together), and a {@code note} when a collection's
 * {@code size()} disagrees with what it holds, runs differ, or a run did not finish. With several runs,
 * the counts ({@code final}, {@code lost}, {@code exceptions}, the size) are those of the run that lost
 * the most (one run that loses proves a tool unsafe; the others may just not have overlapped), and
 * the times are the median of the finished runs.
 *
 * <p>Immutable; every table it returns is a fresh copy.
 */
public final class ContentionResult {

    private final List<ContentionRun> runs;

    ContentionResult(List<ContentionRun> runs) {
        this.runs = List.copyOf(runs);
    }

    /** Every timed run, in the order they ran. */
    public List<ContentionRun> runList() {
        return runs;
    }

    /** These runs followed by {@code other}'s, for one table of several runtimes. */
    public ContentionResult plus(ContentionResult other) {
        List<ContentionRun> all = new ArrayList<>(runs);
        all.addAll(other.runs);
        return new ContentionResult(all);
    }

    /** One row per runtime, strategy and worker count: the run of median wall time, with notes. */
    public Table table() {
        StringColumn runtime = StringColumn.create("runtime");
        StringColumn strategy = StringColumn.create("strategy");
        StringColumn tool = StringColumn.create("tool");
        StringColumn safe = StringColumn.create("safe");
        IntColumn workers = IntColumn.create("workers");
        LongColumn expected = LongColumn.create("expected");
        LongColumn present = LongColumn.create("final");
        LongColumn lost = LongColumn.create("lost");
        LongColumn exceptions = LongColumn.create("exceptions");
        DoubleColumn wall = DoubleColumn.create("wall_s");
        DoubleColumn perOperation = DoubleColumn.create("ns_per_op");
        StringColumn note = StringColumn.create("note");
        for (List<ContentionRun> group : groups().values()) {
            ContentionRun median = medianRun(group);
            ContentionRun worst = worstRun(group);
            runtime.append(worst.runtime());
            strategy.append(worst.strategy());
            tool.append(worst.tool());
            safe.append(worst.threadSafe() ? "yes" : "no");
            workers.append(worst.workers());
            expected.append(worst.expected());
            present.append(worst.present());
            lost.append(worst.lost());
            exceptions.append(worst.exceptions());
            wall.append(median.wallSeconds());
            perOperation.append(median.nanosPerOperation());
            note.append(note(worst, group));
        }
        Table table = Table.create("shared state: items added by every worker at once, and what is left",
                runtime, strategy, tool, safe, workers, expected, present, lost, exceptions, wall, perOperation, note);
        return Tables.readable(table);
    }

    /**
     * Wall time per item against workers, one line per strategy, on a log scale (the tools differ by
     * orders of magnitude). Unfinished runs are left out.
     *
     * @throws IllegalStateException if no run finished
     */
    public XYChart nanosPerOperationChart() {
        Map<String, List<double[]>> points = new LinkedHashMap<>();
        double most = 1;
        for (List<ContentionRun> group : groups().values()) {
            ContentionRun median = medianRun(group);
            if (median.finished()) {
                points.computeIfAbsent(median.strategy(), k -> new ArrayList<>())
                        .add(new double[] {median.workers(), median.nanosPerOperation()});
                most = Math.max(most, median.workers());
            }
        }
        if (points.isEmpty()) {
            throw new IllegalStateException("no run finished, so there is nothing to chart");
        }
        XYChart chart = new XYChartBuilder().width(800).height(480)
                .title("Time per item against threads (" + Runtime.getRuntime().availableProcessors() + " cores)")
                .xAxisTitle("threads").yAxisTitle("ns per item, all threads together (log)").build();
        Styler styler = chart.getStyler();
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setPlotBackgroundColor(Color.WHITE);
        styler.setLegendPosition(Styler.LegendPosition.OutsideE);
        styler.setAntiAlias(true);
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setXAxisDecimalPattern("0");
        chart.getStyler().setXAxisMin(1.0);
        chart.getStyler().setXAxisMax(most);
        for (var entry : points.entrySet()) {
            double[] x = entry.getValue().stream().mapToDouble(p -> p[0]).toArray();
            double[] y = entry.getValue().stream().mapToDouble(p -> p[1]).toArray();
            chart.addSeries(entry.getKey(), x, y).setMarker(SeriesMarkers.CIRCLE);
        }
        return chart;
    }

    /** The table, as text. */
    @Override
    public String toString() {
        return table().print();
    }

    private Map<String, List<ContentionRun>> groups() {
        Map<String, List<ContentionRun>> groups = new LinkedHashMap<>();
        for (ContentionRun run : runs) {
            groups.computeIfAbsent(run.runtime() + "\u0000" + run.strategy() + "\u0000" + run.workers(),
                    k -> new ArrayList<>()).add(run);
        }
        return groups;
    }

    /** The finished run of median wall time, or an unfinished one if none finished. */
    private static ContentionRun medianRun(List<ContentionRun> group) {
        List<ContentionRun> finished = group.stream().filter(ContentionRun::finished)
                .sorted(Comparator.comparingLong(ContentionRun::wallNanos)).toList();
        return finished.isEmpty() ? group.get(0) : finished.get(finished.size() / 2);
    }

    /** The finished run that lost the most (then threw the most), or an unfinished one if none finished. */
    private static ContentionRun worstRun(List<ContentionRun> group) {
        return group.stream().filter(ContentionRun::finished)
                .max(Comparator.comparingLong(ContentionRun::lost).thenComparingLong(ContentionRun::exceptions))
                .orElse(group.get(0));
    }

    private static String note(ContentionRun shown, List<ContentionRun> group) {
        List<String> notes = new ArrayList<>();
        long unfinished = group.stream().filter(r -> !r.finished()).count();
        if (unfinished > 0) {
            notes.add(unfinished + " of " + group.size() + " runs did not finish in time (a worker kept running)");
        }
        if (shown.finished() && shown.reported() != shown.present()) {
            notes.add(String.format(Locale.ROOT, "says it holds %,d", shown.reported()));
        }
        long leastLost = group.stream().filter(ContentionRun::finished).mapToLong(ContentionRun::lost).min().orElse(0);
        long mostLost = group.stream().filter(ContentionRun::finished).mapToLong(ContentionRun::lost).max().orElse(0);
        if (leastLost != mostLost) {
            notes.add(String.format(Locale.ROOT, "lost %,d to %,d over %d runs", leastLost, mostLost, group.size()));
        }
        return String.join("; ", notes);
    }
}
