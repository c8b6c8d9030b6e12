package dev.workbook.process;

import java.io.IOException;

/**
 * A child JVM did not get as far as running its code: it could not be launched, exited before it
 * was ready (a bad JVM flag, say; the message quotes what it printed on standard error), was not
 * ready in time, or a pool worker's initializer threw (the cause).
 */
public class ChildStartException extends IOException {

    private static final long serialVersionUID = 1L;

    public ChildStartException(String message) {
        super(message);
    }

    public ChildStartException(String message, Throwable cause) {
        super(message, cause);
    }
}
