package dev.workbook.report;

import dev.workbook.measure.MachineFacts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import org.knowm.xchart.internal.chartpart.Chart;
import tech.tablesaw.api.Table;

/**
 * A report as one self-contained HTML file, for people without Jupyter: headings, paragraphs, the
 * machine's facts, tables ({@link Tables#html}) and charts embedded as PNG images ({@code data:} URIs),
 * with its style inline. The file needs nothing else to display: it can be mailed or attached as it is.
 *
 * <pre>{@code
 * HtmlReport report = new HtmlReport("Threads vs processes")
 *         .facts(result.facts())
 *         .heading("The lesson's prime check")
 *         .table(result.summary())
 *         .chart(result.speedupChart());
 * report.write(Path.of("reports", "report.html"));
 * }</pre>
 *
 * <p>Text given to {@link #paragraph} and {@link #heading} is escaped: it is text, not markup.
 * Parts appear in the order they are added. Not thread-safe.
 */
public final class HtmlReport {

    private static final String STYLE = String.join("\n",
            "body { font-family: system-ui, -apple-system, 'Segoe UI', sans-serif; max-width: 60rem; margin: 2rem auto;"
                    + " padding: 0 1rem; color: #222; line-height: 1.45; }",
            "h1 { font-size: 1.6rem; } h2 { font-size: 1.25rem; margin-top: 2.2rem; border-bottom: 1px solid #ddd; }",
            "table { border-collapse: collapse; margin: 0.8rem 0; font-size: 0.85rem; }",
            "caption { text-align: left; font-weight: 600; padding-bottom: 0.3rem; }",
            "th, td { border: 1px solid #ddd; padding: 0.2rem 0.5rem; } thead th { background: #f4f4f4; }",
            ".workbook-table p, .note { color: #666; font-size: 0.85rem; }",
            "img { max-width: 100%; height: auto; display: block; margin: 0.8rem 0; }",
            "dl.facts { display: grid; grid-template-columns: max-content auto; gap: 0.1rem 1rem; }",
            "dl.facts dt { font-weight: 600; } dl.facts dd { margin: 0; }");

    private final String title;
    private final StringBuilder body = new StringBuilder();

    /** An empty report; {@code title} is the page's title and its first heading. */
    public HtmlReport(String title) {
        this.title = Objects.requireNonNull(title, "title");
    }

    /** A section heading. */
    public HtmlReport heading(String text) {
        body.append("<h2>").append(Tables.escapeHtml(text)).append("</h2>\n");
        return this;
    }

    /** A paragraph of text. */
    public HtmlReport paragraph(String text) {
        body.append("<p>").append(Tables.escapeHtml(text)).append("</p>\n");
        return this;
    }

    /** A paragraph in small grey type: how a figure was measured, a caveat. */
    public HtmlReport note(String text) {
        body.append("<p class=\"note\">").append(Tables.escapeHtml(text)).append("</p>\n");
        return this;
    }

    /** Label/value pairs as a definition list, such as {@link MachineFacts#asMap()}. */
    public HtmlReport facts(Map<String, String> facts) {
        body.append("<dl class=\"facts\">");
        facts.forEach((label, value) -> body.append("<dt>").append(Tables.escapeHtml(label)).append("</dt><dd>")
                .append(Tables.escapeHtml(value)).append("</dd>"));
        body.append("</dl>\n");
        return this;
    }

    /** The machine and JVM facts, as a definition list. */
    public HtmlReport facts(MachineFacts facts) {
        return facts(facts.asMap());
    }

    /** A table, as {@link Tables#html} renders it. */
    public HtmlReport table(Table table) {
        body.append(Tables.html(table)).append('\n');
        return this;
    }

    /**
     * A chart, embedded as a PNG image; its title is the image's alternative text.
     *
     * @throws IOException if the chart cannot be drawn
     */
    public HtmlReport chart(Chart<?, ?> chart) throws IOException {
        String png = Base64.getEncoder().encodeToString(ChartImages.png(chart));
        String alt = chart.getTitle() == null || chart.getTitle().isBlank() ? "chart" : chart.getTitle();
        body.append("<img alt=\"").append(Tables.escapeHtml(alt)).append("\" width=\"").append(chart.getWidth())
                .append("\" height=\"").append(chart.getHeight()).append("\" src=\"data:image/png;base64,")
                .append(png).append("\">\n");
        return this;
    }

    /** The whole page. */
    public String html() {
        return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                + "<title>" + Tables.escapeHtml(title) + "</title>\n<style>\n" + STYLE + "\n</style>\n</head>\n<body>\n"
                + "<h1>" + Tables.escapeHtml(title) + "</h1>\n" + body + "</body>\n</html>\n";
    }

    /**
     * Writes the page to {@code file} in UTF-8, creating its directory: through a temporary file in the
     * same directory, renamed into place, so that a reader never sees half a report.
     *
     * @return the file
     */
    public Path write(Path file) throws IOException {
        byte[] page = html().getBytes(StandardCharsets.UTF_8);
        return ChartImages.writeAtomically(file, out -> out.write(page));
    }
}
