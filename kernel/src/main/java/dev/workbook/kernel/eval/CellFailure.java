package dev.workbook.kernel.eval;

import java.util.List;

/**
 * Why a cell did not complete, already worded for the notebook: the error name and value the messaging
 * protocol reports, and the traceback lines (with ANSI colours) the front end shows under the cell.
 */
public final class CellFailure extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String name;
    private final String value;
    private final transient List<String> traceback;

    CellFailure(String name, String value, List<String> traceback) {
        super(name + ": " + value, null, false, false);
        this.name = name;
        this.value = value;
        this.traceback = List.copyOf(traceback);
    }

    /** The error's name ({@code ename}), e.g. {@code ArithmeticException} or {@code CompilationException}. */
    public String errorName() {
        return name;
    }

    /** The error's value ({@code evalue}): its message. */
    public String errorValue() {
        return value;
    }

    /** The lines to show, in order. */
    public List<String> traceback() {
        return traceback;
    }
}
