package dev.workbook.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.workbook.primes.PrimalityTest;
import dev.workbook.primes.PrimeNumbers;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

class ExperimentTest {

    /** Small and quick: the lesson's seven primes below 10^9. */
    private static final Workload<Long, Boolean> SMALL =
            Workload.primality("small", PrimeNumbers.SEED_DISTINCT.subList(0, 7), PrimalityTest.TRIAL_DIVISION);

    @Test
    void theSequentialBaselineRunsFirstEvenWhenNotListed() throws Exception {
        ExperimentResult result = Experiment.of(SMALL).strategies(Strategies.threads()).workers(2)
                .warmups(0).repeats(2).progress(Progress.none()).run();
        List<String> order = result.runList().stream().map(Run::strategy).distinct().toList();
        assertEquals(List.of("sequential", "threads"), order);
        assertEquals(4, result.runs().rowCount());
    }

    @Test
    void strategiesThatScaleRunOncePerWorkerCountAndOthersOnce() throws Exception {
        ExperimentResult result = Experiment.of(SMALL)
                .strategies(Strategies.sequential(), Strategies.threads(), Strategies.parallelStreams())
                .workers(1, 2, 3).warmups(0).repeats(1).progress(Progress.none()).run();
        Table summary = result.summary();
        assertEquals(List.of("sequential", "threads", "threads", "threads", "parallel-streams", "parallel-streams",
                "parallel-streams"), summary.stringColumn("strategy").asList());
        assertEquals(List.of(1, 1, 2, 3, 1, 2, 3), summary.intColumn("workers").asList());
    }

    @Test
    void theBaselineHasSpeedupAndEfficiencyOfOne() throws Exception {
        ExperimentResult result = Experiment.of(SMALL).strategies(Strategies.sequential())
                .warmups(0).repeats(3).progress(Progress.none()).run();
        Table summary = result.summary();
        assertEquals(1.0, summary.doubleColumn("speedup").get(0), 1e-12);
        assertEquals(1.0, summary.doubleColumn("efficiency").get(0), 1e-12);
        assertEquals(3, summary.intColumn("runs").get(0));
    }

    @Test
    void theSummaryReportsTheMedianAndTheSpreadOfTheRuns() throws Exception {
        ExperimentResult result = Experiment.of(SMALL).strategies(Strategies.sequential())
                .warmups(0).repeats(3).progress(Progress.none()).run();
        double[] walls = result.runList().stream().mapToDouble(Run::wallSeconds).sorted().toArray();
        Table summary = result.summary();
        assertEquals(walls[1], summary.doubleColumn("wall_s").get(0), 1e-12);
        assertEquals(walls[0], summary.doubleColumn("wall_min_s").get(0), 1e-12);
        assertEquals(walls[2], summary.doubleColumn("wall_max_s").get(0), 1e-12);
        assertEquals(100 * (walls[2] - walls[0]) / walls[1], summary.doubleColumn("spread_pct").get(0), 1e-9);
    }

    @Test
    void theMedianRunIsTheRealRunInTheMiddleWhateverTheNumberOfRepeats() throws Exception {
        for (int repeats : new int[] {1, 4, 5}) {
            ExperimentResult result = Experiment.of(SMALL).strategies(Strategies.sequential())
                    .warmups(0).repeats(repeats).progress(Progress.none()).run();
            List<Run> sorted = result.runList().stream().sorted(Comparator.comparingLong(Run::wallNanos)).toList();
            assertEquals(sorted.get((repeats - 1) / 2), result.medianRun("sequential", 1).orElseThrow(), repeats + " repeats");
            assertTrue(result.medianRun("threads", 1).isEmpty(), "a strategy that did not run has no median run");
        }
    }

    @Test
    void cpuPercentIsCpuTimeOverWallTime() throws Exception {
        ExperimentResult result = Experiment.of(SMALL).strategies(Strategies.threads()).workers(2)
                .warmups(0).repeats(1).progress(Progress.none()).run();
        for (Run run : result.runList()) {
            assertEquals(100.0 * run.cpuNanos() / run.wallNanos(), run.cpuPercent(), 1e-9);
        }
    }

