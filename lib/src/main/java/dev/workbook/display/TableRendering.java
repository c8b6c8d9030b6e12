package dev.workbook.display;

import dev.workbook.report.Tables;
import org.dflib.jjava.jupyter.kernel.display.RenderContext;
import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
import tech.tablesaw.api.Table;

/**
 * Renders a Tablesaw {@link Table} for a notebook: an HTML table ({@link Tables#html}: column names, row
 * numbers, numbers aligned right), and Tablesaw's own text layout for {@code text/plain}. A long table shows its
 * first and last {@value Tables#EDGE_ROWS} rows around an ellipsis row, as pandas does, plus its shape.
 */
final class TableRendering {

    private TableRendering() {
    }

    static void register(Renderer renderer) {
        renderer.createRegistration(Table.class)
                .preferring(MIMEType.TEXT_HTML)
                .supporting(MIMEType.TEXT_PLAIN)
                .register(TableRendering::render);
    }

    private static void render(Table table, RenderContext context) {
        context.renderIfRequested(MIMEType.TEXT_HTML, () -> Tables.html(table));
        context.renderIfRequested(MIMEType.TEXT_PLAIN, () -> table.print(2 * Tables.EDGE_ROWS));
    }
}
