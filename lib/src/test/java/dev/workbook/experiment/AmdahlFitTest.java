package dev.workbook.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.workbook.experiment.AmdahlFit.Point;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AmdahlFitTest {

    private static List<Point> lawPoints(double serialFraction, int maxWorkers, double noise, long seed) {
        Random random = new Random(seed);
        List<Point> points = new ArrayList<>();
        for (int n = 1; n <= maxWorkers; n++) {
            double exact = AmdahlFit.speedup(serialFraction, n);
            points.add(new Point(n, exact * (1 + noise * (2 * random.nextDouble() - 1))));
        }
        return points;
    }

    @Test
    void recoversTheSerialFractionOfExactPoints() {
        for (double f : new double[] {0, 0.05, 0.3, 1}) {
            assertEquals(f, AmdahlFit.of(lawPoints(f, 8, 0, 1)).serialFraction(), 1e-12, "f = " + f);
        }
    }

    @Test
    void recoversAKnownSerialFractionFromNoisyPoints() {
        AmdahlFit fit = AmdahlFit.of(lawPoints(0.12, 16, 0.02, 42));
        assertEquals(0.12, fit.serialFraction(), 0.01);
        assertTrue(fit.rmsError() < 0.1, fit.toString());
    }

    @Test
    void predictsFromTheFittedFraction() {
        AmdahlFit fit = AmdahlFit.of(lawPoints(0.25, 4, 0, 7));
        assertEquals(1 / (0.25 + 0.75 / 3), fit.predictedSpeedup(3), 1e-12);
        assertEquals(4.0, fit.speedupLimit(), 1e-9);
    }

    @Test
    void pointsBeyondTheIdealLineGiveANegativeFractionAndNoLimit() {
        AmdahlFit fit = AmdahlFit.of(List.of(new Point(1, 1), new Point(2, 2.2)));
        assertTrue(fit.serialFraction() < 0, fit.toString());
        assertEquals(Double.POSITIVE_INFINITY, fit.speedupLimit());
    }

    @Test
    void onlySingleWorkerPointsAreRejectedWithAReason() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AmdahlFit.of(List.of(new Point(1, 1.0))));
        assertTrue(e.getMessage().contains("more than one worker"), e.getMessage());
    }

    @Test
    void aSpeedupThatIsNotPositiveIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> new Point(2, 0));
        assertThrows(IllegalArgumentException.class, () -> new Point(2, Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> new Point(0, 1));
    }
}
