package dev.workbook.sharedstate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class CrossProcessCounterTest {

    @Test
    void incrementAndGetAcrossProcessesReachesTheTotalAndGetThenSetNeverExceedsIt() throws Exception {
        List<ContentionRun> runs = CrossProcessCounter.run(2, 100_000).runList();
        assertEquals(List.of("shared-long-atomic", "shared-long-get-set"), runs.stream().map(ContentionRun::strategy).toList());
        assertEquals(200_000, runs.get(0).present());
        assertTrue(runs.get(1).present() <= 200_000, runs.get(1)::toString);
        assertTrue(runs.stream().allMatch(r -> r.runtime().equals(CrossProcessCounter.RUNTIME)));
    }

    @Test
    void aChildThatEndsLongBeforeTheOtherHasDoneItsShareAndIsNoFailure() throws Exception {
        ContentionRun run = CrossProcessCounter.measure(new int[] {1, 5_000_000}, true);
        assertEquals(5_000_001, run.present());
    }
}
