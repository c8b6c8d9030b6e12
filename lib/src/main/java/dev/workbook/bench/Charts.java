package dev.workbook.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import tech.tablesaw.api.NumericColumn;
import tech.tablesaw.api.Table;

/**
 * XChart charts of experiment tables. Each chart is built from a summary table (as
 * {@link ExperimentResult#summary()} returns, or {@link ResultsCsv#read} loads from another machine's
 * run), so the same charts can be drawn for saved results. Rows without a wall time (skipped
 * strategies) are left out.
 *
 * <p>Render them with {@link ChartImages}; in a notebook, displaying a chart shows it.
 */
public final class Charts {

    /** Default chart size in pixels. */
    public static final int WIDTH = 800;
    public static final int HEIGHT = 480;

    /**
     * Okabe and Ito's palette, which stays distinguishable for the common kinds of colour blindness
     * (their yellow is left out: it is hard to see on white).
     */
    private static final Color[] PALETTE = {
        new Color(0x0072B2), new Color(0xD55E00), new Color(0x009E73), new Color(0xE69F00),
        new Color(0xCC79A7), new Color(0x56B4E9), new Color(0x000000)};

    private static final BasicStroke DASHED = new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER,
            10f, new float[] {6f, 4f}, 0f);

    private Charts() {
    }

    /** Median wall time of each strategy and worker count, as bars. */
    public static CategoryChart wallTime(Table summary) {
        CategoryChart chart = bars(title(summary, "Wall time"), "seconds (median)", labels(summary),
                values(summary, "wall_s"));
        chart.getStyler().setDecimalPattern("#,##0.000");
        return chart;
    }

    /** CPU% of each strategy and worker count, as bars: 100% is one core busy for the whole run. */
    public static CategoryChart cpuPercent(Table summary) {
        CategoryChart chart = bars(title(summary, "CPU use"), "CPU % (100 = one busy core)", labels(summary),
                values(summary, "cpu_pct"));
        chart.getStyler().setDecimalPattern("#,##0");
        return chart;
    }

    /**
     * Speedup over the sequential run against worker count, one line per strategy, and the ideal
     * line where the speedup equals the number of workers.
     */
    public static XYChart speedup(Table summary) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT)
                .title(title(summary, "Speedup over sequential"))
                .xAxisTitle("workers").yAxisTitle("speedup (x)").build();
        style(chart.getStyler());
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
     * A bar chart of one value per label, for any table of results (for example seconds per
     * algorithm). Pass it to {@link #logScale} for values that span orders of magnitude.
     *
     * @throws IllegalArgumentException if there are no bars or the lists differ in length
     */
    public static CategoryChart bars(String title, String yAxisTitle, List<String> labels, List<? extends Number> values) {
        if (labels.isEmpty() || labels.size() != values.size()) {
            throw new IllegalArgumentException("a bar chart needs one value per label and at least one bar; got "
                    + labels.size() + " labels and " + values.size() + " values");
        }
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT)
                .title(title).yAxisTitle(yAxisTitle).build();
        style(chart.getStyler());
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setLabelsVisible(true);
        chart.getStyler().setDecimalPattern("#,##0.##");
        // Slant the labels when they would not fit side by side (about 9 pixels a character).
        if (labels.size() > 5 || labels.stream().mapToInt(String::length).max().orElse(0) * 9 > WIDTH / labels.size()) {
            chart.getStyler().setXAxisLabelRotation(30);
        }
        // As doubles: XChart's log-axis labels cast every value to Double, so a List<Long> would fail to draw.
        List<Double> asDoubles = values.stream().map(Number::doubleValue).toList();
        chart.addSeries(yAxisTitle, new ArrayList<>(labels), asDoubles);
        return chart;
    }

    /**
     * A bar chart of one numeric column against a label column of a table.
     *
     * @throws IllegalArgumentException if a column is missing or not numeric
     */
    public static CategoryChart bars(String title, String yAxisTitle, Table table, String labelColumn,
            String valueColumn) {
        requireColumn(table, labelColumn);
        requireColumn(table, valueColumn);
        if (!(table.column(valueColumn) instanceof NumericColumn<?> numbers)) {
            throw new IllegalArgumentException("column '" + valueColumn + "' is not numeric: it is "
                    + table.column(valueColumn).type());
        }
        List<String> labels = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        for (int i = 0; i < table.rowCount(); i++) {
            labels.add(table.column(labelColumn).getString(i));
            values.add(numbers.getDouble(i));
        }
        return bars(title, yAxisTitle, labels, values);
    }

    /**
     * Puts the chart's y axis on a log scale from the power of ten below its smallest value to the one
     * above its largest, for values that span orders of magnitude. (XChart's bar charts otherwise start
     * the axis at zero, which a log scale cannot show.)
     *
     * @return the same chart
     * @throws IllegalArgumentException if a value is zero or negative: a log scale cannot show it
     */
    public static CategoryChart logScale(CategoryChart chart) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (var series : chart.getSeriesMap().values()) {
            for (Number value : series.getYData()) {
                double v = value.doubleValue();
                if (!(v > 0)) {
                    throw new IllegalArgumentException("series '" + series.getName() + "' has the value " + v
                            + ", which a log scale cannot show; leave it out or use a linear scale");
                }
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
        }
        if (min == Double.POSITIVE_INFINITY) {
            throw new IllegalArgumentException("the chart has no values to scale");
        }
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setYAxisMin(Math.pow(10, Math.floor(Math.log10(min))));
        chart.getStyler().setYAxisMax(Math.pow(10, Math.ceil(Math.log10(max))));
        chart.getStyler().setYAxisDecimalPattern("0.######");
        return chart;
    }

    private static void style(org.knowm.xchart.style.AxesChartStyler styler) {
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setPlotBackgroundColor(Color.WHITE);
        styler.setPlotGridVerticalLinesVisible(false);
        styler.setLegendBorderColor(Color.LIGHT_GRAY);
        styler.setAntiAlias(true);
        styler.setSeriesColors(PALETTE);
    }

    /** The numbers of the rows that have a wall time (a Tablesaw Row is a moving cursor, so not Rows). */
    private static List<Integer> measuredRows(Table summary) {
        requireColumn(summary, "strategy");
        requireColumn(summary, "workers");
        requireColumn(summary, "wall_s");
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
        requireColumn(summary, column);
        List<Double> values = new ArrayList<>();
        for (int row : measuredRows(summary)) {
            values.add(summary.numberColumn(column).getDouble(row));
        }
        return values;
    }

    private static void requireColumn(Table table, String column) {
        if (!table.columnNames().contains(column)) {
            throw new IllegalArgumentException("table '" + table.name() + "' has no column '" + column
                    + "'; its columns are " + table.columnNames());
        }
    }

    private static String title(Table summary, String what) {
        String name = summary.name();
        int cut = name.indexOf(", summary");
        return cut > 0 ? what + ": " + name.substring(0, cut) : what;
    }
}
