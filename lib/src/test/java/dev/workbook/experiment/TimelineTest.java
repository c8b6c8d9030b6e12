package dev.workbook.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.workbook.gil.GilHolds;
import dev.workbook.primes.PrimalityTest;
import dev.workbook.primes.PrimeNumbers;
import dev.workbook.report.ChartImages;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
        // A series per run, but two per thread under the GIL: its tasks, and its stretches in the GIL strip.
        int gilThreads = result.timeline("threads-gil", 2).workerNames().size();
        assertEquals(4 + 2 * gilThreads, chart.getSeriesMap().size(), chart.getSeriesMap().keySet().toString());
        assertTrue(ChartImages.png(chart).length > 1000);
    }

    @Test
    void theGilStripIsARowAboveTheThreadsOfTheGilRunOnly() {
        var chart = result.timelineChart(2, "threads", "threads-gil");
        List<String> strips = chart.getSeriesMap().keySet().stream().filter(n -> n.contains("GIL held by")).toList();
        assertEquals(result.timeline("threads-gil", 2).workerNames().size(), strips.size(), strips.toString());
        assertTrue(strips.stream().allMatch(n -> n.startsWith("threads-gil x2")), strips.toString());
    }

    @Test
    void aRunUnderTheSimulatedGilRecordsItsHoldsAndOthersDoNot() {
        for (Timeline timeline : result.timelines()) {
            assertEquals(timeline.strategy().equals("threads-gil"), timeline.hasGilHolds(), timeline.strategy());
        }
    }

    @Test
    void gilHoldsNeverOverlap() {
        for (Timeline timeline : gilTimelines()) {
            List<GilHolds.Hold> holds = timeline.gilHolds();
            for (int i = 1; i < holds.size(); i++) {
                assertTrue(holds.get(i - 1).endNanos() <= holds.get(i).startNanos(),
                        "hold " + holds.get(i) + " began before " + holds.get(i - 1) + " ended");
            }
        }
    }

    @Test
    void theGilStripLiesWithinTheRunsWallTime() {
        for (Timeline timeline : gilTimelines()) {
            for (GilHolds.Hold hold : timeline.gilHolds()) {
                assertTrue(hold.startNanos() >= timeline.startNanos() && hold.endNanos() <= timeline.endNanos()
                        && hold.startNanos() <= hold.endNanos(), hold + " outside " + timeline.startNanos() + ".."
                        + timeline.endNanos());
            }
        }
    }

    @Test
    void theGilIsHeldOnlyByThreadsThatRanTasks() {
        for (Timeline timeline : gilTimelines()) {
            for (GilHolds.Hold hold : timeline.gilHolds()) {
                assertTrue(timeline.workerNames().contains(hold.thread()), hold + " not among " + timeline.workerNames());
            }
        }
    }

    @Test
    void competingThreadsTakeTurnsWithTheGilAndKeepItBusy() throws Exception {
        // Two threads on four copies of the lesson's largest number, each many 1 ms switch intervals long. How
        // often the lock changes hands within a task is SimulatedGilTest's business (it depends on the load).
        long largest = PrimeNumbers.PRIMES.stream().mapToLong(Long::longValue).max().orElseThrow();
        Workload<Long, Boolean> four = Workload.primality("four large", List.of(largest, largest, largest, largest),
                PrimalityTest.TRIAL_DIVISION);
        ExperimentResult contended = Experiment.of(four)
                .strategies(Strategies.threadsUnderGil(TimeUnit.MILLISECONDS.toNanos(1)))
                .workers(2).warmups(0).repeats(1).progress(Progress.none()).run();
        Timeline timeline = contended.timeline("threads-gil", 2);
        long handOvers = timeline.gilHandOvers();
        assertTrue(timeline.gilHolds().size() >= four.size() && handOvers >= 1, handOvers + " hand-overs in "
                + timeline.gilHolds().size() + " holds over " + timeline.wallNanos() / 1e6 + " ms");
        // One thread computes at a time, and one nearly always does: the lock is held for most of the run.
        assertTrue(timeline.gilHeldShare() > 0.5 && timeline.gilHeldShare() <= 1.0, "held " + timeline.gilHeldShare());
    }

    @Test
    void inTheIoAndCpuMixEachIoThreadTakesTheGilBackAfterEveryWait() throws Exception {
        int rounds = 10;
        Workload<Long, Long> mix = Workload.ioAndCpu("mix", 1_000_003L, 20, 2, rounds, TimeUnit.MILLISECONDS.toNanos(1));
        ExperimentResult convoy = Experiment.of(mix).strategies(Strategies.threadsUnderGil())
                .workers(3).warmups(0).repeats(1).progress(Progress.none()).run();
        Timeline timeline = convoy.timeline("threads-gil", 3);
        for (TaskSpan io : timeline.spans().subList(1, 3)) {
            long holds = timeline.gilHolds().stream().filter(h -> h.thread().equals(io.worker())).count();
            assertTrue(holds >= rounds, io.worker() + " held the GIL " + holds + " times in " + rounds + " rounds");
        }
        List<GilHolds.Hold> holds = timeline.gilHolds();
        for (int i = 1; i < holds.size(); i++) {
            assertTrue(holds.get(i - 1).endNanos() <= holds.get(i).startNanos(), holds.get(i) + " overlaps");
        }
    }

    @Test
    void theIoAndCpuMixAnswersTheSameUnderEveryStrategy() throws Exception {
        Workload<Long, Long> mix = Workload.ioAndCpu("mix", 1_000_003L, 3, 2, 4, 0);
        ExperimentResult result = Experiment.of(mix).strategies(Strategies.threads(), Strategies.threadsUnderGil())
                .workers(3).warmups(0).repeats(1).progress(Progress.none()).run(); // run() checks the answers
        assertEquals(3, result.summary().rowCount());
        assertThrows(IllegalArgumentException.class, () -> Workload.ioAndCpu("bad", 7, 1, 0, 1, 0));
    }

    @Test
    void virtualThreadsAreDrawnOnTheCarriersThatRanThemOrSkippedBeforeJava21() throws Exception {
        Strategy virtual = Strategies.virtualThreads();
        ExperimentResult run = Experiment.of(SMALL).strategies(virtual).warmups(0).repeats(1)
                .progress(Progress.none()).run();
        if (virtual.unavailableReason().isPresent()) { // Java 17 to 20: no run, so no timeline; the reason is kept
            assertEquals(List.of(), run.timelines().stream().filter(t -> t.strategy().equals("virtual-threads")).toList());
            assertEquals("virtual-threads", run.skipped().get(0).strategy());
            return;
        }
        Timeline timeline = run.timeline("virtual-threads", virtual.defaultWorkers());
        assertFalse(timeline.workerNames().isEmpty());
        for (String worker : timeline.workerNames()) {
            assertTrue(worker.startsWith("carrier "), worker);
        }
        assertTrue(timeline.workerNames().size() <= virtual.defaultWorkers(), timeline.workerNames().toString());
    }

    @Test
    void blankTickLabelsDifferFromEachOtherSoThatXChartKeepsEveryRowsLabel() {
        // XChart widens the tick spacing until all labels differ; equal blanks made it drop rows' labels or spin.
        java.util.Set<String> labels = new java.util.HashSet<>();
        for (long tenths = -100; tenths <= 1000; tenths++) {
            String label = ExperimentCharts.blankLabel(tenths);
            assertTrue(labels.add(label), "label of " + tenths + " repeats an earlier one");
            assertTrue(label.chars().allMatch(Character::isWhitespace), "not blank: " + tenths);
            assertTrue(label.length() <= 8, "too wide: " + tenths);
        }
    }

    private static List<Timeline> gilTimelines() {
        List<Timeline> gil = result.timelines().stream().filter(Timeline::hasGilHolds).toList();
        assertFalse(gil.isEmpty(), "no run recorded GIL holds");
        return gil;
    }

    @Test
    void aTimelineOfAStrategyThatDidNotRunNamesTheRunsThereAre() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> result.timeline("threads", 7));
        assertTrue(e.getMessage().contains("threads x2"), e.getMessage());
        assertFalse(e.getMessage().isEmpty());
    }
}
