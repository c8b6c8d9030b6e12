package dev.workbook.process;

import java.util.Objects;

/**
 * A function bound to its argument, as a task: what {@code submit(function, argument)} sends to a
 * worker, in a {@link ProcessPool} or any other {@link PoolExecutor}. Both travel by value, so the
 * argument must be serializable as the function is.
 *
 * <p>A plain class rather than a record or a lambda: it travels with every call, and a fresh JVM
 * takes some 20 ms to deserialize its first record (through method handles), and 1 ms for a class.
 *
 * @param <T> the argument's type
 * @param <R> the result's type
 */
public final class BoundCall<T, R> implements SerializableCallable<R> {
    private static final long serialVersionUID = 1L;
    private final SerializableFunction<T, R> function;
    private final T argument;

    /** @throws NullPointerException if function is null (a null argument is passed on as it is) */
    public BoundCall(SerializableFunction<T, R> function, T argument) {
        this.function = Objects.requireNonNull(function, "function");
        this.argument = argument;
    }

    /** The function this call applies. */
    public SerializableFunction<T, R> function() {
        return function;
    }

    @Override
    public R call() throws Exception {
        return function.apply(argument);
    }
}
