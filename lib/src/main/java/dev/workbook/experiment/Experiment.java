package dev.workbook.experiment;

import dev.workbook.gil.GilHolds;
import dev.workbook.measure.CpuClock;
import dev.workbook.measure.MachineFacts;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Times one workload under several strategies and worker counts, checking that every strategy gets
 * the same answers as the sequential baseline.
 *
 * <pre>{@code
 * ExperimentResult result = Experiment.of(Workload.primality("lesson", PrimeNumbers.PRIMES, TRIAL_DIVISION))
 *         .strategies(Strategies.threads(), Strategies.threadsUnderGil())
 *         .workers(1, 2, 4)
 *         .repeats(3)
 *         .run();
 * result.summary().print();
 * }</pre>
 *
 * <p>For each strategy and worker count the experiment opens an {@link Execution} (untimed set-up),
 * runs the workload {@linkplain #warmups warm-up} times untimed so that the JIT compiler has done its
 * work, then {@linkplain #repeats repeats} times timed. The sequential strategy always runs first, once,
 * as the reference for results and speedups; it is added if the list does not name it. Strategies
 * that cannot run in this JVM are skipped and reported with the reason. Each timed run also records
 * which worker ran each task and when ({@link Timeline}), at the cost of two clock reads per task, and, for a
 * strategy with a {@linkplain Execution#simulatedGil() simulated GIL}, who held the lock when (two more clock
 * reads per hand-over, every switch interval).
 *
 * <p>An experiment is configured and run from one thread; {@link #run()} may be called again.
 */
public final class Experiment<T, R> {

    /**
     * The most GIL holds kept per timed run: at one hold per 5 ms switch interval, over 80 minutes of a run. The
     * log grows with the holds it keeps (about 50 bytes each): some 10 kB per second of a run.
     */
    private static final int MAX_GIL_HOLDS = 1_000_000;

    private final Workload<T, R> workload;
    private List<Strategy> strategies = Strategies.inProcess();
    private int[] workerCounts = {Runtime.getRuntime().availableProcessors()};
    private int warmups = 1;
    private int repeats = 3;
    private Progress progress = Progress.auto();

    private Experiment(Workload<T, R> workload) {
        this.workload = Objects.requireNonNull(workload, "workload");
    }

    /** An experiment on the workload with the default settings: every in-JVM strategy, cores workers, 1 warm-up, 3 runs. */
    public static <T, R> Experiment<T, R> of(Workload<T, R> workload) {
        return new Experiment<>(workload);
    }

    /** The strategies to compare, in the order they run (after the sequential baseline). */
    public Experiment<T, R> strategies(Strategy... strategies) {
        return strategies(Arrays.asList(strategies));
    }

    /** The strategies to compare, in the order they run (after the sequential baseline). */
    public Experiment<T, R> strategies(List<Strategy> strategies) {
        if (strategies.isEmpty()) {
            throw new IllegalArgumentException("no strategies given: name at least one, e.g. Strategies.threads()");
        }
        List<String> seen = new ArrayList<>();
        for (Strategy strategy : strategies) {
            Objects.requireNonNull(strategy, "a strategy in the list is null");
            if (seen.contains(strategy.name())) {
                throw new IllegalArgumentException("strategy '" + strategy.name()
                        + "' is listed twice; list each once (worker counts are set with workers(...))");
            }
            seen.add(strategy.name());
        }
        this.strategies = List.copyOf(strategies);
        return this;
    }

    /** The worker counts to try for strategies whose worker count is a setting, e.g. {@code 1, 2, 4}. */
    public Experiment<T, R> workers(int... counts) {
        if (counts.length == 0) {
            throw new IllegalArgumentException("no worker counts given: give at least one, e.g. workers(2)");
        }
        for (int count : counts) {
            if (count < 1) {
                throw new IllegalArgumentException("worker counts must be at least 1, got " + count);
            }
        }
        this.workerCounts = Arrays.stream(counts).distinct().toArray();
        return this;
    }

    /** Worker counts 1, 2, ... up to {@code max}: the x axis of a speedup chart. */
    public Experiment<T, R> workersUpTo(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("the largest worker count must be at least 1, got " + max);
        }
        int[] counts = new int[max];
        Arrays.setAll(counts, i -> i + 1);
        return workers(counts);
    }

    /** Untimed runs before the timed ones, per strategy and worker count (default 1). */
    public Experiment<T, R> warmups(int warmups) {
        if (warmups < 0) {
            throw new IllegalArgumentException("warm-ups must be zero or more, got " + warmups);
        }
        this.warmups = warmups;
        return this;
    }

    /** Timed runs per strategy and worker count (default 3); the summary reports their median and spread. */
    public Experiment<T, R> repeats(int repeats) {
        if (repeats < 1) {
            throw new IllegalArgumentException("repeats must be at least 1, got " + repeats);
        }
        this.repeats = repeats;
        return this;
    }

    /** Where progress goes (default {@link Progress#auto()}). */
    public Experiment<T, R> progress(Progress progress) {
        this.progress = Objects.requireNonNull(progress, "progress");
        return this;
    }

    /**
     * Runs every strategy and returns the timings.
     *
     * @throws IllegalStateException if a strategy's results differ from the sequential baseline's
     * @throws InterruptedException  if interrupted; workers are stopped before this returns
     * @throws Exception             a task's or a strategy's failure, with the strategy named in a suppressed note
     */
    public ExperimentResult run() throws Exception {
        List<Planned> plan = plan();
        List<Run> runs = new ArrayList<>();
        List<Timeline> timelines = new ArrayList<>();
        List<ExperimentResult.Skipped> skipped = new ArrayList<>();
        int steps = plan.stream().mapToInt(p -> p.available() ? warmups + repeats : 0).sum();
        MachineFacts facts = MachineFacts.current();
        List<R> reference = null;
        try (Progress p = progress) {
            p.start(workload.name() + ": " + workload.size() + " tasks", steps);
            for (Planned planned : plan) {
                if (!planned.available()) {
                    skipped.add(new ExperimentResult.Skipped(planned.strategy.name(),
                            planned.strategy.unavailableReason().orElseThrow()));
                    continue;
                }
                reference = measure(planned, reference, runs, timelines, skipped, facts, p);
            }
        }
        return new ExperimentResult(workload.name(), workload.size(), facts, runs, timelines, skipped);
    }

    private List<R> measure(Planned planned, List<R> reference, List<Run> runs, List<Timeline> timelines,
            List<ExperimentResult.Skipped> skipped, MachineFacts facts, Progress p) throws Exception {
        Strategy strategy = planned.strategy;
        String label = planned.workers == 1 && !strategy.scalesWithWorkers()
                ? strategy.name() : strategy.name() + " x" + planned.workers;
        try (Execution execution = strategy.open(planned.workers)) {
            for (int i = 1; i <= warmups; i++) {
                List<R> results = execution.map(workload.task(), workload.inputs());
                reference = check(strategy, reference, results);
                execution.settle();
                p.step(label + ", warm-up " + i + " of " + warmups);
            }
            TimedTask<T, R> timedTask = new TimedTask<>(workload.task());
            for (int i = 1; i <= repeats; i++) {
                // Started before the clock starts, so that every hold of the run's tasks is recorded; stopped as
                // map returns, before the clock stops (a few microseconds), so that every hold lies in the wall time.
                GilHolds holds = execution.simulatedGil().map(gil -> gil.startRecording(MAX_GIL_HOLDS)).orElse(null);
                long cpuBefore = CpuClock.processTreeNanos();
                long start = System.nanoTime();
                List<List<Object>> timed;
                try {
                    timed = execution.map(timedTask, workload.inputs());
                } finally {
                    if (holds != null) {
                        holds.stop();
                    }
                }
                long end = System.nanoTime();
                long cpu = CpuClock.processTreeNanos() - cpuBefore;
                execution.settle();
                List<R> results = new ArrayList<>(timed.size());
                List<TaskSpan> spans = new ArrayList<>(timed.size());
                long offset = execution.workerClockOffsetNanos();
                for (int task = 0; task < timed.size(); task++) {
                    Object answer = timed.get(task);
                    if (!TimedTask.isTimedResult(answer)) {
                        throw new IllegalStateException("strategy '" + strategy.name() + "' answered " + answer
                                + " for input #" + task + " (" + workload.inputs().get(task) + "), which is not what"
                                + " the task it was given returns: a strategy must run the task it is given");
                    }
                    results.add(TimedTask.result(timed.get(task)));
                    spans.add(TimedTask.span(task, timed.get(task), offset));
                }
                reference = check(strategy, reference, results);
                Run run = new Run(strategy.name(), planned.workers, i, end - start, Math.max(0, cpu));
                runs.add(run);
                timelines.add(new Timeline(strategy.name(), planned.workers, i, start, end, spans,
                        holds == null ? List.of() : holds.holds()));
                p.step(String.format("%s, run %d of %d: %.3f s, %.0f%% CPU",
                        label, i, repeats, run.wallSeconds(), run.cpuPercent()));
                p.resultsSoFar(new ExperimentResult(workload.name(), workload.size(), facts, runs, timelines,
                        skipped));
            }
        } catch (Exception e) {
            e.addSuppressed(new IllegalStateException("while running strategy '" + strategy.name()
                    + "' with " + planned.workers + " worker(s) on workload '" + workload.name() + "'"));
            throw e;
        }
        return reference;
    }

    /** The first results become the reference; later ones must equal them. */
    private List<R> check(Strategy strategy, List<R> reference, List<R> results) {
        if (results.size() != workload.size()) {
            throw new IllegalStateException("strategy '" + strategy.name() + "' returned " + results.size()
                    + " results for " + workload.size() + " inputs");
        }
        if (reference == null) {
            return List.copyOf(results);
        }
        for (int i = 0; i < results.size(); i++) {
            if (!Objects.equals(reference.get(i), results.get(i))) {
                throw new IllegalStateException("strategy '" + strategy.name() + "' answered " + results.get(i)
                        + " for input #" + i + " (" + workload.inputs().get(i) + ") where the sequential run answered "
                        + reference.get(i));
            }
        }
        return reference;
    }

    private List<Planned> plan() {
        List<Strategy> ordered = new ArrayList<>();
        Strategy baseline = strategies.stream()
                .filter(s -> s.name().equals(ExperimentResult.BASELINE))
                .findFirst()
                .orElseGet(Strategies::sequential);
        ordered.add(baseline);
        strategies.stream().filter(s -> s != baseline).forEach(ordered::add);

        List<Planned> plan = new ArrayList<>();
        for (Strategy strategy : ordered) {
            boolean available = strategy.unavailableReason().isEmpty();
            if (strategy == baseline || !strategy.scalesWithWorkers() || !available) {
                plan.add(new Planned(strategy, strategy == baseline ? 1 : strategy.defaultWorkers(), available));
            } else {
                for (int workers : workerCounts) {
                    plan.add(new Planned(strategy, workers, true));
                }
            }
        }
        return plan;
    }

    private record Planned(Strategy strategy, int workers, boolean available) {
    }
}
