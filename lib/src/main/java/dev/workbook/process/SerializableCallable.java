package dev.workbook.process;

import java.io.Serializable;
import java.util.concurrent.Callable;

/**
 * A serializable {@link Callable}, for {@link ProcessPool#submit(SerializableCallable)}: it runs in a
 * worker JVM and its result, which must be {@link Serializable}, comes back by value.
 *
 * @param <R> the result type
 */
@FunctionalInterface
public interface SerializableCallable<R> extends Callable<R>, Serializable {
}
