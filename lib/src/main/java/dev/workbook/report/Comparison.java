package dev.workbook.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import org.knowm.xchart.CategoryChart;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Results of several machines side by side, with the lesson's own figures (its 4-core Mac running CPython) as
 * the first machine: what a teacher shows after collecting the class's runs.
 *
 * <pre>{@code
 * Comparison comparison = Comparison.of(ResultsCsv.load(Path.of("alice"), Path.of("bob")));
 * comparison.table();           // machine, strategy, workers, wall_s, cpu_pct
 * comparison.wallTimeChart();   // the lesson's comparison (threads and processes, one worker per core)
 * }</pre>
 *
 * <p>A machine is named by its results' directory (or file) and its facts: "alice: 8 cores, Linux, JVM
 * 21.0.2". Immutable.
 */
public final class Comparison {

    /** The strategies of the lesson's own comparison, which the charts show. */
    public static final List<String> LESSON_STRATEGIES = List.of("threads", "processes");

    private final Table rows;
    /** How many of the first rows are the lesson's. */
    private final int lessonRows;

    private Comparison(Table rows, int lessonRows) {
        this.rows = rows;
        this.lessonRows = lessonRows;
    }

    /**
     * The lesson's figures and the measured rows of {@code results} (as {@link ResultsCsv#load} returns them;
     * rows without a wall time, such as skipped strategies, are left out).
     *
     * @throws IllegalArgumentException if a column the comparison needs is missing (it names it)
     */
    public static Comparison of(Table results) {
        StringColumn machine = StringColumn.create("machine");
        StringColumn strategy = StringColumn.create("strategy");
        IntColumn workers = IntColumn.create("workers");
        IntColumn cores = IntColumn.create("cores");
        DoubleColumn wall = DoubleColumn.create("wall_s");
        DoubleColumn cpuPct = DoubleColumn.create("cpu_pct");
        Table lesson = ResultsCsv.lesson();
        for (Table table : List.of(lesson, results)) {
            for (String column : List.of("source", "strategy", "workers", "wall_s", "cpu_pct", "cores", "os", "jvm")) {
                Charts.requireColumn(table, column);
            }
            for (int row = 0; row < table.rowCount(); row++) {
                if (table.column("wall_s").isMissing(row)) {
                    continue;
                }
                machine.append(machineName(table, row));
                strategy.append(table.getString(row, "strategy"));
                if (table.column("workers").isMissing(row)) {
                    workers.appendMissing();
                } else {
                    workers.append(table.intColumn("workers").getInt(row));
                }
                cores.append(table.intColumn("cores").getInt(row));
                wall.append(table.numberColumn("wall_s").getDouble(row));
                cpuPct.append(table.numberColumn("cpu_pct").getDouble(row));
            }
        }
        return new Comparison(Table.create("results across machines", machine, strategy, workers, cores, wall, cpuPct),
                lesson.rowCount());
    }

    /** Loads the results at {@code paths} ({@link ResultsCsv#load}) and compares them with the lesson's. */
    public static Comparison load(Path... paths) throws IOException {
        return of(ResultsCsv.load(paths));
    }

    /** The machines, the lesson's first, in the order their results were given. */
    public List<String> machines() {
        return List.copyOf(new LinkedHashSet<>(rows.stringColumn("machine").asList()));
    }

    /** Every row: {@code machine}, {@code strategy}, {@code workers}, {@code cores}, {@code wall_s}, {@code cpu_pct}. */
    public Table table() {
        return Tables.readable(rows.copy());
    }

    /**
     * The lesson's comparison on each machine: threads and processes with one worker per core (the lesson's own
     * rows as it ran them), wall time on a log scale, since CPython's seconds and the JVM's differ tenfold.
     */
    public CategoryChart wallTimeChart() {
        List<Integer> shown = lessonRows();
        return Charts.logScale(Charts.bars("Wall time of the lesson's 65 numbers, by machine", "seconds (log scale)",
                labels(shown), values(shown, "wall_s")));
    }

    /** CPU% of the rows {@link #wallTimeChart} shows: 100 is one busy core, 400 four. */
    public CategoryChart cpuChart() {
        List<Integer> shown = lessonRows();
        return Charts.bars("CPU use, by machine", "CPU % (100 = one busy core)", labels(shown),
                values(shown, "cpu_pct"));
    }

    /** The rows of the lesson's strategies with one worker per core, or (for the lesson) as it ran them. */
    private List<Integer> lessonRows() {
        List<Integer> shown = new ArrayList<>();
        for (int row = 0; row < rows.rowCount(); row++) {
            boolean lesson = row < lessonRows;
            boolean perCore = !rows.intColumn("workers").isMissing(row)
                    && rows.intColumn("workers").getInt(row) == rows.intColumn("cores").getInt(row);
            if (LESSON_STRATEGIES.contains(rows.getString(row, "strategy")) && (lesson || perCore)) {
                shown.add(row);
            }
        }
        if (shown.isEmpty()) {
            throw new IllegalStateException("no rows of " + LESSON_STRATEGIES + " to chart");
        }
        return shown;
    }

    private List<String> labels(List<Integer> shown) {
        List<String> labels = new ArrayList<>();
        for (int row : shown) {
            String name = rows.getString(row, "machine");
            int colon = name.indexOf(':');
            labels.add((colon > 0 ? name.substring(0, colon) : name) + " · " + rows.getString(row, "strategy"));
        }
        return labels;
    }

    private List<Double> values(List<Integer> shown, String column) {
        List<Double> values = new ArrayList<>();
        for (int row : shown) {
            values.add(rows.numberColumn(column).getDouble(row));
        }
        return values;
    }

    /** "alice: 8 cores, Linux, JVM 21.0.2", from the row's source and facts. */
    private static String machineName(Table table, int row) {
        String source = table.getString(row, "source");
        Path path = Path.of(source);
        String name = source.equals("the lesson") ? source
                : path.getFileName().toString().endsWith(".csv") && path.getParent() != null
                        ? path.getParent().getFileName().toString() : path.getFileName().toString();
        String os = table.getString(row, "os").split(" ", 2)[0];
        String jvm = table.getString(row, "jvm");
        String[] words = jvm.trim().split("\\s+");
        String runtime = jvm.startsWith("CPython") ? jvm : "JVM " + words[words.length - 1];
        return name + ": " + table.intColumn("cores").getInt(row) + " cores, " + os + ", " + runtime;
    }
}
