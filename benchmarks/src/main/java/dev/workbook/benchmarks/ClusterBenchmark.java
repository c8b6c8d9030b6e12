package dev.workbook.benchmarks;

import dev.workbook.cluster.Cluster;
import dev.workbook.cluster.ClusterPool;
import dev.workbook.experiment.Workload;
import dev.workbook.gil.Checkpoint;
import dev.workbook.primes.PrimalityTest;
import dev.workbook.primes.PrimeNumbers;
import dev.workbook.process.PoolExecutor;
import dev.workbook.process.ProcessPool;
import dev.workbook.process.SerializableFunction;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * What a local Hazelcast cluster costs beside a warm process pool, measured side by side in one run:
 * <ol>
 *   <li>failover: a map of fixed-length tasks on 3 members, undisturbed and with one member SIGKILLed in
 *       the middle, and the heartbeat settings in force;</li>
 *   <li>one task's round trip on the 2 members left, p50 and p99, interleaved with a warm pool worker's;</li>
 *   <li>tiny-task throughput on 2 members beside a warm pool of 2 workers;</li>
 *   <li>the lesson's workload on 2 members as a ratio to a warm pool of 2 workers, round by round;</li>
 *   <li>tiny-task throughput on 1 member (a second member killed).</li>
 * </ol>
 * One cluster is started, of 3 members, and shrunk by the kills, since member start-up takes seconds.
 * There is no speed target: these are figures for {@code docs/cluster.md} and notebook 06.
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar cluster [--quick] [--calls N] [--tasks N] [--rounds N]</pre>
 */
final class ClusterBenchmark {

    private ClusterBenchmark() {
    }

    /** A task of a fixed length, so that the failover's extra time is not hidden in the work's own spread. */
    private static final class FixedWork implements SerializableFunction<Integer, Integer> {
        private static final long serialVersionUID = 1L;
        private final long millis;

        FixedWork(long millis) {
            this.millis = millis;
        }

        @Override
        public Integer apply(Integer n) throws InterruptedException {
            Thread.sleep(millis);
            return n * 2;
        }
    }

    /** The lesson's primality check as a pool function. */
    private static final class TrialDivision implements SerializableFunction<Long, Boolean> {
        private static final long serialVersionUID = 1L;

        @Override
        public Boolean apply(Long n) throws Exception {
            return PrimalityTest.TRIAL_DIVISION.test(n, Checkpoint.NONE);
        }
    }

