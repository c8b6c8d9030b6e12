package dev.workbook.lesson;

import static dev.workbook.lesson.LessonProgram.count;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The lesson's first two experiments, creating processes and fork, run as a reader runs them. */
class ProcessExamplesTest {

    @Test
    void theThreeProcessesEachTakeTwentyFromTheirOwnCopyOfTheList() throws Exception {
        String output = LessonProgram.run(CreateProcessExample.class);
        assertEquals(3, count("Loop count: 20", output), output);
        for (String word : List.of("Ping", "Pong", "Good")) {
            assertEquals(20, output.lines().filter(line -> line.endsWith(": " + word)).count(), word + " loops:\n" + output);
        }
        assertEquals(3, output.lines().filter(line -> line.startsWith("PID: ")).distinct().count(),
                "each process prints a pid of its own:\n" + output);
        assertTrue(output.contains("Main process's list afterwards: [30, 40]"), "the main process popped only its own copy:\n"
                + output);
        LessonProgram.assertEveryPrintedPidEnded(output);
    }

    @Test
    void aChildGetsACopyOfTheCapturedListAndFreshStaticsNotAForkedParent() throws Exception {
        String output = LessonProgram.run(ForkExample.class);
        assertTrue(output.contains("Child: staticCounter = 0"), output);
        assertTrue(output.contains("[parent's, data, changed-by-child]"), "the child changed its copy:\n" + output);
        assertTrue(output.contains("Parent: my list is [parent's, data]"), "the parent's list is unchanged:\n" + output);
        assertTrue(output.contains("staticCounter = 42"), "the parent keeps its own static:\n" + output);
    }
}
