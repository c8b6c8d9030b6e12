/**
 * Showing and keeping results, for any table: charts in one style ({@link dev.workbook.report.Charts}),
 * their PNG and SVG files ({@link dev.workbook.report.ChartImages}), readable tables and their HTML
 * ({@link dev.workbook.report.Tables}), a self-contained HTML report ({@link dev.workbook.report.HtmlReport}),
 * CSV files that carry the machine's facts ({@link dev.workbook.report.ResultsCsv}), several machines' results
 * beside the lesson's own figures ({@link dev.workbook.report.Comparison}, and {@code ./workbook compare}'s page,
 * {@link dev.workbook.report.CompareMain}), and programs' JSON-lines output read into tables
 * ({@link dev.workbook.report.JsonLines}).
 *
 * <p>It knows nothing of experiments: {@code dev.workbook.experiment} builds its charts on this
 * package, never the reverse. The notebooks display these tables and charts through
 * {@code dev.workbook.display}.
 */
package dev.workbook.report;
