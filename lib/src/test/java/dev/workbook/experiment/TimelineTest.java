package dev.workbook.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.workbook.primes.PrimalityTest;
import dev.workbook.primes.PrimeNumbers;
import dev.workbook.report.ChartImages;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TimelineTest {

    private static final Workload<Long, Boolean> SMALL =
            Workload.primality("small", PrimeNumbers.SEED_DISTINCT.subList(0, 9), PrimalityTest.TRIAL_DIVISION);

    private static ExperimentResult result;

    @BeforeAll
    static void runEveryKindOfWorker() throws Exception {
        result = Experiment.of(SMALL)
                .strategies(Strategies.sequential(), Strategies.threads(), Strategies.threadsUnderGil(),
                        Strategies.parallelStreams(), Strategies.processes())
                .workers(2).warmups(0).repeats(2).progress(Progress.none()).run();
    }

    @Test
    void everyTimedRunHasATimeline() {
        assertEquals(result.runList().size(), result.timelines().size());
    }

    @Test
    void everyTaskAppearsOnceInEachTimeline() {
        for (Timeline timeline : result.timelines()) {
            assertEquals(IntStream.range(0, SMALL.size()).boxed().toList(),
                    timeline.spans().stream().map(TaskSpan::task).toList(), timeline.strategy());
        }
    }

    @Test
    void everyBarLiesWithinItsRunsWallTime() {
        for (Timeline timeline : result.timelines()) {
            for (TaskSpan span : timeline.spans()) {
                assertTrue(span.startNanos() >= timeline.startNanos() && span.endNanos() <= timeline.endNanos()
                        && span.startNanos() <= span.endNanos(), timeline.strategy() + ": " + span + " outside "
                        + timeline.startNanos() + ".." + timeline.endNanos());
            }
        }
    }

    @Test
    void barsOnOneWorkerDoNotOverlap() {
        for (Timeline timeline : result.timelines()) {
            for (String worker : timeline.workerNames()) {
                List<TaskSpan> spans = timeline.spans().stream().filter(s -> s.worker().equals(worker))
                        .sorted(Comparator.comparingLong(TaskSpan::startNanos)).toList();
                for (int i = 1; i < spans.size(); i++) {
                    assertTrue(spans.get(i - 1).endNanos() <= spans.get(i).startNanos(),
                            timeline.strategy() + " on " + worker + ": " + spans.get(i - 1) + " overlaps " + spans.get(i));
                }
            }
        }
    }

    @Test
    void theSequentialRunHasOneWorkerAndAPoolOfTwoAtMostTwo() {
        assertEquals(1, result.timeline("sequential", 1).workerNames().size());
        assertTrue(result.timeline("threads", 2).workerNames().size() <= 2);
        assertTrue(result.timeline("processes", 2).workerNames().size() <= 2);
    }

    @Test
    void aProcessPoolsTasksRanInWorkerJvms() {
        for (String worker : result.timeline("processes", 2).workerNames()) {
            assertTrue(worker.contains("(pid "), worker);
        }
    }

    @Test
    void theTimelineChartDrawsEveryStrategyAsked() throws Exception {
        var chart = result.timelineChart(2, "sequential", "threads", "threads-gil", "parallel-streams", "processes");
        assertEquals(5, chart.getSeriesMap().size());
        assertTrue(ChartImages.png(chart).length > 1000);
    }

    @Test
    void aTimelineOfAStrategyThatDidNotRunNamesTheRunsThereAre() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> result.timeline("threads", 7));
        assertTrue(e.getMessage().contains("threads x2"), e.getMessage());
        assertFalse(e.getMessage().isEmpty());
    }
}