    public static void main(String[] args) throws Exception {
        boolean quick = List.of(args).contains("--quick");
        int calls = ProcessBenchmark.intOption(args, "--calls", quick ? 200 : 3_000);
        int tasks = ProcessBenchmark.intOption(args, "--tasks", quick ? 300 : 5_000);
        int rounds = ProcessBenchmark.intOption(args, "--rounds", quick ? 1 : 5);
        System.out.printf(Locale.ROOT, "Cluster benchmarks: %d cores, Java %s, load average %s%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"), ProcessBenchmark.loadAverage());
        long started = System.nanoTime();
        try (Cluster cluster = Cluster.local(3); ClusterPool members = cluster.pool(); ProcessPool worker = new ProcessPool(2)) {
            worker.awaitReady();
            System.out.printf(Locale.ROOT, "a local cluster of 3 members (one task at a time each) and a warm pool of 2 workers started in %.1f s;"
                    + " %s%n%n", (System.nanoTime() - started) / 1e9, cluster.heartbeat());
            failover(cluster, members, quick ? 12 : 30);
            roundTrip(members, worker, calls);
            System.out.printf(Locale.ROOT, "3. Tiny tasks (x -> x + 1, one per call), %d tasks (tasks/s)%n", tasks);
            throughput("2 members", members, tasks);
            throughput("warm pool, 2 workers", worker, tasks);
            lessonWorkload(members, worker, rounds);
            killOneLive(cluster);
            awaitSize(cluster, 1);
            System.out.printf(Locale.ROOT, "5. Tiny tasks on the 1 member left after a second kill, %d tasks (tasks/s)%n", tasks);
            throughput("1 member", members, tasks);
        }
        System.out.printf(Locale.ROOT, "%nload average at the end: %s%n", ProcessBenchmark.loadAverage());
    }

    /** The extra wall time of a map when one of 3 members is SIGKILLed in its middle. */
    private static void failover(Cluster cluster, ClusterPool pool, int count) throws Exception {
        List<Integer> items = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            items.add(i);
        }
        FixedWork work = new FixedWork(100);
        check(pool.map(work, items), items); // warm-up: classes defined, connections open
        long start = System.nanoTime();
        check(pool.map(work, items), items);
        double undisturbed = (System.nanoTime() - start) / 1e9;
        long rerunsBefore = pool.reruns();
        start = System.nanoTime();
        Thread killer = new Thread(() -> {
            try {
                Thread.sleep((long) (undisturbed * 1000 / 2)); // the middle of the map, by the undisturbed run's clock
                cluster.killMember(0);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "member-killer");
        killer.start();
        check(pool.map(work, items), items);
        double disturbed = (System.nanoTime() - start) / 1e9;
        killer.join();
        System.out.printf(Locale.ROOT, "1. Failover: map of %d tasks of 100 ms on 3 members (s)%n", count);
        System.out.printf(Locale.ROOT, "   %-58s %8.3f%n", "undisturbed", undisturbed);
        System.out.printf(Locale.ROOT, "   %-58s %8.3f   extra %.3f s, %d tasks rerun, all %d results correct%n",
                "member 1 of 3 SIGKILLed mid-map", disturbed, disturbed - undisturbed, pool.reruns() - rerunsBefore, count);
        awaitSize(cluster, 2);
        System.out.println();
    }

    /** submit(() -> 0).get() round trips, cluster and pool alternating call by call. */
    private static void roundTrip(ClusterPool members, ProcessPool worker, int calls) throws Exception {
        for (int i = 0; i < calls / 2; i++) {
            members.submit(() -> 0).get();
            worker.submit(() -> 0).get();
        }
        long[] cluster = new long[calls];
        long[] pool = new long[calls];
        for (int i = 0; i < calls; i++) {
            long start = System.nanoTime();
            members.submit(() -> 0).get();
            cluster[i] = System.nanoTime() - start;
            start = System.nanoTime();
            worker.submit(() -> 0).get();
            pool[i] = System.nanoTime() - start;
        }
        Arrays.sort(cluster);
        Arrays.sort(pool);
        System.out.printf(Locale.ROOT, "2. One task's round trip, submit(() -> 0).get(), %d calls each after %d warm-up, alternating (µs)%n",
                calls, calls / 2);
        System.out.printf(Locale.ROOT, "   %-58s %8s %8s%n", "", "p50", "p99");
        System.out.printf(Locale.ROOT, "   %-58s %8.1f %8.1f%n", "cluster member (2 members, loopback TCP)",
                ProcessBenchmark.percentile(cluster, 50) / 1e3, ProcessBenchmark.percentile(cluster, 99) / 1e3);
        System.out.printf(Locale.ROOT, "   %-58s %8.1f %8.1f%n", "warm pool worker (pipes)",
                ProcessBenchmark.percentile(pool, 50) / 1e3, ProcessBenchmark.percentile(pool, 99) / 1e3);
        System.out.printf(Locale.ROOT, "   cluster / pool at p50: %.2f%n%n",
                (double) ProcessBenchmark.percentile(cluster, 50) / ProcessBenchmark.percentile(pool, 50));
    }

    private static void throughput(String label, PoolExecutor pool, int tasks) throws Exception {
        List<Integer> items = new ArrayList<>();
        for (int i = 0; i < tasks; i++) {
            items.add(i);
        }
        SerializableFunction<Integer, Integer> plusOne = x -> x + 1;
        pool.map(plusOne, items.subList(0, Math.min(tasks, 200))); // warm-up
        long start = System.nanoTime();
        List<Integer> results = pool.map(plusOne, items);
        double seconds = (System.nanoTime() - start) / 1e9;
        for (int i = 0; i < tasks; i++) {
            if (results.get(i) != i + 1) {
                throw new IllegalStateException("wrong result for task " + i + ": " + results.get(i));
            }
        }
        System.out.printf(Locale.ROOT, "   %-58s %10.0f%n", label, tasks / seconds);
    }

    /** The lesson's 65 numbers, cluster and pool alternating round by round. */
    private static void lessonWorkload(ClusterPool members, ProcessPool worker, int rounds) throws Exception {
        Workload<Long, Boolean> seed = Workload.primality("seed", PrimeNumbers.PRIMES, PrimalityTest.TRIAL_DIVISION);
        List<Boolean> expected = new ArrayList<>();
        for (long n : seed.inputs()) {
            expected.add(seed.task().apply(n, Checkpoint.NONE));
        }
        TrialDivision check = new TrialDivision();
        checkAnswers(expected, members.map(check, seed.inputs()));
        checkAnswers(expected, worker.map(check, seed.inputs()));
        double[] cluster = new double[rounds];
        double[] pool = new double[rounds];
        double[] ratios = new double[rounds];
        for (int round = 0; round < rounds; round++) {
            long start = System.nanoTime();
            checkAnswers(expected, members.map(check, seed.inputs()));
            cluster[round] = (System.nanoTime() - start) / 1e9;
            start = System.nanoTime();
            checkAnswers(expected, worker.map(check, seed.inputs()));
            pool[round] = (System.nanoTime() - start) / 1e9;
            ratios[round] = cluster[round] / pool[round];
        }
        System.out.printf(Locale.ROOT, "%n4. The lesson's workload (%d numbers, trial division, one per call), %d rounds after 1 warm-up (s)%n",
                seed.size(), rounds);
        System.out.printf(Locale.ROOT, "   %-58s %8.3f%n", "2 cluster members (median)", ProcessBenchmark.median(cluster));
        System.out.printf(Locale.ROOT, "   %-58s %8.3f%n", "warm pool, 2 workers (median)", ProcessBenchmark.median(pool));
        System.out.printf(Locale.ROOT, "   cluster / pool, median of per-round ratios: %.2f%n%n", ProcessBenchmark.median(ratios));
    }

    private static void killOneLive(Cluster cluster) {
        List<Long> pids = cluster.memberPids();
        for (int i = 0; i < pids.size(); i++) {
            if (ProcessHandle.of(pids.get(i)).map(ProcessHandle::isAlive).orElse(false)) {
                cluster.killMember(i);
                return;
            }
        }
    }

    private static void awaitSize(Cluster cluster, int size) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (cluster.size() != size) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the cluster still has " + cluster.size() + " members, not " + size + ", after 60 s");
            }
            Thread.sleep(20);
        }
    }

    private static void check(List<Integer> results, List<Integer> items) {
        for (int i = 0; i < items.size(); i++) {
            if (results.get(i) != items.get(i) * 2) {
                throw new IllegalStateException("wrong result for item " + i + ": " + results.get(i));
            }
        }
    }

    private static void checkAnswers(List<Boolean> expected, List<Boolean> actual) {
        if (!expected.equals(actual)) {
            throw new IllegalStateException("wrong answers: " + actual);
        }
    }
}
