package dev.workbook.display;

import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WorkbookDisplayExtensionTest {

    private Renderer renderer;

    @BeforeEach
    void registerOnAFreshRenderer() {
        renderer = new Renderer();
        WorkbookDisplayExtension.registerRenderers(renderer);
    }

    private static Table timings(int rows) {
        return Table.create("timings",
                IntColumn.create("workers", IntStream.rangeClosed(1, rows).toArray()),
                DoubleColumn.create("seconds", IntStream.rangeClosed(1, rows).mapToDouble(i -> 10.0 / i).toArray()));
    }

    @Test
    void aTableRendersAsAnHtmlTableWithItsColumnsAndValues() {
        DisplayData data = renderer.render(timings(3));

        String html = (String) data.getData(MIMEType.TEXT_HTML);
        assertTrue(html.contains("<th>workers</th>") && html.contains("<th>seconds</th>"), html);
        assertTrue(html.contains("<caption>timings</caption>"), html);
        assertTrue(html.contains(">3</td>"), html);
        assertTrue(html.contains("3 rows &times; 2 columns"), html);
    }

    @Test
    void aTableAlsoRendersAsTextForFrontEndsWithoutHtml() {
        String text = (String) renderer.render(timings(3)).getData(MIMEType.TEXT_PLAIN);

        assertTrue(text.contains("workers") && text.contains("seconds") && text.contains("3.333"), text);
    }

    @Test
    void aLongTableShowsItsFirstAndLastRowsAroundAnEllipsis() {
        String html = (String) renderer.render(timings(1000)).getData(MIMEType.TEXT_HTML);

        assertTrue(html.contains("<th>9</th>"), "row 9 is among the first ten");
        assertFalse(html.contains("<th>10</th>"), "row 10 is cut");
        assertTrue(html.contains("&hellip;"));
        assertTrue(html.contains("<th>999</th>"), "the last row is shown");
        assertTrue(html.contains("1000 rows &times; 2 columns"));
    }

    @Test
    void tableCellsAreEscapedSoThatDataCannotInjectHtml() {
        Table table = Table.create("t", StringColumn.create("name", new String[]{"<script>alert(1)</script>"}));

        String html = (String) renderer.render(table).getData(MIMEType.TEXT_HTML);

        assertFalse(html.contains("<script>"), html);
        assertTrue(html.contains("&lt;script&gt;"), html);
    }

    private static XYChart chart() {
        XYChart chart = new XYChartBuilder().width(320).height(200).title("speed-up").build();
        chart.addSeries("threads", new double[]{1, 2, 4}, new double[]{1, 1.9, 3.5});
        return chart;
    }

    @Test
    void aChartRendersAsAPngImage() throws IOException {
        String png = (String) renderer.render(chart()).getData(MIMEType.IMAGE_PNG);

        byte[] bytes = Base64.getDecoder().decode(png);
        byte[] signature = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
        assertArrayEquals(signature, Arrays.copyOf(bytes, 8));
        assertEquals(320, javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(bytes)).getWidth());
    }

    @Test
    void aChartRendersAsSvgWhenAskedFor() {
        DisplayData data = renderer.renderAs(chart(), "image/svg+xml");

        String svg = (String) data.getData(MIMEType.IMAGE_SVG);
        assertTrue(svg.contains("<svg"), svg.substring(0, Math.min(200, svg.length())));
        assertFalse(data.hasDataForType(MIMEType.IMAGE_PNG), "only what was asked for (and text) is rendered");
    }

    @Test
    void aChartDescribesItselfAsText() {
        String text = (String) renderer.render(chart()).getData(MIMEType.TEXT_PLAIN);

        assertEquals("XYChart \"speed-up\" (320x200 px)", text);
    }

    @Test
    void theExtensionIsDeclaredForServiceLoading() throws IOException {
        try (InputStream in = getClass().getResourceAsStream("/META-INF/services/org.dflib.jjava.jupyter.Extension")) {
            assertEquals(WorkbookDisplayExtension.class.getName(), new String(in.readAllBytes(), StandardCharsets.UTF_8).trim());
        }
    }
}
