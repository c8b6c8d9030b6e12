package dev.workbook.kernel.exec;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Notebook code sees the JDK, the notebook API and its own class path; nothing of the kernel's libraries. */
class CellClassLoaderTest {

    private CellClassLoader loader;

    @BeforeEach
    void makeLoader() throws Exception {
        loader = new CellClassLoader(getClass().getClassLoader(), new StopInstrumenter());
        loader.addPath(StopInstrumenterTest.testClasses());
    }

    @Test
    void jdkClassesAreTheJdks() throws Exception {
        assertSame(String.class, loader.loadClass("java.lang.String"));
        assertSame(java.sql.Connection.class, loader.loadClass("java.sql.Connection"));
        assertSame(jdk.jshell.JShell.class, loader.loadClass("jdk.jshell.JShell"));
    }

    @Test
    void theNotebookApiComesFromTheKernel() throws Exception {
        assertSame(dev.workbook.kernel.Notebook.class, loader.loadClass("dev.workbook.kernel.Notebook"));
        assertSame(org.dflib.jjava.jupyter.Extension.class, loader.loadClass("org.dflib.jjava.jupyter.Extension"));
    }

    @Test
    void theKernelsOwnLibrariesAreInvisible() {
        assertThrows(ClassNotFoundException.class, () -> loader.loadClass("com.google.gson.Gson"));
        assertThrows(ClassNotFoundException.class, () -> loader.loadClass("org.objectweb.asm.ClassReader"));
    }

    @Test
    void classesOnTheNotebookClassPathAreDefinedByIt() throws Exception {
        assertSame(loader, loader.loadClass("dev.workbook.notebookcode.Spinner").getClassLoader());
    }

    @Test
    void aClassReadAsAResourceHasItsOriginalBytes() throws Exception {
        Path file = StopInstrumenterTest.testClasses().resolve("dev/workbook/notebookcode/Spinner.class");
        loader.loadClass("dev.workbook.notebookcode.Spinner");

        try (InputStream in = loader.getResourceAsStream("dev/workbook/notebookcode/Spinner.class")) {
            assertArrayEquals(Files.readAllBytes(file), in.readAllBytes());
        }
    }

    @Test
    void snippetClassesCanBeReadAsResourcesForShippingToChildJvms() throws Exception {
        byte[] bytes = Files.readAllBytes(StopInstrumenterTest.testClasses().resolve("dev/workbook/notebookcode/Spinner.class"));
        loader.declare("REPL.$JShell$7", bytes);

        try (InputStream in = loader.getResourceAsStream("REPL/$JShell$7.class")) {
            assertArrayEquals(bytes, in.readAllBytes());
        }
        assertEquals("jshell-snippet", loader.getResource("REPL/$JShell$7.class").getProtocol());
    }
}
