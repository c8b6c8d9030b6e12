package dev.workbook.kernel;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.ToolProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An interrupt really stops a cell: a CPU-bound loop (in the cell or in a jar's code), the threads the
 * cell started, and the child processes it started. Works without {@code Thread.stop} (JDK 20+).
 */
class InterruptTest {

    private static RunningKernel kernel;

    @BeforeAll
    static void startKernel() throws Exception {
        kernel = RunningKernel.start();
    }

    @AfterAll
    static void stopKernel() throws Exception {
        kernel.close();
    }

    private static RunningKernel.Execution interrupted(String code) {
        return kernel.executeAndInterrupt(code);
    }

    @Test
    void interruptStopsACpuBoundLoop() {
        RunningKernel.Execution run = interrupted("long spins = 0;\n"
                + "while (true) { if (spins++ == 1000) System.out.println(\"running\"); }");

        assertEquals("error", run.status());
        assertEquals("EvaluationInterruptedException", run.reply.get("ename").getAsString());
        assertEquals("ok", kernel.execute("1 + 1").status(), "the kernel takes the next cell");
    }

    @Test
    void interruptStopsALoopInsideAJarOnTheClassPath(@TempDir Path dir) throws Exception {
        Path source = dir.resolve("Spinner.java");
        Files.writeString(source, "package spin; public class Spinner { public static long spin() {"
                + " System.out.println(\"running\"); long n = 0; while (n >= 0) { n = (n * 31 + 7) % 1_000_003; } return n; } }");
        assertEquals(0, ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", dir.toString(), source.toString()));
        assertEquals("ok", kernel.execute("%classpath " + dir).status());

        RunningKernel.Execution run = interrupted("spin.Spinner.spin()");

        assertEquals("EvaluationInterruptedException", run.reply.get("ename").getAsString());
    }

    @Test
    void interruptEndsTheChildProcessesTheCellStarted() {
        RunningKernel.Execution run = interrupted("Process sleeper = new ProcessBuilder(\"sleep\", \"120\").start();\n"
                + "System.out.println(\"running\");\nsleeper.waitFor();");

        Matcher pid = Pattern.compile("pid (\\d+) \\(").matcher(run.traceback());
        assertTrue(pid.find(), "the error lists the ended process: " + run.traceback());
        long childPid = Long.parseLong(pid.group(1));
        assertFalse(ProcessHandle.of(childPid).map(ProcessHandle::isAlive).orElse(false), "pid " + childPid + " is gone");
    }

    @Test
    void interruptStopsTheThreadsTheCellStarted() {
        interrupted("Thread spinner = new Thread(() -> { long n = 0; while (true) { n++; } }, \"spinner\");\n"
                + "spinner.start();\nSystem.out.println(\"running\");\nspinner.join();");

        RunningKernel.Execution check = kernel.execute("Thread.sleep(200);\nspinner.isAlive()");
        assertEquals("false", check.plainResult());
    }

    @Test
    void interruptWakesASleepingCell() {
        RunningKernel.Execution run = interrupted("System.out.println(\"running\");\nThread.sleep(120_000);");

        assertEquals("EvaluationInterruptedException", run.reply.get("ename").getAsString());
    }

    @Test
    void threadsOfEarlierCellsSurviveAnInterrupt() {
        kernel.execute("var keeper = new java.util.concurrent.atomic.AtomicLong();\n"
                + "Thread background = new Thread(() -> { while (!Thread.currentThread().isInterrupted()) keeper.incrementAndGet(); });\n"
                + "background.setDaemon(true);\nbackground.start();");

        interrupted("System.out.println(\"running\");\nwhile (true) { }");

        RunningKernel.Execution check = kernel.execute("background.isAlive()");
        assertEquals("true", check.plainResult());
        kernel.execute("background.interrupt();");
    }
}
