package dev.workbook.kernel;

import org.dflib.jjava.jupyter.kernel.history.HistoryEntry;
import org.dflib.jjava.jupyter.kernel.history.HistoryManager;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** History answers tail, range and search requests over the session's cells. */
class SessionHistoryTest {

    private final SessionHistory history = new SessionHistory();
    private final Set<HistoryManager.ResultFlag> none = EnumSet.noneOf(HistoryManager.ResultFlag.class);

    @BeforeEach
    void executeFourCells() {
        history.recordInput(1, "int a = 1;");
        history.recordInput(2, "a + 1");
        history.recordOutput(2, "2");
        history.recordInput(3, "a + 1");
        history.recordInput(4, "print(a)");
    }

    private static List<String> inputs(List<HistoryEntry> entries) {
        return entries.stream().map(HistoryEntry::getInput).collect(Collectors.toList());
    }

    @Test
    void tailGivesTheLastCells() {
        assertEquals(List.of("a + 1", "print(a)"), inputs(history.lookupTail(2, none)));
    }

    @Test
    void rangeGivesCellsFromStartUpToStop() {
        List<HistoryEntry> range = history.lookupRange(SessionHistory.SESSION, 2, 4, none);

        assertEquals(List.of(2, 3), range.stream().map(HistoryEntry::getCellNumber).collect(Collectors.toList()));
    }

    @Test
    void searchMatchesAGlobAndCanDropRepeats() {
        assertEquals(List.of("a + 1", "a + 1"), inputs(history.search("a *", 0, none)));
        assertEquals(List.of("a + 1"), inputs(history.search("a *", 0, EnumSet.of(HistoryManager.ResultFlag.UNIQUE))));
    }

    @Test
    void outputIsIncludedWhenAskedFor() {
        List<HistoryEntry> withOutput = history.lookupRange(0, 2, 3, EnumSet.of(HistoryManager.ResultFlag.INCLUDE_OUTPUT));

        assertEquals("2", withOutput.get(0).getOutput());
    }
}
