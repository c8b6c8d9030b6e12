package dev.workbook.kernel;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A long session keeps working while the kernel prunes JShell's class files after each cell: what was declared
 * early, redefined midway or used by other declarations is still there after hundreds of cells of expressions,
 * statements and replaced declarations.
 */
@ExtendWith(KernelPerClass.class)
class LongSessionTest {

    private static final int CELLS = 300;

    private final RunningKernel kernel;

    LongSessionTest(RunningKernel kernel) {
        this.kernel = kernel;
    }

    @Test
    void declarationsFromEarlyAndMidwayInALongSessionStillWork() {
        ok("int first = 7;");
        ok("String repeat(String s) { return s + s; }");
        ok("record Point(int x, int y) { int sum() { return x + y + first; } }");
        for (int cell = 4; cell <= CELLS; cell++) {
            if (cell == 150) {
                ok("String repeat(String s) { return s + s + s; }");
            } else if (cell % 3 == 0) {
                assertEquals(String.valueOf(cell + 1), kernel.execute(cell + " + 1").plainResult(), "cell " + cell);
            } else if (cell % 3 == 1) {
                ok("int scratch = " + cell + ";"); // replaced again and again
            } else {
                ok("if (first > 0) { String unused = repeat(\"" + cell + "\"); }");
            }
        }

        assertEquals("7", kernel.execute("first").plainResult());
        assertEquals("aaa", kernel.execute("repeat(\"a\")").plainResult());
        assertEquals("10", kernel.execute("new Point(1, 2).sum()").plainResult());
        assertEquals(String.valueOf(CELLS - 2), kernel.execute("scratch").plainResult());
    }

    private void ok(String code) {
        RunningKernel.Execution run = kernel.execute(code);
        assertEquals("ok", run.status(), code + ": " + run.traceback());
    }
}
