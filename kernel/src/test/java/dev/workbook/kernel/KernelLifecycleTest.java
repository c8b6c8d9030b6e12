package dev.workbook.kernel;

import com.google.gson.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A kernel answers while it starts, and one that ends leaves nothing running behind. */
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

    @Test
    void isCompleteIsAnsweredWhileStartUpCodeIsStillRunning(@TempDir Path directory) throws Exception {
        // Start-up waits for a file the test creates only after the answer: JShell stays busy until then.
        Path go = directory.resolve("go");
        try (RunningKernel kernel = RunningKernel.start(directory, Map.of("JJAVA_STARTUP_SCRIPT",
                "while (!java.nio.file.Files.exists(java.nio.file.Path.of(\"go\"))) Thread.sleep(10);"))) {
            JsonObject request = new JsonObject();
            request.addProperty("code", "for (int i = 0; i < 3; i++) {");

            JsonObject reply = kernel.request("is_complete_request", request, Duration.ofSeconds(20));

            assertNotNull(reply, "is_complete was not answered while start-up waits for " + go);
            assertEquals("incomplete", RunningKernel.content(reply).get("status").getAsString());
            assertEquals("    ", RunningKernel.content(reply).get("indent").getAsString());
            Files.writeString(go, "");
            assertEquals("ok", kernel.execute("1").status(), "the kernel starts once the file exists");
        }
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }
}
