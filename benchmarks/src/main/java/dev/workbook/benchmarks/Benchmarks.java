package dev.workbook.benchmarks;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Entry point of {@code benchmarks.jar}: {@code java -jar benchmarks/target/benchmarks.jar <name> [options]}.
 * Each benchmark prints a table and, where the project has a speed target, whether this run met it.
 */
public final class Benchmarks {

    /** A benchmark's main method. */
    interface Main {
        void run(String[] args) throws Exception;
    }

    private static final Map<String, Main> BENCHMARKS = new LinkedHashMap<>();

    static {
        BENCHMARKS.put("primes", PrimesBenchmark::main);
        BENCHMARKS.put("ipc", IpcBenchmark::main);
        BENCHMARKS.put("processes", ProcessBenchmark::main);
        BENCHMARKS.put("listener", ListenerBenchmark::main);
        BENCHMARKS.put("cluster", ClusterBenchmark::main);
    }

    private Benchmarks() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || !BENCHMARKS.containsKey(args[0])) {
            System.err.println("usage: java -jar benchmarks.jar <benchmark> [options]");
            System.err.println("benchmarks: " + String.join(", ", BENCHMARKS.keySet()));
            System.exit(args.length == 0 ? 2 : 1);
        }
        BENCHMARKS.get(args[0]).run(Arrays.copyOfRange(args, 1, args.length));
    }
}
