package dev.workbook.kernel.magic;

/**
 * A magic could not do what it was asked; the message says what was wrong and what to do, and the notebook
 * shows it without a stack trace.
 */
public final class MagicException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public MagicException(String message) {
        super(message);
    }

    public MagicException(String message, Throwable cause) {
        super(message, cause);
    }
}
