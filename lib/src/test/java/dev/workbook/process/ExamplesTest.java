package dev.workbook.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.workbook.process.examples.CreateProcessExample;
import dev.workbook.process.examples.ForkExample;
import dev.workbook.process.examples.TimedChild;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The lesson's process examples, run in this JVM as a script or notebook runs them. */
@ExtendWith(NoOrphans.class)
class ExamplesTest {

    @Test
    void theThreeProcessesEachTakeTwentyFromTheirOwnCopyOfTheList() throws Exception {
        CreateProcessExample.Outcome outcome;
        String output;
        try (Capture out = Capture.stdout()) {
            outcome = CreateProcessExample.run();
            output = out.text();
        }
        assertEquals(3, output.lines().filter("Loop count: 20"::equals).count(), output);
        assertEquals(List.of(30, 40), outcome.mainList(), "the main process popped only its own copy");
        for (String word : List.of("Ping", "Pong", "Good")) {
            assertEquals(20, output.lines().filter(line -> line.endsWith(": " + word)).count(), word + " loops:\n" + output);
        }
        long self = ProcessHandle.current().pid();
        for (TimedChild timed : outcome.children()) {
            assertEquals(0, timed.child().exitCode());
            assertNotEquals(self, timed.child().pid());
            assertTrue(output.contains("PID: " + timed.child().pid()), "each child prints its own pid:\n" + output);
            assertTrue(timed.lifetime().compareTo(timed.startCall()) > 0, "a child lives past the start() call");
        }
    }

    @Test
    void aChildGetsACopyOfTheCapturedListAndFreshStaticsNotAForkedParent() throws Exception {
        ForkExample.Outcome outcome;
        String output;
        try (Capture out = Capture.stdout()) {
            outcome = ForkExample.run();
            output = out.text();
        }
        assertEquals(0, outcome.child().child().exitCode());
        assertTrue(output.contains("Child: staticCounter = 0"), output);
        assertTrue(output.contains("[parent's, data, changed-by-child]"), "the child changed its copy:\n" + output);
        assertEquals(List.of("parent's", "data"), outcome.parentData(), "the parent's list is unchanged");
        assertEquals(42, outcome.staticCounter());
        assertFalse(outcome.child().child().isAlive());
    }
}
