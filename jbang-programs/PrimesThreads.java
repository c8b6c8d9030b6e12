///usr/bin/env jbang "$0" "$@" ; exit $?
//SOURCES Workbook.java

import dev.workbook.experiment.Execution;
import dev.workbook.experiment.Strategies;
import dev.workbook.experiment.Strategy;
import dev.workbook.experiment.Workload;
import dev.workbook.measure.ShellTime;
import dev.workbook.primes.PrimalityTest;
import dev.workbook.primes.PrimeNumbers;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The lesson's thread-pool program: 16 threads check its 65 numbers and print each answer; then the
 * line {@code time} would print for the run, and what the JVM adds.
 */
@Command(name = "primes-threads", mixinStandardHelpOptions = true,
        description = "The lesson's ThreadPoolExecutor(max_workers=16) prime check, on JVM threads.")
public class PrimesThreads implements Callable<Integer> {

    @Option(names = "--workers", description = "Threads in the pool (the lesson uses ${DEFAULT-VALUE}).")
    int workers = 16;

    @Option(names = "--gil", description = "Make the threads share one simulated GIL, as CPython's do.")
    boolean gil;

    public static void main(String... args) {
        System.exit(new CommandLine(new PrimesThreads()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (workers < 1) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--workers must be at least 1");
        }
        ShellTime time = ShellTime.start();
        Strategy strategy = gil ? Strategies.threadsUnderGil() : Strategies.threads();
        Workload<Long, Boolean> workload = Workload.primality("lesson", PrimeNumbers.PRIMES, PrimalityTest.TRIAL_DIVISION);
        long start = System.nanoTime();
        try (Execution pool = strategy.open(workers)) {
            List<Boolean> answers = pool.map(workload.task(), workload.inputs());
            for (int i = 0; i < answers.size(); i++) {
                System.out.println(workload.inputs().get(i) + " is prime: " + answers.get(i));
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.println(time.line("java PrimesThreads" + (gil ? " --gil" : "")));

        int cores = Runtime.getRuntime().availableProcessors();
        System.out.println();
        System.out.printf("What the JVM adds: the pool's work took %.2f s of that total; the rest is the JVM starting%n"
                + "and compiling. ", seconds);
        if (gil) {
            System.out.println("Under the simulated GIL only one of the " + workers + " threads computes at a time,");
            System.out.println("so CPU stays near 100% however many cores there are: the lesson's result.");
        } else {
            System.out.println("JVM threads have no global lock: the " + workers + " threads share the " + cores
                    + " cores,");
            System.out.println("so CPU goes towards " + 100 * cores + "% where CPython's thread pool stays near 100%.");
            System.out.println("Run with --gil to see the lesson's result reproduced.");
        }
        return 0;
    }
}
