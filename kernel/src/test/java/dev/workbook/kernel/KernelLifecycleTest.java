package dev.workbook.kernel;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A kernel that ends leaves nothing running behind. */
class KernelLifecycleTest {

    @Test
    void shutdownEndsTheProcessesCellsStartedAndLeftRunning() throws Exception {
        long child;
        RunningKernel kernel = RunningKernel.start();
        try {
            RunningKernel.Execution run = kernel.execute("new ProcessBuilder(\"sleep\", \"300\").start().pid()");
            child = Long.parseLong(run.result().get("text/plain").getAsString());
            assertTrue(alive(child));
        } finally {
            kernel.close();
        }

        assertFalse(kernel.isAlive(), "the kernel exited");
        assertFalse(alive(child), "its child process is gone too");
    }

    @Test
    void theKernelEndsWhenTheProcessThatStartedItEnds() throws Exception {
        Process parent = new ProcessBuilder("sleep", "300").start();
        RunningKernel kernel = RunningKernel.start(Path.of("").toAbsolutePath(),
                Map.of("JPY_PARENT_PID", Long.toString(parent.pid())));
        try {
            parent.destroy();
            parent.waitFor(10, TimeUnit.SECONDS);

            assertTrue(kernel.awaitExit(Duration.ofSeconds(20)), "the kernel exited");
        } finally {
            parent.destroyForcibly();
            kernel.close();
        }
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }
}
