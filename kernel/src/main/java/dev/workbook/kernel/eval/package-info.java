/**
 * Evaluating cells with JShell and answering questions about code without running it: cutting a cell into
 * snippets and magics, turning every way a snippet can fail (compile errors, unresolved references,
 * exceptions, interrupts) into an error that points at the cell's lines, completion, inspection and
 * {@code is_complete}. See docs/kernel.md ("Errors", "Protocol").
 */
package dev.workbook.kernel.eval;
