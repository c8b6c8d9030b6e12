package io.github.spencerpark.ijava;

import dev.workbook.kernel.Notebook;
import dev.workbook.kernel.WorkbookKernel;

/**
 * IJava's entry point, for notebooks and libraries written for IJava:
 * {@code IJava.getKernelInstance().getRenderer()}, {@code .getMagics()}, {@code .addToClasspath(...)}.
 * The kernel it returns is this kernel, the same object as {@code getKernelInstance()} and {@code kernel()}
 * in a cell, and an IJava {@link JavaKernel} ({@code JavaKernel kernel = IJava.getKernelInstance();} compiles).
 */
public final class IJava {

    private IJava() {
    }

    /**
     * The running kernel.
     *
     * @throws IllegalStateException outside a running workbook kernel (in a plain JVM, say)
     */
    public static WorkbookKernel getKernelInstance() {
        return Notebook.getKernelInstance();
    }
}
