package dev.workbook.report;

import java.awt.Color;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import tech.tablesaw.api.NumericColumn;
import tech.tablesaw.api.Table;

/**
 * XChart charts in the workbook's one style (size, colour-blind-safe palette, white background): bar
 * charts from lists or from a table's columns, a log scale for values that span orders of magnitude,
 * and an empty line chart to fill. They know nothing of experiments: the experiment's own charts
 * ({@code dev.workbook.experiment.ExperimentCharts}) are built on these.
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


    private Charts() {
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
        NumericColumn<?> numbers = numeric(table, valueColumn);
        List<String> labels = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        for (int i = 0; i < table.rowCount(); i++) {
            labels.add(table.column(labelColumn).getString(i));
            values.add(numbers.getDouble(i));
        }
        return bars(title, yAxisTitle, labels, values);
    }

    /**
     * A bar chart of one numeric column of a table, each bar labelled with the values of the label
     * columns joined by ", " (for example {@code "wheel, 2"} from an algorithm and a thread count).
     * Rows whose value is missing are left out, so a table with skipped rows charts as it is.
     *
     * @throws IllegalArgumentException if a column is missing, the value column is not numeric, no
     *                                  label column is named, or no row has a value
     */
    public static CategoryChart bars(String title, String yAxisTitle, Table table, List<String> labelColumns,
            String valueColumn) {
        if (labelColumns.isEmpty()) {
            throw new IllegalArgumentException("name at least one label column of table '" + table.name() + "'");
        }
        labelColumns.forEach(column -> requireColumn(table, column));
        NumericColumn<?> numbers = numeric(table, valueColumn);
        List<String> labels = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        for (int row = 0; row < table.rowCount(); row++) {
            if (numbers.isMissing(row)) {
                continue;
            }
            List<String> parts = new ArrayList<>();
            for (String column : labelColumns) {
                String part = table.column(column).getString(row);
                if (!part.isEmpty()) {
                    parts.add(part);
                }
            }
            labels.add(String.join(", ", parts));
            values.add(numbers.getDouble(row));
        }
        if (values.isEmpty()) {
            throw new IllegalArgumentException("column '" + valueColumn + "' of table '" + table.name()
                    + "' has no values to chart");
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

    /**
     * An empty line chart with the workbook's size, colours and white background, for charts of a
     * kind this class does not build (the experiment's speedup chart); add series to it.
     */
    public static XYChart lines(String title, String xAxisTitle, String yAxisTitle) {
        return lines(title, xAxisTitle, yAxisTitle, HEIGHT);
    }

    /** {@link #lines(String, String, String)} with a height of its own, for charts with a row per item. */
    public static XYChart lines(String title, String xAxisTitle, String yAxisTitle, int height) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(height)
                .title(title).xAxisTitle(xAxisTitle).yAxisTitle(yAxisTitle).build();
        style(chart.getStyler());
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

    private static NumericColumn<?> numeric(Table table, String column) {
        requireColumn(table, column);
        if (!(table.column(column) instanceof NumericColumn<?> numbers)) {
            throw new IllegalArgumentException("column '" + column + "' is not numeric: it is "
                    + table.column(column).type());
        }
        return numbers;
    }

    /** The palette's colour number {@code index} (from 0, cycling), for series that must share a colour. */
    public static Color paletteColor(int index) {
        return PALETTE[Math.floorMod(index, PALETTE.length)];
    }

    /**
     * Fails with a message naming the table's columns when it lacks {@code column}.
     *
     * @throws IllegalArgumentException if the table has no such column
     */
    public static void requireColumn(Table table, String column) {
        if (!table.columnNames().contains(column)) {
            throw new IllegalArgumentException("table '" + table.name() + "' has no column '" + column
                    + "'; its columns are " + table.columnNames());
        }
    }
}
