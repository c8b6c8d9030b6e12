package io.github.spencerpark.ijava.runtime;

import dev.workbook.kernel.Notebook;

import java.util.List;

/** IJava's magic functions; each is {@link Notebook}'s function of the same name. */
public final class Magics {

    private Magics() {
    }

    public static <T> T lineMagic(String name, List<String> args) {
        return Notebook.lineMagic(name, args);
    }

    public static <T> T cellMagic(String name, List<String> args, String body) {
        return Notebook.cellMagic(name, args, body);
    }
}
