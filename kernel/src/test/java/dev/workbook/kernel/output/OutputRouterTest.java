package dev.workbook.kernel.output;

import dev.workbook.kernel.exec.CellRun;
import dev.workbook.kernel.exec.KernelThreads;
import org.dflib.jjava.jupyter.messages.Header;
import org.dflib.jjava.jupyter.messages.Message;
import org.dflib.jjava.jupyter.messages.MessageType;
import org.dflib.jjava.jupyter.messages.request.ExecuteRequest;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertSame;

/** Which cell shows what a thread writes, at each moment of a notebook's life. */
class OutputRouterTest {

    private final OutputRouter router = new OutputRouter(null);

    private static CellRun cell(int count, boolean silent) {
        Message<ExecuteRequest> request = new Message<>(new Header<>(MessageType.EXECUTE_REQUEST),
                new ExecuteRequest("", silent, !silent, Map.of(), false, true));
        return new CellRun(count, request, silent, false, KernelThreads.notebookGroup(), Set.of());
    }

    @Test
    void aRunningCellsThreadsWriteToIt() {
        CellRun one = cell(1, false);
        router.begin(one);

        assertSame(one, router.target(one));
    }

    @Test
    void whileACellRunsEveryOtherThreadWritesToIt() {
        CellRun one = cell(1, false);
        router.begin(one);
        router.end(one);
        CellRun two = cell(2, false);
        router.begin(two);

        assertSame(two, router.target(one), "a thread of an earlier cell");
        assertSame(two, router.target(null), "a thread of no cell");
    }

    @Test
    void afterTheLastCellEndedItsThreadsStillWriteToIt() {
        CellRun one = cell(1, false);
        router.begin(one);
        router.end(one);

        assertSame(one, router.target(one));
    }

    @Test
    void whenIdleOlderCellsThreadsWriteToTheLatestCell() {
        CellRun one = cell(1, false);
        router.begin(one);
        router.end(one);
        CellRun two = cell(2, false);
        router.begin(two);
        router.end(two);

        assertSame(two, router.target(one));
    }

    @Test
    void aSilentExecutionDoesNotCaptureOtherCellsOutput() {
        CellRun one = cell(1, false);
        router.begin(one);
        router.end(one);
        CellRun quiet = cell(2, true);
        router.begin(quiet);

        assertSame(one, router.target(one));
        assertSame(quiet, router.target(quiet), "its own output is dropped later: the run is silent");
    }
}
