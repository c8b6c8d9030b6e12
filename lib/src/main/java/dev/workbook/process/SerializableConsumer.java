package dev.workbook.process;

import java.io.Serializable;

/**
 * A serializable one-argument target, as in {@code new ChildProcess(Example::work, data)}: the
 * argument is serialized with the target, so the child gets its own copy of it.
 *
 * @param <T> the argument type; it must be {@link Serializable} for the target to travel
 */
@FunctionalInterface
public interface SerializableConsumer<T> extends Serializable {

    /** Runs the code on the argument; may throw any exception. */
    void accept(T argument) throws Exception;
}
