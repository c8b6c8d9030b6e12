package dev.workbook.kernel;

import dev.workbook.kernel.magic.KernelMagics;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The code a kernel runs before the first cell: IJava's default imports and the notebook functions, then
 * the start-up scripts the environment names.
 */
final class StartupCode {

    /**
     * The default imports of IJava and JJava together (IJava's seven packages, and {@code java.time}, which
     * JJava added), and the notebook API for every cell. Not more: each further on-demand import (the jshell
     * tool's {@code java.util.stream}, {@code java.util.function}...) could make a simple name that a
     * notebook imports from its own library with {@code import lib.*} ambiguous.
     */
    static final String DEFAULT_IMPORTS = String.join("\n",
            "import java.util.*;",
            "import java.io.*;",
            "import java.math.*;",
            "import java.net.*;",
            "import java.time.*;",
            "import java.util.concurrent.*;",
            "import java.util.prefs.*;",
            "import java.util.regex.*;",
            "import static dev.workbook.kernel.Notebook.*;");

    /** One script to run: a name for errors, and its code. */
    static final class Script {
        final String label;
        final String code;

        Script(String label, String code) {
            this.label = label;
            this.code = code;
        }
    }

    private StartupCode() {
    }

    /** The scripts of {@code IJAVA_STARTUP_SCRIPTS_PATH} (in order, globs expanded), then {@code IJAVA_STARTUP_SCRIPT}. */
    static List<Script> scripts(KernelConfig config, Path workingDirectory) {
        List<Script> scripts = new ArrayList<>();
        for (String pattern : config.startupScriptPaths) {
            List<Path> files = KernelMagics.expandPaths(pattern, workingDirectory);
            if (files.isEmpty()) {
                System.err.println("The start-up script path '" + pattern + "' matches no file.");
            }
            for (Path file : files) {
                try {
                    scripts.add(new Script("start-up script " + file.getFileName(), Files.readString(file)));
                } catch (IOException e) {
                    System.err.println("Cannot read the start-up script " + file + ": " + e.getMessage());
                }
            }
        }
        for (String code : config.startupScripts) {
            scripts.add(new Script("start-up script", code));
        }
        return scripts;
    }
}
