package dev.workbook.display;

import dev.workbook.experiment.ExperimentResult;
import dev.workbook.experiment.Progress;
import dev.workbook.report.Tables;
import java.util.Objects;
import java.util.function.Function;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
import org.knowm.xchart.internal.chartpart.Chart;

/**
 * An experiment's progress shown in a notebook cell and updated in place: a progress bar with the last step's
 * line and, once the first timed runs are in, the chart of the results so far, growing as points arrive. When
 * the experiment ends, the same output is replaced by the finished chart alone (an image, as a chart is always
 * shown), so that a saved or rendered notebook holds no half-drawn state; if it fails, by one line saying where it
 * stopped.
 *
 * <pre>{@code
 * ExperimentResult sweep = Experiment.of(lesson).workersUpTo(4)
 *         .progress(LiveProgress.inNotebook(ExperimentResult::speedupChart)).run();
 * }</pre>
 *
 * <p>While running, the chart's title ends with "(so far: k of n steps)". Redrawing it is the costly part
 * (tens of milliseconds), so it is redrawn only when a new point has arrived (the first run of a strategy at a
 * worker count), and at most every {@link #REDRAW_NANOS}; the bar and line follow every step. Used from the experiment's thread only, as every {@link Progress}.
 */
public final class LiveProgress implements Progress {

    /** The least time between two redraws of the growing chart: half a second. */
    public static final long REDRAW_NANOS = 500_000_000L;

    /** Where the display goes: a kernel's output, or a test's record. */
    interface Surface {
        /** Shows {@code data} as a new output of the running cell. */
        void show(DisplayData data);

        /** Replaces what the output with that display id shows. */
        void update(String displayId, DisplayData data);
    }

    private final Surface surface;
    private final Function<ExperimentResult, ? extends Chart<?, ?>> chart;
    private final String displayId;
    private String title = "";
    private int total;
    private int done;
    private String lastStep = "";
    private ExperimentResult latest;
    private String chartPng;
    private long lastRedraw;
    private long drawnGroups;
    private boolean open;

    LiveProgress(Surface surface, Function<ExperimentResult, ? extends Chart<?, ?>> chart, String displayId) {
        this.surface = Objects.requireNonNull(surface, "surface");
        this.chart = Objects.requireNonNull(chart, "chart");
        this.displayId = displayId;
    }

    /**
     * Live progress in the running notebook cell, drawing {@code chart} of the results so far, such as
     * {@code ExperimentResult::speedupChart}.
     *
     * @throws IllegalStateException outside a notebook whose kernel loaded the workbook's display extension
     */
    public static LiveProgress inNotebook(Function<ExperimentResult, ? extends Chart<?, ?>> chart) {
        BaseKernel kernel = WorkbookDisplayExtension.kernel();
        return new LiveProgress(new Surface() {
            @Override
            public void show(DisplayData data) {
                kernel.display(data);
            }

            @Override
            public void update(String id, DisplayData data) {
                kernel.getIO().display.updateDisplay(id, data);
            }
        }, chart, "workbook-progress-" + java.util.UUID.randomUUID());
    }

    @Override
    public void start(String title, int totalSteps) {
        this.title = title;
        this.total = totalSteps;
        this.done = 0;
        DisplayData data = progressData();
        if (open) {
            surface.update(displayId, data);
        } else {
            surface.show(data);
            open = true;
        }
    }

    @Override
    public void step(String message) {
        done++;
        lastStep = message;
        surface.update(displayId, progressData());
    }

    @Override
    public void resultsSoFar(ExperimentResult soFar) {
        latest = soFar;
        // A new point appears when a strategy and worker count has its first run: redraw then, not every run.
        long groups = soFar.runList().stream().map(run -> run.strategy() + " x" + run.workers()).distinct().count();
        if (groups > drawnGroups && (chartPng == null || System.nanoTime() - lastRedraw >= REDRAW_NANOS)) {
            drawnGroups = groups;
            Chart<?, ?> partial = chart.apply(soFar);
            partial.setTitle(partial.getTitle() + " (so far: " + done + " of " + total + " steps)");
            chartPng = ChartRendering.png(partial);
            lastRedraw = System.nanoTime();
            surface.update(displayId, progressData());
        }
    }

    @Override
    public void close() {
        if (!open) {
            return;
        }
        open = false;
        DisplayData data = new DisplayData();
        data.setDisplayId(displayId);
        if (done == total && latest != null) {
            Chart<?, ?> finished = chart.apply(latest);
            data.putData(MIMEType.IMAGE_PNG, ChartRendering.png(finished));
            data.putText(ChartRendering.describe(finished));
        } else {
            data.putText(title + ": stopped after " + done + " of " + total + " steps"
                    + (lastStep.isEmpty() ? "" : " (last: " + lastStep + ")"));
        }
        surface.update(displayId, data);
    }

    private DisplayData progressData() {
        String line = title + ": " + done + " of " + total + " steps" + (lastStep.isEmpty() ? "" : ", " + lastStep);
        StringBuilder html = new StringBuilder("<div class=\"workbook-progress\"><progress value=\"")
                .append(done).append("\" max=\"").append(Math.max(1, total)).append("\"></progress> ")
                .append(Tables.escapeHtml(line)).append("</div>");
        if (chartPng != null) {
            html.append("<img alt=\"the results so far\" src=\"data:image/png;base64,").append(chartPng).append("\">");
        }
        DisplayData data = new DisplayData();
        data.setDisplayId(displayId);
        data.putHTML(html.toString());
        data.putText(line);
        return data;
    }
}
