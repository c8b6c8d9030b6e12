package dev.workbook.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import tech.tablesaw.api.DoubleColumn;
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
}
