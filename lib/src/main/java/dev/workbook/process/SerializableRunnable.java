package dev.workbook.process;

import java.io.Serializable;

/**
 * Code to run in another JVM: the target of a {@link ChildProcess}, or a pool initializer.
 *
 * <p>A lambda or method reference whose target type is this interface is serializable, so what it
 * captures travels to the child JVM <em>by value</em>: the child works on its own copy, as a Python
 * child process does. Everything captured must itself be {@link Serializable}; a target that is not
 * is refused before any process starts, with an error naming the offending field.
 *
 * <p>Unlike {@link Runnable}, {@link #run()} may throw any exception: in a child process it ends the
 * child with exit code 1, and the parent gets it back from {@link ChildProcess#failure()}.
 */
@FunctionalInterface
public interface SerializableRunnable extends Serializable {

    /** Runs the code. */
    void run() throws Exception;
}
