package dev.workbook.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.workbook.primes.PrimalityTest;
import dev.workbook.primes.PrimeNumbers;
import dev.workbook.report.ChartImages;
import org.junit.jupiter.api.Test;

class AmdahlChartTest {

    private static final Workload<Long, Boolean> SMALL =
            Workload.primality("small", PrimeNumbers.SEED_DISTINCT.subList(0, 7), PrimalityTest.TRIAL_DIVISION);

    @Test
    void aSweepIsFittedAtEveryWorkerCountItRan() throws Exception {
        ExperimentResult sweep = Experiment.of(SMALL).strategies(Strategies.threads()).workers(1, 2, 3)
                .warmups(0).repeats(1).progress(Progress.none()).run();
        AmdahlFit fit = sweep.amdahlFit("threads");
        assertEquals(3, fit.points().size());
        assertEquals(sweep.speedup("threads", 2).getAsDouble(), fit.points().get(1).speedup(), 1e-12);
        var chart = sweep.amdahlChart("threads");
        assertEquals(3, chart.getSeriesMap().size(), "ideal line, fitted curve, measured points");
        assertTrue(ChartImages.png(chart).length > 1000);
    }

    @Test
    void aStrategyThatDidNotRunIsNamedWithTheOnesThatDid() throws Exception {
        ExperimentResult result = Experiment.of(SMALL).strategies(Strategies.threads()).workers(2)
                .warmups(0).repeats(1).progress(Progress.none()).run();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> result.amdahlFit("processes"));
        assertTrue(e.getMessage().contains("[sequential, threads]"), e.getMessage());
    }
}
