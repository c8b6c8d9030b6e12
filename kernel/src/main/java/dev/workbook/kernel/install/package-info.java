/**
 * Installing and removing the kernelspec ({@code kernel/install}): where Jupyter looks for kernels, the
 * {@code kernel.json} written there, the JDK check and the logo. See docs/kernel.md ("Install").
 */
package dev.workbook.kernel.install;
