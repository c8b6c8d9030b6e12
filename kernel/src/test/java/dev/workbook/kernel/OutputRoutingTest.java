package dev.workbook.kernel;

import com.google.gson.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;

import static dev.workbook.kernel.RunningKernel.content;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Output from threads and child processes a cell started reaches the notebook, never the kernel's terminal. */
@ExtendWith(KernelPerClass.class)
class OutputRoutingTest {

    private final RunningKernel kernel;

    OutputRoutingTest(RunningKernel kernel) {
        this.kernel = kernel;
    }

    @Test
    void aBackgroundThreadPrintsIntoTheCellWhileTheCellRuns() {
        RunningKernel.Execution run = kernel.execute(
                "Thread worker = new Thread(() -> System.out.println(\"from the worker\"));\nworker.start();\nworker.join();");

        assertEquals("from the worker\n", run.stream("stdout"));
    }

    @Test
    void outputAfterTheCellEndedGoesToTheLatestCell() {
        String cell = kernel.submit("new Thread(() -> { try { Thread.sleep(700); } catch (InterruptedException e) { }\n"
                + "  System.out.println(\"late line\"); }).start();", false, true);
        assertEquals("ok", kernel.await(cell, Duration.ofSeconds(30)).status());

        List<JsonObject> later = kernel.iopubFor(Duration.ofSeconds(3));

        JsonObject late = later.stream()
                .filter(m -> RunningKernel.type(m).equals("stream"))
                .filter(m -> content(m).get("text").getAsString().contains("late line"))
                .findFirst().orElseThrow(() -> new AssertionError("the late line was not published: " + later));
        assertEquals(cell, RunningKernel.parentId(late), "it is shown under the cell that started the thread");
    }

    @Test
    void aRunningCellShowsWhatThreadsOfEarlierCellsPrint() {
        kernel.execute("new Thread(() -> { try { Thread.sleep(500); } catch (InterruptedException e) { }\n"
                + "  System.out.println(\"from an earlier cell\"); }).start();");

        RunningKernel.Execution running = kernel.execute("Thread.sleep(1500);");

        assertTrue(running.stream("stdout").contains("from an earlier cell"), running.outputs.toString());
    }

    @Test
    void aChildProcessWithInheritedOutputWritesIntoTheCell() {
        RunningKernel.Execution run = kernel.execute(
                "new ProcessBuilder(\"sh\", \"-c\", \"echo child out; echo child err >&2\").inheritIO().start().waitFor()");

        assertEquals("child out\n", run.stream("stdout"));
        assertEquals("child err\n", run.stream("stderr"));
        assertEquals("0", run.result().get("text/plain").getAsString());
    }

    @Test
    void textWithoutANewlineIsNotHeldBack() {
        RunningKernel.Execution run = kernel.execute("System.out.print(\"no newline \u00e9\u4e2d\");");

        assertEquals("no newline \u00e9\u4e2d", run.stream("stdout"));
    }
}
