///usr/bin/env jbang "$0" "$@" ; exit $?
//SOURCES Workbook.java

import dev.workbook.measure.CpuClock;
import dev.workbook.measure.MachineFacts;
import dev.workbook.measure.ShellTime;
import dev.workbook.primes.Primality;
import dev.workbook.primes.PrimeNumbers;
import dev.workbook.process.ProcessPool;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The lesson's process-pool program: 16 worker JVMs check its 65 numbers and this JVM prints each
 * answer; then the line {@code time} would print for the run, workers included, and what the JVM adds.
 */
@Command(name = "primes-processes", mixinStandardHelpOptions = true,
        description = "The lesson's ProcessPoolExecutor(max_workers=16) prime check, on worker JVMs.")
public class PrimesProcesses implements Callable<Integer> {

    @Option(names = "--workers", description = "Worker JVMs in the pool (the lesson uses ${DEFAULT-VALUE}).")
    int workers = 16;

    public static void main(String... args) {
        System.exit(new CommandLine(new PrimesProcesses()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (workers < 1) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--workers must be at least 1");
        }
        ShellTime time = ShellTime.start();
        List<Long> numbers = PrimeNumbers.PRIMES;
        long cpuCreated = CpuClock.processTreeNanos();
        long created = System.nanoTime();
        long ready;
        long cpuReady;
        long mapped;
        long cpuMapped;
        List<Long> pids;
        try (ProcessPool pool = new ProcessPool(workers)) {
            pool.awaitReady();
            ready = System.nanoTime();
            cpuReady = CpuClock.processTreeNanos();
            pids = pool.workerPids();
            List<Boolean> answers = pool.map(Primality::trialDivision, numbers);
            mapped = System.nanoTime();
            cpuMapped = CpuClock.processTreeNanos();
            for (int i = 0; i < answers.size(); i++) {
                System.out.println(numbers.get(i) + " is prime: " + answers.get(i));
            }
        } // closing the pool stops and reaps the workers, so that the time line counts their CPU
        long closed = System.nanoTime();
        System.out.println(time.line("java PrimesProcesses"));

        int cores = Runtime.getRuntime().availableProcessors();
        System.out.println();
        System.out.println("What the JVM adds (measured in this run):");
        System.out.printf(Locale.ROOT, "- Starting the %d worker JVMs took %.2f s and %.2f s of CPU (pids %d to %d), before any"
                        + " number was checked.%n", workers, (ready - created) / 1e9, (cpuReady - cpuCreated) / 1e9,
                pids.stream().mapToLong(Long::longValue).min().orElse(0), pids.stream().mapToLong(Long::longValue).max().orElse(0));
        System.out.printf(Locale.ROOT, "- The 65 numbers then took %.2f s at %.0f%% CPU (this JVM and the workers, on %d cores),"
                        + "%n  one call per number over the workers' pipes; stopping the pool took %.2f s.%n",
                (mapped - ready) / 1e9, 100.0 * (cpuMapped - cpuReady) / (mapped - ready), cores, (closed - mapped) / 1e9);
        System.out.println("- Each worker JVM computes on a core of its own, as CPython's processes do. JVM threads can too,");
        System.out.println("  without starting anything: compare `./jbang primes-threads`.");
        System.out.println("- Load average now: " + MachineFacts.loadAverage() + " (other programs take cores from the workers too).");
        return 0;
    }
}
