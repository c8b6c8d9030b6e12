package dev.workbook.sharedstate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class CPythonSharedStateTest {

    @Test
    void theScriptsResultLinesBecomeRunsBesideTheJvms() {
        ContentionResult result = CPythonSharedState.parse("""
                warming up
                RESULT case=list.append threads=2 expected=10 present=10 reported=10 exceptions=0 wall_ns=100
                RESULT case=dict[key]=value threads=2 expected=10 present=10 reported=10 exceptions=0 wall_ns=200
                RESULT case=x+=1 threads=2 expected=10 present=10 reported=10 exceptions=0 wall_ns=300
                RESULT case=x+=one() threads=2 expected=10 present=7 reported=7 exceptions=0 wall_ns=400
                """);
        List<ContentionRun> runs = result.runList();
        assertEquals(List.of("list-append", "dict-setitem", "int-plus-equals", "int-plus-equals-call"),
                runs.stream().map(ContentionRun::strategy).toList());
        assertEquals(3, runs.get(3).lost());
        assertTrue(runs.stream().allMatch(r -> r.runtime().equals(CPythonSharedState.RUNTIME)));
    }

    @Test
    void outputWithoutEveryResultIsAnErrorThatShowsTheOutput() {
        IllegalStateException failure = assertThrows(IllegalStateException.class,
                () -> CPythonSharedState.parse("Traceback (most recent call last):\n  boom\n"));
        assertTrue(failure.getMessage().contains("boom"), failure.getMessage());
    }

    @Test
    void cpythonListsAndDictsKeepEveryItemAndNoCountExceedsTheTotal() throws Exception {
        assumeTrue(CPythonSharedState.unavailableReason().isEmpty(),
                () -> "no CPython here: " + CPythonSharedState.unavailableReason().orElse(""));
        ContentionResult result = CPythonSharedState.run(2, 20_000);
        for (ContentionRun run : result.runList()) {
            assertTrue(run.present() <= run.expected(), run::toString);
            if (run.threadSafe()) {
                assertEquals(run.expected(), run.present(), run::toString);
                assertEquals(run.expected(), run.reported(), run::toString);
            }
        }
    }
}
