/**
 * IJava's runtime classes, which IJava imports statically into every cell; code that imports them by name
 * gets the same functions as {@link dev.workbook.kernel.Notebook}, which this kernel imports.
 */
package io.github.spencerpark.ijava.runtime;
