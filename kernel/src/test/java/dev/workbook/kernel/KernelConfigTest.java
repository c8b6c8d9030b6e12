package dev.workbook.kernel;

import dev.workbook.kernel.exec.CellClassLoader;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The environment variables of IJava and of JJava both configure the kernel. */
class KernelConfigTest {

    @Test
    void classPathEntriesComeFromBothNames() {
        KernelConfig config = KernelConfig.from(Map.of(
                "IJAVA_CLASSPATH", "a.jar" + File.pathSeparator + "libs/*.jar",
                "JJAVA_CLASSPATH", "b.jar"));

        assertEquals(List.of("a.jar", "libs/*.jar", "b.jar"), config.classpath);
    }

    @Test
    void aTimeoutIsMillisecondsOrANumberWithAUnit() {
        assertEquals(TimeUnit.MILLISECONDS.toNanos(1500), KernelConfig.from(Map.of("IJAVA_TIMEOUT", "1500")).timeoutNanos);
        assertEquals(TimeUnit.SECONDS.toNanos(30), KernelConfig.from(Map.of("JJAVA_TIMEOUT", "30 SECONDS")).timeoutNanos);
        assertEquals(-1, KernelConfig.from(Map.of("IJAVA_TIMEOUT", "-1")).timeoutNanos);
    }

    @Test
    void aBadTimeoutIsReportedAndIgnored() {
        KernelConfig config = KernelConfig.from(Map.of("IJAVA_TIMEOUT", "soon"));

        assertEquals(-1, config.timeoutNanos);
        assertTrue(config.problems.get(0).contains("IJAVA_TIMEOUT=soon"), config.problems.toString());
    }

    @Test
    void startupScriptsAndCompilerOptionsAreRead() {
        KernelConfig config = KernelConfig.from(Map.of(
                "IJAVA_STARTUP_SCRIPT", "int x = 1;",
                "JJAVA_STARTUP_SCRIPTS_PATH", "init.jshell",
                "IJAVA_COMPILER_OPTS", "-parameters  -Xlint:none"));

        assertEquals(List.of("int x = 1;"), config.startupScripts);
        assertEquals(List.of("init.jshell"), config.startupScriptPaths);
        assertEquals(List.of("-parameters", "-Xlint:none"), config.compilerOptions);
    }

    @Test
    void stopChecksCoverEveryClassUnlessLimited() {
        assertEquals(CellClassLoader.StopChecks.ALL, KernelConfig.from(Map.of()).stopChecks);
        assertEquals(CellClassLoader.StopChecks.CELLS, KernelConfig.from(Map.of("WORKBOOK_KERNEL_STOP_CHECKS", "cells")).stopChecks);
        KernelConfig wrong = KernelConfig.from(Map.of("WORKBOOK_KERNEL_STOP_CHECKS", "some"));
        assertEquals(CellClassLoader.StopChecks.ALL, wrong.stopChecks);
        assertTrue(wrong.problems.get(0).contains("not one of all, cells, off"), wrong.problems.toString());
    }

    @Test
    void extensionsLoadUnlessTurnedOff() {
        assertTrue(KernelConfig.from(Map.of()).loadExtensions);
        assertFalse(KernelConfig.from(Map.of("JJAVA_LOAD_EXTENSIONS", "0")).loadExtensions);
    }

    @Test
    void jvmOptionsOfIJavaThenJJavaAreReadWithDoubleQuotesGrouping() {
        KernelConfig config = KernelConfig.from(Map.of(
                "IJAVA_JVM_OPTS", "-Xmx1g",
                "JJAVA_JVM_OPTS", " -Xmx300m  \"-Dtitle=two words\""));

        assertEquals(List.of("-Xmx1g", "-Xmx300m", "-Dtitle=two words"), config.jvmOptions,
                "JJava's come last, so that its -Xmx wins");
    }
}
