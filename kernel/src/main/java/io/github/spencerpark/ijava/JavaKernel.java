package io.github.spencerpark.ijava;

import io.github.spencerpark.jupyter.kernel.display.Renderer;
import io.github.spencerpark.jupyter.kernel.magic.registry.Magics;
import jdk.jshell.JShell;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;

import java.util.List;

/**
 * IJava's kernel type, as notebooks declare it ({@code JavaKernel kernel = IJava.getKernelInstance();}):
 * the part of IJava's {@code JavaKernel} that notebook code uses. The workbook kernel implements it.
 */
public interface JavaKernel {

    /** The renderer: register how the notebook's types are shown. */
    Renderer getRenderer();

    /** The magics: register line and cell magics. */
    Magics getMagics();

    /** JShell, which evaluates the cells. */
    JShell getJShell();

    /** Adds class path entries (paths or globs, separated by the platform's path separator). */
    void addToClasspath(String pathList);

    /** The entries on the notebook class path, in order. */
    List<String> getClasspath();

    /** Evaluates code (magics included) in the notebook's scope; returns its last expression's value, or null. */
    Object evalRaw(String code);

    /** Shows {@code data} in the cell now. */
    void display(DisplayData data);
}
