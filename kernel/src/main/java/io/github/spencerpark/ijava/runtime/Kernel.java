package io.github.spencerpark.ijava.runtime;

import dev.workbook.kernel.Notebook;
import dev.workbook.kernel.WorkbookKernel;

/** IJava's kernel functions; each is {@link Notebook}'s function of the same name. */
public final class Kernel {

    private Kernel() {
    }

    public static WorkbookKernel getKernelInstance() {
        return Notebook.getKernelInstance();
    }

    public static Object eval(String code) {
        return Notebook.eval(code);
    }
}
