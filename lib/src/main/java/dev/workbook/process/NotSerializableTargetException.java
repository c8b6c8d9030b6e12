package dev.workbook.process;

/**
 * A target, task or argument cannot be copied to another JVM: something it holds is not serializable,
 * or its class cannot be sent. Thrown by {@link ChildProcess#start()} before any process is launched,
 * and by {@link ProcessPool}'s {@code submit} and {@code map} before anything is queued.
 *
 * <p>The message names the path from the target to the offending value, such as
 * {@code target (lambda in Main.main) → captured variable #1 → field 'lock' of Holder}, and the class
 * of that value.
 */
public class NotSerializableTargetException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String offendingClass;
    private final String path;

    NotSerializableTargetException(String message, String offendingClass, String path, Throwable cause) {
        super(message, cause);
        this.offendingClass = offendingClass;
        this.path = path;
    }

    /** The binary name of the class that could not be sent, such as {@code java.lang.Thread}. */
    public String offendingClass() {
        return offendingClass;
    }

    /** Where the offending value sits, starting from the target, such as {@code target → field 'lock' of Holder}. */
    public String path() {
        return path;
    }
}
