///usr/bin/env jbang "$0" "$@" ; exit $?
//SOURCES Workbook.java

import dev.workbook.experiment.Execution;
import dev.workbook.experiment.Experiment;
import dev.workbook.experiment.ExperimentResult;
import dev.workbook.experiment.Progress;
import dev.workbook.experiment.Strategies;
import dev.workbook.experiment.Workload;
import dev.workbook.primes.PrimalityTest;
import dev.workbook.primes.PrimeNumbers;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The lesson's prime-checking experiment on the JVM: prints the lesson's answers, then times the same
 * workload sequentially, on a thread pool, on a thread pool under a simulated GIL and with parallel
 * streams, and writes the table and charts to a folder.
 */
@Command(name = "primes", mixinStandardHelpOptions = true,
        description = "Checks the lesson's 65 numbers for primality, then times them under each strategy.")
public class Primes implements Callable<Integer> {

    @Option(names = "--workers", description = "Pool size (default: the number of cores, ${DEFAULT-VALUE}).")
    int workers = Runtime.getRuntime().availableProcessors();

    @Option(names = "--sweep", description = "Also time every pool size from 1 to twice the cores, for the speedup chart.")
    boolean sweep;

    @Option(names = "--times", description = "How many times the lesson's 13 numbers are repeated (the lesson uses ${DEFAULT-VALUE}).")
    int times = PrimeNumbers.SEED_REPEATS;

    @Option(names = "--repeats", description = "Timed runs per strategy (default ${DEFAULT-VALUE}).")
    int repeats = 3;

    @Option(names = "--warmups", description = "Untimed runs before them (default ${DEFAULT-VALUE}).")
    int warmups = 1;

    @Option(names = "--out", description = "Where to write the CSV files and charts (default: results/primes-<date>).")
    Path out;

    public static void main(String... args) {
        System.exit(new CommandLine(new Primes()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (workers < 1 || times < 1 || repeats < 1 || warmups < 0) {
            throw new CommandLine.ParameterException(new CommandLine(this),
                    "--workers, --times and --repeats must be at least 1, --warmups at least 0");
        }
        List<Long> numbers = PrimeNumbers.repeat(PrimeNumbers.SEED_DISTINCT, times);
        Workload<Long, Boolean> workload = Workload.primality("lesson's primes", numbers, PrimalityTest.TRIAL_DIVISION);

        // What the lesson prints: each number and its answer, in order, from a thread pool's map.
        try (Execution pool = Strategies.threads().open(workers)) {
            List<Boolean> answers = pool.map(workload.task(), numbers);
            for (int i = 0; i < numbers.size(); i++) {
                System.out.println(numbers.get(i) + " is prime: " + answers.get(i));
            }
        }

        System.out.println();
        Experiment<Long, Boolean> experiment = Experiment.of(workload).strategies(Strategies.lesson())
                .warmups(warmups).repeats(repeats).progress(Progress.auto());
        if (sweep) {
            experiment.workersUpTo(2 * Runtime.getRuntime().availableProcessors());
        } else {
            experiment.workers(workers);
        }
        ExperimentResult result = experiment.run();

        System.out.println();
        System.out.print(result.facts());
        System.out.println(result.summary().print());
        System.out.printf("%nWith %d workers: threads %.2fx the sequential speed, processes %.2fx, "
                        + "threads under a simulated GIL %.2fx.%n", workers,
                result.speedup("threads", workers).orElse(Double.NaN),
                result.speedup("processes", workers).orElse(Double.NaN),
                result.speedup("threads-gil", workers).orElse(Double.NaN));
        System.out.println("CPython's thread pool is held to one core by its GIL (the lesson saw 101% CPU) and needs");
        System.out.println("processes to use more; JVM threads have no such lock, so threads and processes both use");
        System.out.println("every core, and threads skip the cost of starting JVMs and copying data between them.");

        Path folder = out != null ? out
                : Path.of("results", "primes-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        result.save(folder);
        System.out.println("Tables (CSV) and charts (PNG, SVG) written to " + folder.toAbsolutePath());
        return 0;
    }
}
