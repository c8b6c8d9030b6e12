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

    /** How many inputs. */
    public int size() {
        return inputs.size();
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
