package dev.workbook.process;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The orphan checker finds every JVM of this test JVM's family, however long its command line. */
@ExtendWith(NoOrphans.class)
class NoOrphansTest {

    private static final Duration LONG_WAIT = Duration.ofSeconds(30);

    /** The main class of the deliberate orphan: waits until it is killed. */
    static final class Lingerer {
        public static void main(String[] args) throws InterruptedException {
            Thread.sleep(Long.MAX_VALUE);
        }
    }

    /** This test JVM's class path, then directories that do not exist, up to about {@code length} characters. */
    private static String classPathOfLength(int length) {
        StringBuilder classPath = new StringBuilder(System.getProperty("java.class.path"));
        for (int i = 0; classPath.length() < length; i++) {
            classPath.append(File.pathSeparator).append("/nonexistent/padding-directory-").append(i);
        }
        return classPath.toString();
    }

    @Test
    void aFamilyJvmWhoseCommandLineIsOverFourKibIsFound() throws Exception {
        List<String> command = new ArrayList<>(TestJvm.command(Lingerer.class));
        command.set(command.indexOf("-cp") + 1, classPathOfLength(16 * 1024));
        Process lingerer = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        try {
            long deadline = System.nanoTime() + LONG_WAIT.toNanos();
            boolean found = false;
            while (!found && lingerer.isAlive() && System.nanoTime() < deadline) {
                found = NoOrphans.familyMembers().stream().anyMatch(handle -> handle.pid() == lingerer.pid());
            }
            assertTrue(lingerer.isAlive(), "the lingering JVM is running (exit code "
                    + (lingerer.isAlive() ? "-" : lingerer.exitValue()) + ")");
            assertTrue(found, "the checker missed JVM " + lingerer.pid() + " of this family, whose command line is "
                    + String.join(" ", command).length() + " characters long");
        } finally {
            lingerer.destroyForcibly();
            lingerer.waitFor(LONG_WAIT.toSeconds(), TimeUnit.SECONDS);
        }
    }
}
