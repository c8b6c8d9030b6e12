package dev.workbook.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import tech.tablesaw.api.DoubleColumn;
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
}
