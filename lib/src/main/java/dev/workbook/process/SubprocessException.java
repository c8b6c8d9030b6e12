package dev.workbook.process;

import java.io.IOException;

/**
 * A program run by {@link Subprocess} failed: it exited with a non-zero code
 * ({@link CompletedProcess#checkExitCode()}), or it ran past its timeout and was killed. In both cases
 * {@link #result()} holds what it printed until then.
 */
public class SubprocessException extends IOException {

    private static final long serialVersionUID = 1L;

    private final transient CompletedProcess result;

    SubprocessException(String message, CompletedProcess result) {
        super(message);
        this.result = result;
    }

    /** The run, with the output collected so far; for a timeout, the exit code is that of the killed program. */
    public CompletedProcess result() {
        return result;
    }
}
