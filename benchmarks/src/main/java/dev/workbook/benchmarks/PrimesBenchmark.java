package dev.workbook.benchmarks;

import dev.workbook.experiment.Experiment;
import dev.workbook.experiment.ExperimentResult;
import dev.workbook.experiment.Progress;
import dev.workbook.experiment.Strategies;
import dev.workbook.experiment.Workload;
import dev.workbook.primes.PrimalityTest;
import dev.workbook.primes.PrimeNumbers;

/**
 * The lesson's workload (its 13 numbers x 5, trial division) sequentially, on a thread pool and on a
 * thread pool under a simulated GIL, side by side in one run, with the project's targets on a machine
 * with 2 or more cores: threads at least 1.8x faster than sequential, threads under the GIL no faster
 * than 1.1x sequential.
 *
 * <p>Options: {@code --repeats N} (default 7), {@code --warmups N} (default 2), {@code --times N}
 * (how many times the 13 numbers are repeated, default 5).
 */
final class PrimesBenchmark {

    static final double THREADS_TARGET = 1.8;
    static final double GIL_LIMIT = 1.1;

    private PrimesBenchmark() {
    }

    static void main(String[] args) throws Exception {
        int repeats = option(args, "--repeats", 7);
        int warmups = option(args, "--warmups", 2);
        int times = option(args, "--times", PrimeNumbers.SEED_REPEATS);
        int cores = Runtime.getRuntime().availableProcessors();

        Workload<Long, Boolean> workload = Workload.primality("lesson x" + times,
                PrimeNumbers.repeat(PrimeNumbers.SEED_DISTINCT, times), PrimalityTest.TRIAL_DIVISION);
        ExperimentResult result = Experiment.of(workload)
                .strategies(Strategies.sequential(), Strategies.threads(), Strategies.threadsUnderGil(),
                        Strategies.parallelStreams())
                .workers(cores).warmups(warmups).repeats(repeats).progress(Progress.lines(System.err))
                .run();

        System.out.print(result.facts());
        System.out.println(result.summary().print());
        double threads = result.speedup("threads", cores).orElseThrow();
        double gil = result.speedup("threads-gil", cores).orElseThrow();
        System.out.println();
        System.out.printf("threads     x%d: %.2fx sequential (target: at least %.1fx) -> %s%n", cores, threads,
                THREADS_TARGET, cores < 2 ? "n/a on one core" : threads >= THREADS_TARGET ? "met" : "MISSED");
        System.out.printf("threads-gil x%d: %.2fx sequential (target: at most %.1fx)  -> %s%n", cores, gil,
                GIL_LIMIT, gil <= GIL_LIMIT ? "met" : "MISSED");
    }

    static int option(String[] args, String name, int fallback) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals(name)) {
                try {
                    int value = Integer.parseInt(args[i + 1]);
                    if (value >= 1) {
                        return value;
                    }
                } catch (NumberFormatException e) {
                    // reported below
                }
                throw new IllegalArgumentException(name + " needs a whole number of at least 1, got '" + args[i + 1] + "'");
            }
        }
        return fallback;
    }
}
