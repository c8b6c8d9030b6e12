package dev.workbook.kernel;

import dev.workbook.kernel.eval.CellEvaluator;
import dev.workbook.kernel.eval.CodeIntelligence;
import dev.workbook.kernel.exec.CellExecutionControl;
import jdk.jshell.JShell;
import org.dflib.jjava.jupyter.kernel.BaseKernel;

import java.io.File;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The JShell instance behind the notebook and what works on it: the evaluator and the code intelligence.
 *
 * <p>JShell compiles against the kernel's notebook API only (this kernel's classes and the base library),
 * not against the kernel's own dependencies, which notebook code cannot load either (see
 * {@code CellClassLoader}). JShell takes its initial compile class path from {@code java.class.path}, so
 * the property holds that API class path while JShell is built.
 */
final class NotebookShell {

    final JShell jshell;
    final CellEvaluator evaluator;
    final CodeIntelligence intelligence;

    private NotebookShell(JShell jshell, CellEvaluator evaluator, CodeIntelligence intelligence) {
        this.jshell = jshell;
        this.evaluator = evaluator;
        this.intelligence = intelligence;
    }

    static NotebookShell create(CellExecutionControl control, List<String> compilerOptions, PrintStream log,
                                Supplier<Set<String>> lineMagics, Supplier<Set<String>> cellMagics) {
        List<String> api = apiClasspath();
        JShell jshell;
        synchronized (System.class) {
            String saved = System.getProperty("java.class.path");
            System.setProperty("java.class.path", String.join(File.pathSeparator, api));
            try {
                jshell = JShell.builder()
                        .executionEngine(control.provider(), Map.of())
                        .compilerOptions(compilerOptions.toArray(new String[0]))
                        .out(log)
                        .err(log)
                        .in(InputStream.nullInputStream())
                        .build();
            } finally {
                System.setProperty("java.class.path", saved);
            }
        }
        // Pin the compiler's class path to the API entries now: left alone, javac would read the
        // (restored) property at its first compilation. The control keeps the entry compile-only.
        control.setCompileOnly(api);
        jshell.addToClasspath(api.get(0));
        return new NotebookShell(jshell, new CellEvaluator(jshell, control),
                new CodeIntelligence(jshell, lineMagics, cellMagics));
    }

    /** Where the notebook API's classes live: this kernel's jar (or classes directory) and the base library's jar. */
    static List<String> apiClasspath() {
        List<String> entries = new ArrayList<>();
        entries.add(locationOf(NotebookShell.class));
        String base = locationOf(BaseKernel.class);
        if (!entries.contains(base)) {
            entries.add(base);
        }
        return entries;
    }

    private static String locationOf(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException | RuntimeException e) {
            throw new IllegalStateException("cannot tell where " + type.getName() + " was loaded from", e);
        }
    }
}
