/**
 * Running snippets inside the kernel's JVM and stopping them: JShell's execution engine, the class loader
 * that defines (and instruments with stop checks) notebook classes, the threads and child processes of
 * each cell, and the interrupt that ends them. See docs/kernel.md ("Interrupt stops the cell").
 */
package dev.workbook.kernel.exec;
