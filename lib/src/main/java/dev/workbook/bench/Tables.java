package dev.workbook.bench;

import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.numbers.NumberColumnFormatter;

/**
 * How the workbook prints numbers in tables: few enough digits to read, chosen by the column's name.
 * Only the printed (and HTML) form changes; values, and the CSV files written from them, keep full
 * precision.
 *
 * <table>
 *   <caption>Digits after the decimal point, by column name</caption>
 *   <tr><th>name</th><th>digits</th><th>examples</th></tr>
 *   <tr><td>ends with {@code _pct}</td><td>0</td><td>{@code cpu_pct}</td></tr>
 *   <tr><td>ends with {@code _s} or {@code _ms}, or is {@code seconds}</td><td>3</td><td>{@code wall_s}</td></tr>
 *   <tr><td>any other floating-point column</td><td>2</td><td>{@code speedup}, {@code us_per_number}</td></tr>
 * </table>
 */
public final class Tables {

    private Tables() {
    }

    /** Sets the print format of every floating-point column of {@code table}; returns the same table. */
    public static Table readable(Table table) {
        for (String name : table.columnNames()) {
            if (table.column(name) instanceof DoubleColumn column) {
                column.setPrintFormatter(NumberColumnFormatter.fixedWithGrouping(digitsFor(name)));
            }
        }
        return table;
    }

    static int digitsFor(String column) {
        if (column.endsWith("_pct")) {
            return 0;
        }
        if (column.endsWith("_s") || column.endsWith("_ms") || column.equals("seconds")) {
            return 3;
        }
        return 2;
    }
}
