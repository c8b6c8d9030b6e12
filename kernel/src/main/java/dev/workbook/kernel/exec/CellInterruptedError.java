package dev.workbook.kernel.exec;

/**
 * Thrown at a check point of user code when the cell that started the thread was interrupted (or timed
 * out). It is an {@link Error} so that {@code catch (Exception e)} in user code does not swallow it; code
 * that catches {@link Throwable} and carries on meets it again at its next check point.
 */
public final class CellInterruptedError extends Error {

    private static final long serialVersionUID = 1L;

    public CellInterruptedError(String reason) {
        super(reason.isEmpty() ? "the cell was interrupted" : reason);
    }
}
