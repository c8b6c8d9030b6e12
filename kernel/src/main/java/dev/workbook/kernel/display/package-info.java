/**
 * How the kernel shows JDK types that the base library renders only as text: Swing and AWT components
 * are painted off-screen (headless mode included) and shown as PNG images.
 */
package dev.workbook.kernel.display;
