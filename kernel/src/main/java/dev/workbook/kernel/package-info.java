/**
 * The workbook's Jupyter kernel for Java: its entry point ({@link dev.workbook.kernel.KernelMain}), start-up
 * (the environment's settings, the JVM options, JShell and the default imports), the server that answers
 * the Jupyter protocol's requests, and the notebook API every cell sees ({@link dev.workbook.kernel.Notebook},
 * {@link dev.workbook.kernel.WorkbookKernel}). The packages below hold its parts; docs/kernel.md describes
 * the kernel as its users see it.
 */
package dev.workbook.kernel;
