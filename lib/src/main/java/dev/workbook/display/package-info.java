/**
 * How a notebook shows the workbook's results: a Tablesaw {@code Table} as HTML and an XChart chart as a
 * PNG or SVG image, registered as a JJava extension ({@link dev.workbook.display.WorkbookDisplayExtension},
 * found through {@code META-INF/services}) on our kernel and on JJava.
 *
 * <p>The only package of the library that needs the JJava API (a {@code provided} dependency, which the
 * kernel supplies); the JBang scripts leave it out. It renders what {@code dev.workbook.report} makes, and shows
 * an experiment's progress live ({@link dev.workbook.display.LiveProgress}, a {@code dev.workbook.experiment}
 * {@code Progress}).
 * See docs/kernel.md.
 */
package dev.workbook.display;
