package dev.workbook.process;

import java.util.Objects;

/**
 * Stands in for an exception thrown in a child JVM when the exception itself could not be brought
 * back: its class does not serialize, or the parent cannot load it. It keeps what a reader needs: the
 * original class name, message and stack trace (the child's), and the same for its causes and
 * suppressed exceptions.
 *
 * <p>{@link #toString()} prints as the original would, so a stack trace of it reads like the child's.
 */
public final class RemoteThrowable extends Exception {

    private static final long serialVersionUID = 1L;

    private final String className;

    /**
     * @param className the binary name of the original exception's class
     * @param message   the original message, may be null
     * @param cause     the original cause, rebuilt the same way, may be null
     */
    public RemoteThrowable(String className, String message, Throwable cause) {
        super(message, cause);
        this.className = Objects.requireNonNull(className, "className");
    }

    /** Leaves the cause unset, so that {@link #mirror} can set it once it is rebuilt. */
    private RemoteThrowable(String className, String message) {
        super(message);
        this.className = Objects.requireNonNull(className, "className");
    }

    /** Rebuilds {@code original} and its causes as remote throwables, stack traces included. */
    static RemoteThrowable mirror(Throwable original) {
        return mirror(original, new java.util.IdentityHashMap<>());
    }

    private static RemoteThrowable mirror(Throwable original, java.util.Map<Throwable, RemoteThrowable> seen) {
        RemoteThrowable done = seen.get(original);
        if (done != null) {
            return done; // a cause cycle: stop here
        }
        Throwable cause = original.getCause();
        RemoteThrowable copy = new RemoteThrowable(original.getClass().getName(), original.getMessage());
        seen.put(original, copy);
        if (cause != null) {
            copy.initCause(mirror(cause, seen));
        }
        copy.setStackTrace(original.getStackTrace());
        for (Throwable suppressed : original.getSuppressed()) {
            copy.addSuppressed(mirror(suppressed, seen));
        }
        return copy;
    }

    /** The binary name of the original exception's class, such as {@code java.lang.IllegalStateException}. */
    public String className() {
        return className;
    }

    @Override
    public String toString() {
        String message = getLocalizedMessage();
        return message != null ? className + ": " + message : className;
    }
}
