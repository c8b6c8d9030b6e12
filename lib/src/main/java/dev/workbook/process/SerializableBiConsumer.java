package dev.workbook.process;

import java.io.Serializable;

/**
 * A serializable two-argument target, the Java form of Python's
 * {@code Process(target=sub_task, args=('Ping', nums))}: both arguments are serialized with the
 * target, so the child gets its own copies.
 *
 * @param <T> the first argument type
 * @param <U> the second argument type
 */
@FunctionalInterface
public interface SerializableBiConsumer<T, U> extends Serializable {

    /** Runs the code on the two arguments; may throw any exception. */
    void accept(T first, U second) throws Exception;
}