    @Test
    void aStrategyGivingOtherAnswersThanTheBaselineIsReported() {
        Strategy liar = new ForwardingStrategy("liar", Strategies.sequential()) {
            @Override
            public Execution open(int workers) {
                return new Execution() {
                    @Override
                    @SuppressWarnings("unchecked")
                    public <T, R> List<R> map(Task<T, R> task, List<T> inputs) {
                        List<R> answers = new ArrayList<>();
                        inputs.forEach(input -> answers.add((R) Boolean.FALSE));
                        return answers;
                    }

                    @Override
                    public void close() {
                    }
                };
            }
        };
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Experiment.of(SMALL).strategies(liar).warmups(0).repeats(1).progress(Progress.none()).run());
        assertTrue(e.getMessage().contains("strategy 'liar' answered false for input #0 (1116281)"), e.getMessage());
    }

    @Test
    void anUnavailableStrategyIsSkippedWithItsReasonInTheSummary() throws Exception {
        Strategy unavailable = new ForwardingStrategy("teleport", Strategies.threads()) {
            @Override
            public Optional<String> unavailableReason() {
                return Optional.of("needs a wormhole");
            }
        };
        ExperimentResult result = Experiment.of(SMALL).strategies(unavailable).warmups(0).repeats(1)
                .progress(Progress.none()).run();
        Table summary = result.summary();
        assertEquals(List.of("sequential", "teleport"), summary.stringColumn("strategy").asList());
        assertEquals("skipped: needs a wormhole", summary.stringColumn("note").get(1));
        assertTrue(summary.doubleColumn("wall_s").isMissing(1));
    }

    @Test
    void virtualThreadsRunOnJava21AndAreSkippedBefore() throws Exception {
        ExperimentResult result = Experiment.of(SMALL).strategies(Strategies.virtualThreads()).warmups(0)
                .repeats(1).progress(Progress.none()).run();
        if (Runtime.version().feature() >= 21) {
            assertTrue(result.medianWallSeconds("virtual-threads", Strategies.virtualThreads().defaultWorkers())
                    .isPresent());
        } else {
            assertEquals("virtual-threads", result.skipped().get(0).strategy());
            assertTrue(result.skipped().get(0).reason().contains("Java 21"));
        }
    }

    @Test
    void aTaskFailingOnAWorkerFailsTheExperimentAndNamesTheStrategy() {
        Thread caller = Thread.currentThread();
        // Succeeds on the calling thread (the sequential baseline), fails on any worker thread.
        Workload<Long, Boolean> failing = new Workload<>("failing", List.of(1L, 2L, 3L), (n, checkpoint) -> {
            if (n == 2 && Thread.currentThread() != caller) {
                throw new ArithmeticException("two is too much");
            }
            return true;
        });
        for (Strategy strategy : List.of(Strategies.threads(), Strategies.parallelStreams(), Strategies.threadsUnderGil())) {
            ArithmeticException e = assertThrows(ArithmeticException.class, () -> Experiment.of(failing)
                    .strategies(strategy).workers(2).warmups(0).repeats(1).progress(Progress.none()).run());
            assertEquals("two is too much", e.getMessage());
            String note = e.getSuppressed()[0].getMessage();
            assertTrue(note.contains("'" + strategy.name() + "' with 2 worker(s)"), note);
        }
    }

    @Test
    void progressPrintsOneLinePerStep() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        Experiment.of(SMALL).strategies(Strategies.threads()).workers(2).warmups(1).repeats(2)
                .progress(Progress.lines(out)).run();
        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals("small: 7 tasks (6 steps)", lines.get(0));
        assertEquals("[1/6] sequential, warm-up 1 of 1", lines.get(1));
        assertTrue(lines.get(6).startsWith("[6/6] threads x2, run 2 of 2: "), lines.get(6));
        assertEquals(7, lines.size());
    }

    @Test
    void badSettingsAreRefusedWithWhatToDo() {
        Experiment<Long, Boolean> experiment = Experiment.of(SMALL);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> experiment.workers(0)).getMessage()
                .contains("at least 1"));
        assertThrows(IllegalArgumentException.class, () -> experiment.repeats(0));
        assertThrows(IllegalArgumentException.class, () -> experiment.warmups(-1));
        assertThrows(IllegalArgumentException.class, () -> experiment.strategies(List.of()));
        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class,
                () -> experiment.strategies(Strategies.threads(), Strategies.threads()));
        assertTrue(twice.getMessage().contains("listed twice"), twice.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Workload<>("empty", List.<Long>of(), (n, c) -> n));
    }

    /** Delegates everything to another strategy, under another name. */
    private static class ForwardingStrategy implements Strategy {
        private final String name;
        private final Strategy delegate;

        ForwardingStrategy(String name, Strategy delegate) {
            this.name = name;
            this.delegate = delegate;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public String description() {
            return delegate.description();
        }

        @Override
        public boolean scalesWithWorkers() {
            return delegate.scalesWithWorkers();
        }

        @Override
        public Execution open(int workers) throws Exception {
            return delegate.open(workers);
        }
    }
}
