package dev.workbook.experiment;

import java.util.List;
import java.util.Objects;

/**
 * Amdahl's law fitted to measured speedups: the serial fraction {@code f} of a run that more workers
 * cannot shorten.
 *
 * <p>With {@code n} workers Amdahl's law predicts a speedup {@code S(n) = 1 / (f + (1 - f) / n)}. Taking
 * the reciprocal makes the model linear in {@code f}:
 *
 * <pre>
 *   1/S(n) - 1/n  =  f * (1 - 1/n)
 *   ------------     -   ---------
 *        y           f       x
 * </pre>
 *
 * so the fit is least squares on {@code 1/speedup}, a line through the origin: {@code f = Σxy / Σx²}.
 * Fitting the reciprocal rather than the speedup itself weighs each point by the time it measured, not by
 * how large its speedup is, which keeps the few-worker points (the most reliable on a small machine) from
 * being outvoted. A point with one worker carries no information ({@code x = 0}) and is ignored.
 *
 * <p>The fraction is reported as fitted, not clamped: a value below 0 means the points beat the ideal
 * line (caches, or noise), and a value near 1 that more workers did not help at all. On a machine with
 * fewer cores than workers the fit also absorbs the time slicing, so read it over the points up to the
 * core count. For processes the serial part includes what threads do not pay: starting worker JVMs and
 * moving tasks and results through pipes.
 *
 * <p>Instances are immutable.
 */
public final class AmdahlFit {

    /** One measurement: the speedup over the sequential run with {@code workers} workers. */
    public record Point(int workers, double speedup) {
        public Point {
            if (workers < 1) {
                throw new IllegalArgumentException("workers must be at least 1, not " + workers);
            }
            if (!(speedup > 0) || Double.isInfinite(speedup)) {
                throw new IllegalArgumentException("a speedup must be a positive number, not " + speedup
                        + " (with " + workers + " workers)");
            }
        }
    }

    private final double serialFraction;
    private final double rmsError;
    private final List<Point> points;

    private AmdahlFit(double serialFraction, double rmsError, List<Point> points) {
        this.serialFraction = serialFraction;
        this.rmsError = rmsError;
        this.points = points;
    }

    /**
     * Fits the serial fraction to the points.
     *
     * @throws IllegalArgumentException if no point has more than one worker: the fraction is then unknown
     */
    public static AmdahlFit of(List<Point> points) {
        Objects.requireNonNull(points, "points");
        double sxy = 0;
        double sxx = 0;
        for (Point p : points) {
            double x = 1 - 1.0 / p.workers();
            double y = 1 / p.speedup() - 1.0 / p.workers();
            sxy += x * y;
            sxx += x * x;
        }
        if (sxx == 0) {
            throw new IllegalArgumentException("Amdahl's law needs a speedup measured with more than one worker; "
                    + "got " + points.size() + " point(s), all with one worker (run a sweep of pool sizes)");
        }
        double f = sxy / sxx;
        double squares = 0;
        for (Point p : points) {
            double error = p.speedup() - speedup(f, p.workers());
            squares += error * error;
        }
        return new AmdahlFit(f, Math.sqrt(squares / points.size()), List.copyOf(points));
    }

    /** The speedup Amdahl's law predicts with serial fraction {@code f} and {@code workers} workers. */
    public static double speedup(double serialFraction, double workers) {
        return 1 / (serialFraction + (1 - serialFraction) / workers);
    }

    /** The fitted serial fraction: 0 scales perfectly, 1 not at all. */
    public double serialFraction() {
        return serialFraction;
    }

    /** The speedup this fit predicts with {@code workers} workers. */
    public double predictedSpeedup(double workers) {
        return speedup(serialFraction, workers);
    }

    /**
     * The limit of the speedup as workers grow without bound, {@code 1/f}; infinite when the fitted fraction
     * is 0 or below.
     */
    public double speedupLimit() {
        return serialFraction > 0 ? 1 / serialFraction : Double.POSITIVE_INFINITY;
    }

    /** Root-mean-square difference between measured and predicted speedups: how well the law fits. */
    public double rmsError() {
        return rmsError;
    }

    /** The points fitted, in the order given. */
    public List<Point> points() {
        return points;
    }

    @Override
    public String toString() {
        return String.format("serial fraction %.3f (speedup limit %s, rms error %.3f over %d points)",
                serialFraction, Double.isInfinite(speedupLimit()) ? "none" : String.format("%.2fx", speedupLimit()),
                rmsError, points.size());
    }
}
