package dev.workbook.kernel;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code JJAVA_JVM_OPTS} (and IJava's {@code IJAVA_JVM_OPTS}) set the options of the JVM the cells run in,
 * as with JJava; the JVM that starts it for the purpose leaves nothing behind.
 */
class JvmOptionsTest {

    private static final Path HERE = Path.of("").toAbsolutePath();

    @Test
    void theVariablesOptionsApplyToTheJvmThatRunsTheCells() throws Exception {
        try (RunningKernel kernel = RunningKernel.start(HERE, Map.of(
                "IJAVA_JVM_OPTS", "-Dfrom.ijava=yes -Xmx900m",
                "JJAVA_JVM_OPTS", "-Xmx300m \"-Dfrom.jjava=two words\""))) {

            long heapMiB = Long.parseLong(kernel.execute("Runtime.getRuntime().maxMemory() / (1024 * 1024)").plainResult());
            assertTrue(heapMiB > 250 && heapMiB <= 300, "JJAVA_JVM_OPTS's -Xmx300m wins over IJAVA_JVM_OPTS's: " + heapMiB);
            assertEquals("yes two words", kernel.execute("System.getProperty(\"from.ijava\") + \" \""
                    + " + System.getProperty(\"from.jjava\")").plainResult());
        }
    }

    @Test
    void anOptionTheJvmRefusesEndsTheKernelWithAMessageNamingTheVariable() {
        IllegalStateException error = assertThrows(IllegalStateException.class,
                () -> RunningKernel.start(HERE, Map.of("JJAVA_JVM_OPTS", "-Xmxplenty")).close());

        assertTrue(error.getMessage().contains("-Xmxplenty"), error.getMessage());
        assertTrue(error.getMessage().contains("JJAVA_JVM_OPTS"), error.getMessage());
    }

    @Test
    void killingTheLaunchingJvmEndsTheKernelsJvm() throws Exception {
        try (RunningKernel kernel = RunningKernel.start(HERE, Map.of("JJAVA_JVM_OPTS", "-Xmx300m"))) {
            long cells = Long.parseLong(kernel.execute("ProcessHandle.current().pid()").plainResult());
            assertTrue(cells != kernel.pid(), "the cells run in a JVM of their own");
            ProcessHandle cellJvm = ProcessHandle.of(cells).orElseThrow();

            ProcessHandle.of(kernel.pid()).orElseThrow().destroyForcibly();

            assertTrue(kernel.awaitExit(Duration.ofSeconds(20)));
            cellJvm.onExit().get(20, java.util.concurrent.TimeUnit.SECONDS);
            assertFalse(cellJvm.isAlive(), "no orphan kernel JVM");
        }
    }
}
