package dev.workbook.display;

import org.dflib.jjava.jupyter.kernel.display.RenderContext;
import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
import tech.tablesaw.api.ColumnType;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

import java.util.Set;

/**
 * Renders a Tablesaw {@link Table} for a notebook: an HTML table with the column names, row numbers and
 * numbers aligned right, and Tablesaw's own text layout for {@code text/plain}. A long table shows its
 * first and last {@value #EDGE_ROWS} rows around an ellipsis row, as pandas does, plus its shape.
 */
final class TableRendering {

    static final int EDGE_ROWS = 10;

    private TableRendering() {
    }

    static void register(Renderer renderer) {
        renderer.createRegistration(Table.class)
                .preferring(MIMEType.TEXT_HTML)
                .supporting(MIMEType.TEXT_PLAIN)
                .register(TableRendering::render);
    }

    private static void render(Table table, RenderContext context) {
        context.renderIfRequested(MIMEType.TEXT_HTML, () -> html(table));
        context.renderIfRequested(MIMEType.TEXT_PLAIN, () -> table.print(2 * EDGE_ROWS));
    }

    static String html(Table table) {
        // Not a static field: a class whose initializer failed (Tablesaw missing when a kernel first tried the
        // extension) stays unusable, even once Tablesaw is on the class path.
        Set<ColumnType> numeric = Set.of(ColumnType.SHORT, ColumnType.INTEGER, ColumnType.LONG, ColumnType.FLOAT,
                ColumnType.DOUBLE);
        int rows = table.rowCount();
        boolean cut = rows > 2 * EDGE_ROWS;
        StringBuilder html = new StringBuilder(256 + 64 * Math.min(rows, 2 * EDGE_ROWS) * Math.max(1, table.columnCount()));
        html.append("<div class=\"workbook-table\"><table class=\"dataframe\">");
        if (table.name() != null && !table.name().isBlank()) {
            html.append("<caption>").append(escape(table.name())).append("</caption>");
        }
        html.append("<thead><tr style=\"text-align: right;\"><th></th>");
        for (String name : table.columnNames()) {
            html.append("<th>").append(escape(name)).append("</th>");
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
                        .append(escape(column.getString(row))).append("</td>");
            }
            html.append("</tr>");
        }
        html.append("</tbody></table>");
        html.append("<p>").append(rows).append(rows == 1 ? " row" : " rows").append(" &times; ")
                .append(table.columnCount()).append(table.columnCount() == 1 ? " column" : " columns").append("</p></div>");
        return html.toString();
    }

    static String escape(String text) {
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
