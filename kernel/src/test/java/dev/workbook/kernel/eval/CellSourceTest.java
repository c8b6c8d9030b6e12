package dev.workbook.kernel.eval;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A cell is cut into timed and untimed pieces that remember where they start. */
class CellSourceTest {

    @Test
    void aCellWithoutTimingIsOneUntimedPiece() {
        List<CellSource.Segment> segments = CellSource.parse("int a = 1;\na + 1").segments();

        assertEquals(1, segments.size());
        assertFalse(segments.get(0).timed);
        assertEquals(0, segments.get(0).firstLine);
    }

    @Test
    void aTimeCellMagicTimesEverythingAfterIt() {
        List<CellSource.Segment> segments = CellSource.parse("%%time\nlong s = 0;\ns").segments();

        assertEquals(1, segments.size());
        assertTrue(segments.get(0).timed);
        assertEquals("long s = 0;\ns", segments.get(0).code);
        assertEquals(1, segments.get(0).firstLine);
    }

    @Test
    void aTimeLineMagicTimesItsOwnLineOnly() {
        List<CellSource.Segment> segments = CellSource.parse("int a = 1;\n%time work(a);\nint b = 2;").segments();

        assertEquals(3, segments.size());
        assertFalse(segments.get(0).timed);
        assertTrue(segments.get(1).timed);
        assertEquals("work(a);", segments.get(1).code);
        assertEquals(1, segments.get(1).firstLine);
        assertEquals(6, segments.get(1).firstColumn, "column of 'work' in the cell");
        assertEquals(2, segments.get(2).firstLine);
    }

    @Test
    void aTimeCellMagicBelowTheFirstLineIsAnError() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> CellSource.parse("int a;\n%%time\na = 1;"));

        assertTrue(error.getMessage().contains("first line"), error.getMessage());
    }
}
