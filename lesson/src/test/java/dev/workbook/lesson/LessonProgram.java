package dev.workbook.lesson;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.workbook.process.CompletedProcess;
import dev.workbook.process.Subprocess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs a lesson program's {@code main} in a JVM of its own, as a JBang script or a reader at a shell
 * runs it, through the library's {@link Subprocess} (whose timeout ends a program that hangs).
 */
final class LessonProgram {

    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static final Pattern PID = Pattern.compile("\\bPID: (\\d+)");

    private LessonProgram() {
    }

    /** Runs {@code main} with this JVM's class path and Agrona's export; fails unless it exits 0. */
    static String run(Class<?> main) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        CompletedProcess done = Subprocess.of(List.of(java, "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED",
                        "-cp", System.getProperty("java.class.path"), main.getName()))
                .timeout(TIMEOUT).run();
        assertEquals(0, done.exitCode(), main.getSimpleName() + " failed:\n" + done.stdout() + done.stderr());
        return done.stdout();
    }

    /** Checks that no process whose pid the output printed ({@code PID: n}) outlived the program. */
    static void assertEveryPrintedPidEnded(String output) {
        Matcher pids = PID.matcher(output);
        while (pids.find()) {
            long pid = Long.parseLong(pids.group(1));
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false),
                    "process " + pid + " outlived the program that started it:\n" + output);
        }
    }

    /** How many lines of the text are exactly {@code line}. */
    static long count(String line, String text) {
        return text.lines().filter(line::equals).count();
    }
}
