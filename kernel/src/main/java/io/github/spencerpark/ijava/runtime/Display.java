package io.github.spencerpark.ijava.runtime;

import dev.workbook.kernel.Notebook;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;

/** IJava's display functions; each is {@link Notebook}'s function of the same name. */
public final class Display {

    private Display() {
    }

    public static DisplayData render(Object value) {
        return Notebook.render(value);
    }

    public static DisplayData render(Object value, String... mimeTypes) {
        return Notebook.render(value, mimeTypes);
    }

    public static String display(Object value) {
        return Notebook.display(value);
    }

    public static String display(Object value, String... mimeTypes) {
        return Notebook.display(value, mimeTypes);
    }

    public static void updateDisplay(String id, Object value) {
        Notebook.updateDisplay(id, value);
    }

    public static void updateDisplay(String id, Object value, String... mimeTypes) {
        Notebook.updateDisplay(id, value, mimeTypes);
    }
}
