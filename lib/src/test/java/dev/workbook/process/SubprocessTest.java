package dev.workbook.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(NoOrphans.class)
class SubprocessTest {

    @Test
    void runCollectsTheExitCodeAndBothOutputs() throws Exception {
        CompletedProcess result = Subprocess.of("sh", "-c", "echo out; echo err >&2; exit 3").run();
        assertEquals(3, result.exitCode());
        assertEquals("out\n", result.stdout());
        assertEquals("err\n", result.stderr());
        assertEquals(List.of("sh", "-c", "echo out; echo err >&2; exit 3"), result.command());
    }

    @Test
    void checkExitCodeThrowsForANonZeroCodeQuotingStandardError() throws Exception {
        CompletedProcess ok = Subprocess.of("true").run();
        assertEquals(ok, ok.checkExitCode());
        SubprocessException failed = assertThrows(SubprocessException.class,
                () -> Subprocess.of("sh", "-c", "echo broken >&2; exit 2").run().checkExitCode());
        assertTrue(failed.getMessage().contains("exited with code 2"), failed.getMessage());
        assertTrue(failed.getMessage().contains("broken"), failed.getMessage());
        assertEquals(2, failed.result().exitCode());
    }

    @Test
    void callPrintsTheOutputLiveToTheCurrentStreams() throws Exception {
        try (Capture out = Capture.stdout(); Capture err = Capture.stderr()) {
            int code = Subprocess.of("sh", "-c", "echo one; echo two >&2; printf three").call();
            assertEquals(0, code);
            assertEquals("one\nthree", out.text());
            assertEquals("two\n", err.text());
        }
    }

    @Test
    void inputDirectoryAndEnvironmentReachTheProgram(@TempDir Path directory) throws Exception {
        CompletedProcess result = Subprocess.of("sh", "-c", "cat; pwd; echo $WORKBOOK_TEST")
                .input("from stdin\n").directory(directory).environment("WORKBOOK_TEST", "from env").run();
        assertEquals("from stdin\n" + directory.toRealPath() + "\nfrom env\n", result.stdout());
    }

    @Test
    void aProgramPastItsTimeoutIsKilledWithItsChildren() throws Exception {
        long started = System.nanoTime();
        SubprocessException late = assertThrows(SubprocessException.class,
                () -> Subprocess.of("sh", "-c", "echo started; sleep 60 & wait").timeout(Duration.ofMillis(500)).run());
        assertTrue(Duration.ofNanos(System.nanoTime() - started).toSeconds() < 30);
        assertTrue(late.getMessage().contains("did not finish within PT0.5S"), late.getMessage());
        assertEquals("started\n", late.result().stdout(), "the output so far is kept");
        assertEquals(-9, late.result().exitCode());
    }

    @Test
    void aMissingProgramIsAClearError() {
        IOException missing = assertThrows(IOException.class, () -> Subprocess.of("no-such-program-anywhere").run());
        assertTrue(missing.getMessage().startsWith("cannot run no-such-program-anywhere"), missing.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Subprocess.of(List.of()));
    }

    @Test
    void runsAnotherJvmLikeAnyProgram() throws Exception {
        CompletedProcess java = Subprocess.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-version").run();
        assertEquals(0, java.exitCode());
        assertFalse(java.stderr().isBlank());
    }
}
