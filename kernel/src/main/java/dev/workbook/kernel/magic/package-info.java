/**
 * The magics of IJava and JJava ({@code %jars}, {@code %classpath}, {@code %maven}, {@code %loadFromPOM},
 * {@code %load}...): path globs, POM reading, and resolving Maven artifacts with their dependencies as
 * Maven itself does. See docs/kernel.md ("Magics").
 */
package dev.workbook.kernel.magic;
