package dev.workbook.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.ColumnType;
import tech.tablesaw.api.Table;

class JsonLinesTest {

    private static final String LESSON_OUTPUT = """
            starting
            {"implementation": "CPython threads", "workers": 16, "wall_s": 8.5, "python": "3.11.2"}
            {"implementation": "CPython \\"processes\\"", "workers": 16, "wall_s": 4.25, "gil": true}
            """;

    @Test
    void eachObjectLineBecomesARecordAndOtherLinesArePassedOver() {
        List<Map<String, Object>> records = JsonLines.read(LESSON_OUTPUT);
        assertEquals(2, records.size());
        assertEquals(Map.of("implementation", "CPython threads", "workers", 16.0, "wall_s", 8.5, "python", "3.11.2"),
                records.get(0));
        assertEquals("CPython \"processes\"", records.get(1).get("implementation"));
        assertEquals(true, records.get(1).get("gil"));
    }

    @Test
    void aTableHasAColumnPerKeyTypedByItsValuesAndMissingWhereALineLacksTheKey() {
        Table table = JsonLines.table("lesson", LESSON_OUTPUT);
        assertEquals(List.of("implementation", "workers", "wall_s", "python", "gil"), table.columnNames());
        assertEquals(ColumnType.DOUBLE, table.column("wall_s").type());
        assertEquals(ColumnType.STRING, table.column("implementation").type());
        assertEquals(ColumnType.BOOLEAN, table.column("gil").type());
        assertEquals(4.25, table.doubleColumn("wall_s").get(1));
        assertTrue(table.column("python").isMissing(1));
        assertTrue(table.column("gil").isMissing(0));
    }

    @Test
    void aMalformedLineIsRefusedWithItsNumberAndColumn() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> JsonLines.read("{\"a\": 1}\n{\"b\" 2}"));
        assertTrue(e.getMessage().startsWith("line 2 is not a flat JSON object: expected ':'"), e.getMessage());
        assertTrue(e.getMessage().contains("column 6"), e.getMessage());
    }

    @Test
    void anArrayOfValuesIsReadAsAListAndShownAsTextInATable() {
        String line = "{\"answers\": [true, false], \"n\": 2}";
        assertEquals(List.of(true, false), JsonLines.read(line).get(0).get("answers"));
        assertEquals("[true, false]", JsonLines.table("t", line).stringColumn("answers").get(0));
    }

    @Test
    void nestedValuesAreRefusedRatherThanFlattenedByGuess() {
        for (String line : List.of("{\"a\": {\"b\": 1}}", "{\"a\": [[1], [2]]}")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JsonLines.read(line));
            assertTrue(e.getMessage().contains("nested objects and arrays of arrays are not read"), e.getMessage());
        }
    }

    @Test
    void aLineCutShortIsRefusedNotReadAsHalfARecord() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> JsonLines.read("{\"a\": \"unterminated"));
        assertTrue(e.getMessage().contains("the line ends inside the object"), e.getMessage());
    }

    @Test
    void textWithoutObjectsMakesNoTableAndSaysWhatWasExpected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> JsonLines.table("python", "Traceback (most recent call last):"));
        assertTrue(e.getMessage().contains("no JSON object") && e.getMessage().contains("Traceback"), e.getMessage());
    }
}
