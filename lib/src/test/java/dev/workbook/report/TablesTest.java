package dev.workbook.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategorySeries;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

class TablesTest {

    @Test
    void digitsFollowTheColumnName() {
        Table table = Tables.readable(Table.create("t",
                DoubleColumn.create("wall_s", 0.123456),
                DoubleColumn.create("cpu_pct", 196.4),
                DoubleColumn.create("speedup", 1.95321)));
        assertEquals("0.123", table.doubleColumn("wall_s").getString(0));
        assertEquals("196", table.doubleColumn("cpu_pct").getString(0));
        assertEquals("1.95", table.doubleColumn("speedup").getString(0));
    }

    @Test
    void valuesKeepTheirFullPrecision() {
        Table table = Tables.readable(Table.create("t", DoubleColumn.create("wall_s", 0.123456)));
        assertEquals(0.123456, table.doubleColumn("wall_s").get(0));
    }

    @Test
    void htmlShowsTheNameColumnsAndReadableNumbers() {
        String html = Tables.html(Tables.readable(Table.create("timings",
                DoubleColumn.create("wall_s", 0.123456), DoubleColumn.create("speedup", 1.95321))));
        assertTrue(html.contains("<caption>timings</caption>"), html);
        assertTrue(html.contains("<th>wall_s</th>") && html.contains("<th>speedup</th>"), html);
        assertTrue(html.contains(">0.123</td>") && html.contains(">1.95</td>"), html);
        assertTrue(html.contains("1 row &times; 2 columns"), html);
    }

    @Test
    void htmlEscapesText() {
        String html = Tables.html(Table.create("<b>", StringColumn.create("note", "a < b & \"c\"")));
        assertTrue(html.contains("<caption>&lt;b&gt;</caption>"), html);
        assertTrue(html.contains("a &lt; b &amp; &quot;c&quot;"), html);
    }

    @Test
    void aRowIsFoundByItsValuesNotByItsPlace() {
        Table table = scaling();
        assertEquals(0.5, Tables.number(table, "wall_ms", Map.of("algorithm", "wheel", "threads", 2)));
        assertEquals(4.0, Tables.number(table, "wall_ms", Map.of("algorithm", "trial division", "threads", 1.0)));
    }

    @Test
    void aLookupThatMatchesNoRowOrSeveralSaysHowMany() {
        Table table = scaling();
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                () -> Tables.number(table, "wall_ms", Map.of("algorithm", "wheel", "threads", 3)));
        assertTrue(none.getMessage().startsWith("0 rows of table 'scaling' have"), none.getMessage());
        IllegalArgumentException two = assertThrows(IllegalArgumentException.class,
                () -> Tables.number(table, "wall_ms", Map.of("algorithm", "wheel")));
        assertTrue(two.getMessage().startsWith("2 rows"), two.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Tables.number(table, "algorithm", Map.of("threads", 1)));
    }

    @Test
    void barsTakeTheirLabelsFromColumnsAndSkipRowsWithoutAValue() {
        Table table = scaling();
        table.doubleColumn("wall_ms").setMissing(3);
        CategoryChart chart = Charts.bars("t", "ms", table, List.of("algorithm", "threads"), "wall_ms");
        CategorySeries series = chart.getSeriesMap().values().iterator().next();
        assertEquals(List.of("trial division, 1", "trial division, 2", "wheel, 1"), series.getXData());
        assertEquals(List.of(4.0, 2.0, 1.0), series.getYData());
    }

    private static Table scaling() {
        return Table.create("scaling",
                StringColumn.create("algorithm", "trial division", "trial division", "wheel", "wheel"),
                IntColumn.create("threads", 1, 2, 1, 2),
                DoubleColumn.create("wall_ms", 4.0, 2.0, 1.0, 0.5));
    }
}
