/**
 * Test code standing in for a notebook's own library: outside the kernel's packages, so that the cell
 * class loader defines and instruments it as it does a jar's classes. See docs/kernel.md.
 */
package dev.workbook.notebookcode;
