package dev.workbook.experiment;

import dev.workbook.gil.Checkpoint;
import java.io.Serializable;

/**
 * The unit of work an experiment hands to a strategy: one input in, one result out.
 *
 * <p>A task is {@link Serializable} so that strategies running it in other JVMs can ship it there;
 * a lambda or method reference whose target type is {@code Task} is serializable as long as what it
 * captures is. It receives a {@link Checkpoint} to poll during long computations, which a strategy
 * simulating a global interpreter lock uses to switch threads; other strategies pass
 * {@link Checkpoint#NONE}.
 *
 * <p>A task must be safe to run on several threads at once and should not depend on shared mutable
 * state: strategies may run it in parallel, in any order, and in another process.
 *
 * @param <T> the input type
 * @param <R> the result type; results are compared with {@link Object#equals}, so it should have a
 *            value-based {@code equals}
 */
@FunctionalInterface
public interface Task<T, R> extends Serializable {

    /** Computes the result for one input, polling {@code checkpoint} in long loops. */
    R apply(T input, Checkpoint checkpoint) throws Exception;
}
