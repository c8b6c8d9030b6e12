package dev.workbook.experiment;

import dev.workbook.gil.GilHolds;
import dev.workbook.report.Charts;
import java.awt.BasicStroke;
import java.awt.Color;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import tech.tablesaw.api.Table;

/**
 * The experiment's charts: wall time, CPU% and speedup of a summary table (as
 * {@link ExperimentResult#summary()} returns, or {@code ResultsCsv.read} loads from another machine's
 * run), so the same charts can be drawn for saved results. Rows without a wall time (skipped
 * strategies) are left out. Drawn in the style of {@link Charts}.
 */
public final class ExperimentCharts {

    private static final BasicStroke DASHED = new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER,
            10f, new float[] {6f, 4f}, 0f);

    private ExperimentCharts() {
    }

    /** Median wall time of each strategy and worker count, as bars. */
    public static CategoryChart wallTime(Table summary) {
        CategoryChart chart = Charts.bars(title(summary, "Wall time"), "seconds (median)", labels(summary),
                values(summary, "wall_s"));
        chart.getStyler().setDecimalPattern("#,##0.000");
        return chart;
    }

    /** CPU% of each strategy and worker count, as bars: 100% is one core busy for the whole run. */
    public static CategoryChart cpuPercent(Table summary) {
        CategoryChart chart = Charts.bars(title(summary, "CPU use"), "CPU % (100 = one busy core)", labels(summary),
                values(summary, "cpu_pct"));
        chart.getStyler().setDecimalPattern("#,##0");
        return chart;
    }

    /**
     * Speedup over the sequential run against worker count, one line per strategy, and the ideal
     * line where the speedup equals the number of workers.
     */
    public static XYChart speedup(Table summary) {
        XYChart chart = Charts.lines(title(summary, "Speedup over sequential"), "workers", "speedup (x)");
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        chart.getStyler().setXAxisDecimalPattern("0");

        Map<String, List<double[]>> points = new LinkedHashMap<>();
        double maxWorkers = 1;
        for (int row : measuredRows(summary)) {
            double workers = summary.intColumn("workers").get(row);
            points.computeIfAbsent(summary.stringColumn("strategy").get(row), k -> new ArrayList<>())
                    .add(new double[] {workers, summary.numberColumn("speedup").getDouble(row)});
            maxWorkers = Math.max(maxWorkers, workers);
        }
        XYSeries ideal = chart.addSeries("ideal (speedup = workers)", new double[] {1, maxWorkers},
                new double[] {1, maxWorkers});
        ideal.setLineStyle(DASHED);
        ideal.setLineColor(Color.GRAY);
        ideal.setMarker(SeriesMarkers.NONE);
        for (var entry : points.entrySet()) {
            List<double[]> xy = entry.getValue();
            double[] x = xy.stream().mapToDouble(p -> p[0]).toArray();
            double[] y = xy.stream().mapToDouble(p -> p[1]).toArray();
            chart.addSeries(entry.getKey(), x, y).setMarker(SeriesMarkers.CIRCLE);
        }
        chart.getStyler().setXAxisMin(1.0);
        chart.getStyler().setYAxisMin(0.0);
        return chart;
    }

    /**
     * A Gantt-style chart of timed runs side by side on one time scale: a row per worker (grouped by run,
     * top to bottom in the order given), time since each run's start on the x axis, and a bar per task in
     * the run's colour. Back-to-back tasks on one worker are drawn with a hairline gap so each bar can be
     * told apart; the gap is at most a fifth of the task, and 0.3% of the axis.
     *
     * <p>A run that recorded a simulated GIL's holds ({@link Timeline#hasGilHolds()}) gets one more row, above
     * its threads: the strip of who held the lock, when, in the holder's colour, and each of its threads' bars
     * in that thread's colour. A thread's bar spans its whole task, waits for the lock included; the strip shows
     * that one colour at a time computes.
     *
     * @throws IllegalArgumentException if no timeline is given
     */
    public static XYChart timelines(String title, List<Timeline> timelines) {
        if (timelines.isEmpty()) {
            throw new IllegalArgumentException("no timelines to chart: pass at least one (ExperimentResult.timeline)");
        }
        List<String> rowLabels = new ArrayList<>();
        for (Timeline timeline : timelines) {
            if (timeline.hasGilHolds()) {
                rowLabels.add(timeline.strategy() + " · GIL held by");
            }
            for (String worker : timeline.workerNames()) {
                rowLabels.add(timeline.strategy() + " · " + shortWorkerName(timeline, worker));
            }
        }
        int rows = rowLabels.size();
        int rowPixels = Math.max(14, Math.min(34, 420 / Math.max(1, rows)));
        int height = Math.max(Charts.HEIGHT / 2, 140 + rows * rowPixels);
        XYChart chart = Charts.lines(title, "seconds since the run started", "", height);
        chart.getStyler().setLegendVisible(false); // each row's label names its strategy, in the bars' colour order
        chart.getStyler().setYAxisMin(0.4);
        chart.getStyler().setYAxisMax(rows + 0.6);
        chart.getStyler().setYAxisTickMarkSpacingHint(Math.max(10, rowPixels - 4));
        chart.getStyler().setPlotGridHorizontalLinesVisible(false);
        chart.getStyler().setXAxisMin(0.0);
        // Rows are numbered 1 (bottom) to rows (top). XChart widens its tick spacing until every tick label
        // differs from the others (and never ends if they cannot), so each tick that is not a row gets a blank
        // label of its own: its value in tenths, spelt in three kinds of space, a few pixels wide.
        chart.setCustomYAxisTickLabelsFormatter(y -> {
            long row = Math.round(y);
            return Math.abs(y - row) < 1e-6 && row >= 1 && row <= rows ? rowLabels.get((int) (rows - row))
                    : blankLabel(Math.round(y * 10));
        });
        double longest = timelines.stream().mapToLong(Timeline::wallNanos).max().orElse(1) / 1e9;
        double gap = longest * 0.003;
        BasicStroke bar = new BasicStroke(rowPixels * 0.6f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER);
        int row = 0;
        int colour = 0;
        for (Timeline timeline : timelines) {
            List<String> workers = timeline.workerNames();
            String name = String.format("%s x%d: %.3f s", timeline.strategy(), timeline.workers(),
                    timeline.wallNanos() / 1e9);
            if (!timeline.hasGilHolds()) {
                Bars bars = new Bars();
                for (TaskSpan span : timeline.spans()) {
                    bars.add(timeline, span.startNanos(), span.endNanos(), rows - row - workers.indexOf(span.worker()),
                            gap);
                }
                bars.draw(chart, name, bar, Charts.paletteColor(colour++));
                row += workers.size();
                continue;
            }
            // One colour per thread, shared by its bars and its stretches in the strip above them.
            double strip = rows - row;
            row++;
            List<String> threads = new ArrayList<>(workers);
            timeline.gilHolds().stream().map(GilHolds.Hold::thread).filter(t -> !threads.contains(t))
                    .forEach(threads::add);
            for (int t = 0; t < threads.size(); t++) {
                String thread = threads.get(t);
                double level = rows - row - workers.indexOf(thread);
                Bars tasks = new Bars();
                timeline.spans().stream().filter(s -> s.worker().equals(thread)).forEach(span -> tasks.add(timeline,
                        span.startNanos(), span.endNanos(), level, gap));
                Bars holds = new Bars();
                timeline.gilHolds().stream().filter(h -> h.thread().equals(thread))
                        .forEach(hold -> holds.add(timeline, hold.startNanos(), hold.endNanos(), strip, 0));
                Color color = Charts.paletteColor(colour + t);
                String who = shortWorkerName(timeline, thread);
                tasks.draw(chart, name + " · tasks of " + who, bar, color);
                holds.draw(chart, name + " · GIL held by " + who, bar, color);
            }
            colour += threads.size();
            row += workers.size();
        }
        return chart;
    }

    /** A label that shows nothing and differs for every {@code value}: the value in base 3, digits as spaces. */
    static String blankLabel(long value) {
        String[] digits = {" ", "\u2009", "\u200A"}; // space, thin space, hair space
        StringBuilder label = new StringBuilder(value < 0 ? "\u2009\u2009" : " ");
        long rest = Math.abs(value);
        do {
            label.append(digits[(int) (rest % 3)]);
            rest /= 3;
        } while (rest > 0);
        return label.toString();
    }

    /** "2" rather than "threads-2": pools name their workers after themselves, and the row names the strategy. */
    private static String shortWorkerName(Timeline timeline, String worker) {
        String prefix = timeline.strategy() + "-";
        return worker.startsWith(prefix) && worker.length() > prefix.length() ? worker.substring(prefix.length())
                : worker;
    }

    /** The bars of one series: a line from start to end on one row each, broken between bars. */
    private static final class Bars {
        private final List<Double> x = new ArrayList<>();
        private final List<Double> y = new ArrayList<>();

        /** A bar from {@code startNanos} to {@code endNanos}, shortened by up to {@code gap} seconds at its end. */
        void add(Timeline timeline, long startNanos, long endNanos, double level, double gap) {
            double start = (startNanos - timeline.startNanos()) / 1e9;
            double end = (endNanos - timeline.startNanos()) / 1e9;
            x.add(start);
            y.add(level);
            x.add(Math.max(start, end - Math.min(gap, (end - start) / 5)));
            y.add(level);
            x.add(null); // breaks the line: one bar each
            y.add(null);
        }

        void draw(XYChart chart, String name, BasicStroke stroke, Color color) {
            if (x.isEmpty()) {
                return; // XChart refuses a series without points
            }
            while (chart.getSeriesMap().containsKey(name)) {
                name += " (again)";
            }
            XYSeries series = chart.addSeries(name, x, y);
            series.setMarker(SeriesMarkers.NONE);
            series.setLineStyle(stroke);
            series.setLineColor(color);
        }
    }

    /**
     * Measured speedups as points, the speedup Amdahl's law predicts with each fitted serial fraction as a
     * line in the same colour, and the ideal line (speedup = workers), dashed.
     *
     * @throws IllegalArgumentException if no fit is given
     */
    public static XYChart amdahl(String title, Map<String, AmdahlFit> fits) {
        if (fits.isEmpty()) {
            throw new IllegalArgumentException("no fits to chart: pass at least one (ExperimentResult.amdahlFit)");
        }
        XYChart chart = Charts.lines(title, "workers", "speedup (x)");
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        chart.getStyler().setXAxisDecimalPattern("0");
        int maxWorkers = fits.values().stream().flatMap(f -> f.points().stream())
                .mapToInt(AmdahlFit.Point::workers).max().orElse(1);
        XYSeries ideal = chart.addSeries("ideal (speedup = workers)", new double[] {1, maxWorkers},
                new double[] {1, maxWorkers});
        ideal.setLineStyle(DASHED);
        ideal.setLineColor(Color.GRAY);
        ideal.setMarker(SeriesMarkers.NONE);
        int steps = 50;
        int colour = 0;
        for (var entry : fits.entrySet()) {
            Color color = Charts.paletteColor(colour++);
            AmdahlFit fit = entry.getValue();
            double[] x = new double[steps + 1];
            double[] y = new double[steps + 1];
            for (int i = 0; i <= steps; i++) {
                x[i] = 1 + (maxWorkers - 1) * i / (double) steps;
                y[i] = fit.predictedSpeedup(x[i]);
            }
            XYSeries curve = chart.addSeries(String.format("%s: Amdahl, serial fraction %.3f", entry.getKey(),
                    fit.serialFraction()), x, y);
            curve.setMarker(SeriesMarkers.NONE);
            curve.setLineColor(color);
            XYSeries measured = chart.addSeries(entry.getKey() + ": measured",
                    fit.points().stream().mapToDouble(AmdahlFit.Point::workers).toArray(),
                    fit.points().stream().mapToDouble(AmdahlFit.Point::speedup).toArray());
            measured.setXYSeriesRenderStyle(org.knowm.xchart.XYSeries.XYSeriesRenderStyle.Scatter);
            measured.setMarker(SeriesMarkers.CIRCLE);
            measured.setMarkerColor(color);
        }
        chart.getStyler().setXAxisMin(1.0);
        chart.getStyler().setYAxisMin(0.0);
        return chart;
    }

    /** The numbers of the rows that have a wall time (a Tablesaw Row is a moving cursor, so not Rows). */
    private static List<Integer> measuredRows(Table summary) {
        Charts.requireColumn(summary, "strategy");
        Charts.requireColumn(summary, "workers");
        Charts.requireColumn(summary, "wall_s");
        List<Integer> rows = new ArrayList<>();
        for (int row = 0; row < summary.rowCount(); row++) {
            if (!summary.column("wall_s").isMissing(row)) {
                rows.add(row);
            }
        }
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("table '" + summary.name() + "' has no measured rows to chart");
        }
        return rows;
    }

    private static List<String> labels(Table summary) {
        List<String> labels = new ArrayList<>();
        for (int row : measuredRows(summary)) {
            String strategy = summary.stringColumn("strategy").get(row);
            labels.add(strategy.equals(ExperimentResult.BASELINE) ? strategy
                    : strategy + " x" + summary.intColumn("workers").get(row));
        }
        return labels;
    }

    private static List<Double> values(Table summary, String column) {
        Charts.requireColumn(summary, column);
        List<Double> values = new ArrayList<>();
        for (int row : measuredRows(summary)) {
            values.add(summary.numberColumn(column).getDouble(row));
        }
        return values;
    }

    private static String title(Table summary, String what) {
        String name = summary.name();
        int cut = name.indexOf(", summary");
        return cut > 0 ? what + ": " + name.substring(0, cut) : what;
    }
}
