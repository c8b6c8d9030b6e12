package dev.workbook.experiment;

import java.io.PrintStream;
import java.util.function.Supplier;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * How a long experiment tells its user how far it has got: a progress bar in a terminal, one line per
 * step elsewhere (a notebook cell, a CI log, a file), or nothing.
 *
 * <p>An experiment calls {@link #start} once, {@link #step} after each run (and {@link #resultsSoFar} after
 * each timed one), and {@link #close} at the end, all from one thread. A notebook can show it live, updated
 * in place: {@code dev.workbook.display.LiveProgress}.
 */
public interface Progress extends AutoCloseable {

    /** Begins a task of {@code totalSteps} steps. */
    void start(String title, int totalSteps);

    /** One step done; {@code message} says which and how it went. */
    void step(String message);

    /**
     * The results so far, after each timed run of an experiment: for a display that draws a chart as the
     * points arrive. Does nothing by default. The result is complete (as {@link Experiment#run()} will return
     * it) after the last step.
     */
    default void resultsSoFar(ExperimentResult soFar) {
    }

    /** The task is over (finished or failed); the display is completed and released. */
    @Override
    void close();

    /** A terminal progress bar when a console is attached, plain lines on {@code System.out} otherwise. */
    static Progress auto() {
        return System.console() != null ? bar() : lines();
    }

    /** A progress bar (on standard error, redrawn in place). */
    static Progress bar() {
        return new BarProgress();
    }

    /**
     * One line per step on whatever {@code System.out} is at the time of the step, so that a notebook
     * kernel that redirects output per cell shows it in the right cell.
     */
    static Progress lines() {
        return new LineProgress(() -> System.out);
    }

    /** One line per step on the given stream. */
    static Progress lines(PrintStream out) {
        return new LineProgress(() -> out);
    }

    /** Says nothing. */
    static Progress none() {
        return new Progress() {
            @Override
            public void start(String title, int totalSteps) {
            }

            @Override
            public void step(String message) {
            }

            @Override
            public void close() {
            }
        };
    }

    /** Plain lines: "[ 3/12] threads x2, run 1 of 3: 1.52 s". */
    final class LineProgress implements Progress {
        private final Supplier<PrintStream> out;
        private int done;
        private int total;

        LineProgress(Supplier<PrintStream> out) {
            this.out = out;
        }

        @Override
        public void start(String title, int totalSteps) {
            total = totalSteps;
            done = 0;
            out.get().println(title + " (" + totalSteps + " steps)");
        }

        @Override
        public void step(String message) {
            done++;
            int width = Integer.toString(total).length();
            out.get().printf("[%" + width + "d/%d] %s%n", done, total, message);
            out.get().flush();
        }

        @Override
        public void close() {
            out.get().flush();
        }
    }

    /** A terminal bar drawn by the progressbar library. */
    final class BarProgress implements Progress {
        private ProgressBar bar;

        @Override
        public void start(String title, int totalSteps) {
            close();
            bar = new ProgressBarBuilder()
                    .setTaskName(title)
                    .setInitialMax(totalSteps)
                    .setStyle(ProgressBarStyle.ASCII)
                    .setMaxRenderedLength(100)
                    .build();
        }

        @Override
        public void step(String message) {
            if (bar != null) {
                bar.setExtraMessage(message);
                bar.step();
            }
        }

        @Override
        public void close() {
            if (bar != null) {
                bar.close();
                bar = null;
            }
        }
    }
}
