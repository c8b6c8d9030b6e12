package dev.workbook.experiment;

import dev.workbook.primes.PrimalityTest;
import java.util.List;
import java.util.Objects;

/**
 * A named list of inputs and the task to run on each: what an {@link Experiment} times under each
 * strategy.
 *
 * @param name   a short name for tables and chart titles
 * @param inputs the inputs, in the order results are reported; copied, must not contain null
 * @param task   the work to do for each input
 * @param <T>    the input type
 * @param <R>    the result type
 */
public record Workload<T, R>(String name, List<T> inputs, Task<T, R> task) {

    public Workload {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(task, "task");
        inputs = List.copyOf(Objects.requireNonNull(inputs, "inputs"));
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException("workload '" + name + "' has no inputs: give it at least one");
        }
    }

    /** Checks each number for primality with the given algorithm. */
    public static Workload<Long, Boolean> primality(String name, List<Long> numbers, PrimalityTest test) {
        return new Workload<>(name, numbers, new PrimalityTask(test));
    }

    /**
     * The convoy effect's mix: one CPU-bound task and {@code ioTasks} I/O-bound ones, for a thread pool under a
     * simulated GIL. Input 0 is the CPU-bound task: it checks {@code number} for primality {@code checks} times
     * and answers how many times it found it prime. Inputs 1 to {@code ioTasks} are I/O-bound: each does
     * {@code rounds} rounds of a blocking wait of {@code ioWaitNanos} (a sleep standing for a read, done without
     * the GIL, as CPython does) followed by a little computing on what it read (holding the GIL), and answers the
     * rounds it did. Under the GIL every I/O thread that wakes must wait for the CPU thread's hold to end.
     *
     * @throws IllegalArgumentException if a count is below 1 or the wait is negative
     */
    public static Workload<Long, Long> ioAndCpu(String name, long number, int checks, int ioTasks, int rounds,
            long ioWaitNanos) {
        if (checks < 1 || ioTasks < 1 || rounds < 1 || ioWaitNanos < 0) {
            throw new IllegalArgumentException("an I/O and CPU mix needs at least one check, I/O task and round, and"
                    + " a wait of zero or more; got checks=" + checks + ", ioTasks=" + ioTasks + ", rounds=" + rounds
                    + ", ioWaitNanos=" + ioWaitNanos);
        }
        List<Long> inputs = new java.util.ArrayList<>();
        for (long task = 0; task <= ioTasks; task++) {
            inputs.add(task);
        }
        return new Workload<>(name, inputs, new IoAndCpuTask(number, checks, rounds, ioWaitNanos));
    }

    /** How many inputs. */
    public int size() {
        return inputs.size();
    }

    /** Input 0 computes; the others wait and react, see {@link #ioAndCpu}. */
    private static final class IoAndCpuTask implements Task<Long, Long> {
        private static final long serialVersionUID = 1L;
        /**
         * What an I/O task computes on each read: a prime whose check (some 300,000 divisions, under a millisecond)
         * is long enough to show as a sliver of the GIL strip, short beside the computing thread's holds.
         */
        private static final long SMALL_PRIME = 100_000_000_003L;
        private final long number;
        private final int checks;
        private final int rounds;
        private final long ioWaitNanos;

        IoAndCpuTask(long number, int checks, int rounds, long ioWaitNanos) {
            this.number = number;
            this.checks = checks;
            this.rounds = rounds;
            this.ioWaitNanos = ioWaitNanos;
        }

        @Override
        public Long apply(Long input, dev.workbook.gil.Checkpoint checkpoint) throws InterruptedException {
            long answer = 0;
            if (input == 0) {
                for (int i = 0; i < checks; i++) {
                    answer += dev.workbook.primes.Primality.trialDivision(number, checkpoint) ? 1 : 0;
                }
                return answer;
            }
            for (int round = 0; round < rounds; round++) {
                checkpoint.blocking(() -> java.util.concurrent.TimeUnit.NANOSECONDS.sleep(ioWaitNanos));
                if (dev.workbook.primes.Primality.trialDivision(SMALL_PRIME, checkpoint)) {
                    answer++;
                }
            }
            return answer;
        }

        @Override
        public String toString() {
            return "1 CPU-bound task, I/O tasks of " + rounds + " waits";
        }
    }

    /**
     * A plain class rather than a lambda or a record: it serializes as one enum constant, and a fresh
     * child JVM deserializes it without bootstrapping lambda or record support (about 20 ms for a
     * record's first use), which a cold process pool would otherwise time.
     */
    private static final class PrimalityTask implements Task<Long, Boolean> {
        private static final long serialVersionUID = 1L;
        private final PrimalityTest test;

        PrimalityTask(PrimalityTest test) {
            this.test = Objects.requireNonNull(test, "test");
        }

        @Override
        public Boolean apply(Long n, dev.workbook.gil.Checkpoint checkpoint) {
            return test.test(n, checkpoint);
        }

        @Override
        public String toString() {
            return test.label();
        }
    }
}
