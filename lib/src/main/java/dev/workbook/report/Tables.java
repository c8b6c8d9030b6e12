package dev.workbook.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tech.tablesaw.api.ColumnType;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.NumericColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;
import tech.tablesaw.columns.numbers.NumberColumnFormatter;

/**
 * How the workbook prints tables: numbers with few enough digits to read, chosen by the column's
 * name ({@link #readable}), and tables as HTML ({@link #html}), for notebooks and reports. Only the
 * printed (and HTML) form changes; values, and the CSV files written from them, keep full precision.
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

    /** A table longer than twice this many rows shows only its first and last this many in HTML. */
    public static final int EDGE_ROWS = 10;

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

    /**
     * The number in {@code column} of the one row whose columns have the given values, such as
     * {@code number(scaling, "wall_ms", Map.of("algorithm", "wheel", "threads", 2))}: a row found by
     * what it is, not by where it happens to be. Numbers match by value ({@code 2} matches
     * {@code 2.0}); other values by their text.
     *
     * @throws IllegalArgumentException if a column is missing or not numeric, or not exactly one row
     *                                  matches (the message says how many did)
     */
    public static double number(Table table, String column, Map<String, ?> where) {
        for (String name : where.keySet()) {
            Charts.requireColumn(table, name);
        }
        Charts.requireColumn(table, column);
        if (!(table.column(column) instanceof NumericColumn<?> numbers)) {
            throw new IllegalArgumentException("column '" + column + "' of table '" + table.name() + "' is not numeric");
        }
        List<Integer> rows = new ArrayList<>();
        for (int row = 0; row < table.rowCount(); row++) {
            int r = row;
            if (where.entrySet().stream().allMatch(e -> matches(table.column(e.getKey()).get(r), e.getValue()))) {
                rows.add(row);
            }
        }
        if (rows.size() != 1) {
            throw new IllegalArgumentException(rows.size() + " rows of table '" + table.name() + "' have " + where
                    + "; name columns that pick out exactly one");
        }
        if (numbers.isMissing(rows.get(0))) {
            throw new IllegalArgumentException("the row of table '" + table.name() + "' with " + where
                    + " has no value in '" + column + "'");
        }
        return numbers.getDouble(rows.get(0));
    }

    private static boolean matches(Object cell, Object wanted) {
        if (cell instanceof Number a && wanted instanceof Number b) {
            return a.doubleValue() == b.doubleValue();
        }
        return cell != null && String.valueOf(cell).equals(String.valueOf(wanted));
    }

    /**
     * The table as an HTML fragment: a {@code <table>} with its name as caption, the column names, row
     * numbers, numbers aligned right and printed as {@link #readable} sets them, and its shape below.
     * A table of more than {@code 2 * EDGE_ROWS} rows shows its first and last {@value #EDGE_ROWS}
     * around an ellipsis row, as pandas does. Every text is escaped.
     */
    public static String html(Table table) {
        // Not a static field: loading this class must not need Tablesaw (a kernel may load the notebook
        // extension before Tablesaw is on its class path, and a class whose initializer failed stays unusable).
        Set<ColumnType> numeric = Set.of(ColumnType.SHORT, ColumnType.INTEGER, ColumnType.LONG, ColumnType.FLOAT,
                ColumnType.DOUBLE);
        int rows = table.rowCount();
        boolean cut = rows > 2 * EDGE_ROWS;
        StringBuilder html = new StringBuilder(256 + 64 * Math.min(rows, 2 * EDGE_ROWS) * Math.max(1, table.columnCount()));
        html.append("<div class=\"workbook-table\"><table class=\"dataframe\">");
        if (table.name() != null && !table.name().isBlank()) {
            html.append("<caption>").append(escapeHtml(table.name())).append("</caption>");
        }
        html.append("<thead><tr style=\"text-align: right;\"><th></th>");
        for (String name : table.columnNames()) {
            html.append("<th>").append(escapeHtml(name)).append("</th>");
        }
        html.append("</tr></thead><tbody>");
        for (int row = 0; row < rows; row++) {
            if (cut && row == EDGE_ROWS) {
                html.append("<tr><th>&hellip;</th>");
                for (int c = 0; c < table.columnCount(); c++) {
                    html.append("<td>&hellip;</td>");
                }
                html.append("</tr>");
                row = rows - EDGE_ROWS;
            }
            html.append("<tr><th>").append(row).append("</th>");
            for (int c = 0; c < table.columnCount(); c++) {
                Column<?> column = table.column(c);
                html.append(numeric.contains(column.type()) ? "<td style=\"text-align: right;\">" : "<td>")
                        .append(escapeHtml(column.getString(row))).append("</td>");
            }
            html.append("</tr>");
        }
        html.append("</tbody></table>");
        html.append("<p>").append(rows).append(rows == 1 ? " row" : " rows").append(" &times; ")
                .append(table.columnCount()).append(table.columnCount() == 1 ? " column" : " columns").append("</p></div>");
        return html.toString();
    }

    /** The text with {@code < > & "} escaped for HTML; "" for null. */
    public static String escapeHtml(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<': out.append("&lt;"); break;
                case '>': out.append("&gt;"); break;
                case '&': out.append("&amp;"); break;
                case '"': out.append("&quot;"); break;
                default: out.append(c);
            }
        }
        return out.toString();
    }
}
