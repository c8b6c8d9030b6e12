package dev.workbook.process;

import java.io.Serializable;

/**
 * A serializable function, for {@link ProcessPool#map} and {@link ProcessPool#submit(SerializableFunction, Object)}:
 * it is serialized with its argument, runs in a worker JVM, and its result is serialized back.
 *
 * <p>{@link #apply} may throw any exception; the future of the call then fails with it, rebuilt in the
 * parent with the worker's stack trace.
 *
 * @param <T> the argument type; must be {@link Serializable}
 * @param <R> the result type; must be {@link Serializable}
 */
@FunctionalInterface
public interface SerializableFunction<T, R> extends Serializable {

    /** Computes the result for one argument. */
    R apply(T argument) throws Exception;
}
