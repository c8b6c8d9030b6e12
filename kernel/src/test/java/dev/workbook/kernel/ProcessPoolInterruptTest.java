package dev.workbook.kernel;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Interrupting a cell that waits in the workbook's {@code ProcessPool.map} over slow items ends the cell
 * with an interrupt error in bounded time, leaves no worker JVM of the stopped work behind (checked in the
 * kernel's process tree), and the next cell can use a new pool. The lib side (map cancels its calls when
 * the waiting thread is interrupted or stopped) has its own tests; this is the path through the kernel.
 */
class ProcessPoolInterruptTest {

    /**
     * A map whose items each sleep far longer than the test waits, once they have printed the pid of the
     * worker that runs them (a worker's output reaches the cell): the test interrupts at the first.
     */
    private static final String SLOW_MAP = "pool.map((Integer item) -> {\n"
            + "  System.out.println(\"running in \" + ProcessHandle.current().pid());\n"
            + "  Thread.sleep(120_000);\n  return item;\n}, List.of(1, 2, 3, 4));";

    private static List<Long> workersThatRan(RunningKernel.Execution run) {
        Matcher pids = Pattern.compile("running in (\\d+)").matcher(run.stream("stdout"));
        List<Long> workers = new ArrayList<>();
        while (pids.find()) {
            workers.add(Long.parseLong(pids.group(1)));
        }
        return workers;
    }

    /**
     * Stops the kernel's idle spare JVMs (the default start method, forkserver, keeps some ready and
     * refills them when a pool shuts down), once those booting are up: they are nobody's workers, so
     * what is left under the kernel after this is what the pools left behind.
     */
    private static void stopSpares() throws Exception {
        RunningKernel.Execution stopped = kernel.execute("dev.workbook.process.StartMethod.awaitSpares(java.time.Duration.ofSeconds(30));\n"
                + "dev.workbook.process.StartMethod.stopSpares();");
        assertEquals("ok", stopped.status(), stopped.traceback());
    }

    private static RunningKernel kernel;

    @BeforeAll
    static void startKernelWithTheLibrary() throws Exception {
        kernel = RunningKernel.start();
        Path libTarget = Path.of("..", "lib", "target").toAbsolutePath().normalize();
        RunningKernel.Execution loaded = kernel.execute("%jars " + libTarget + "/workbook-lib-*.jar\n"
                + "%jars " + libTarget + "/dependency/*.jar\nimport dev.workbook.process.ProcessPool;");
        assertEquals("ok", loaded.status(), loaded.traceback());
    }

    @AfterAll
    static void stopKernel() throws Exception {
        kernel.close();
    }

    private static List<Long> kernelDescendants() {
        return ProcessHandle.of(kernel.pid()).orElseThrow().descendants().map(ProcessHandle::pid).collect(Collectors.toList());
    }

    private static List<String> alive(List<Long> pids) {
        return pids.stream().flatMap(pid -> ProcessHandle.of(pid).stream()).filter(ProcessHandle::isAlive)
                .map(p -> p.pid() + " " + p.info().commandLine().orElse("")).collect(Collectors.toList());
    }

    private static void assertAllEnd(List<Long> workers, Duration within) throws InterruptedException {
        Instant deadline = Instant.now().plus(within);
        while (!alive(workers).isEmpty() && Instant.now().isBefore(deadline)) {
            Thread.sleep(50); // polling a process table: there is nothing to wait on for a non-child
        }
        assertEquals(List.of(), alive(workers), "worker JVMs left running");
    }

    @Test
    void interruptingAMapInThePoolsOwnCellEndsTheCellAndEveryWorkerAndANewPoolWorks() throws Exception {
        Instant interrupted = Instant.now();
        RunningKernel.Execution run = kernel.executeAndInterrupt("var pool = new ProcessPool(2);\n"
                + SLOW_MAP);
        Duration took = Duration.between(interrupted, Instant.now());

        assertEquals("error", run.status(), run.outputs.toString());
        assertEquals("EvaluationInterruptedException", run.reply.get("ename").getAsString(), run.traceback());
        assertTrue(took.compareTo(Duration.ofSeconds(30)) < 0, "the cell ended " + took + " after the interrupt");
        stopSpares();
        assertAllEnd(kernelDescendants(), Duration.ofSeconds(15));
        RunningKernel.Execution next = kernel.execute("try (var fresh = new ProcessPool(1)) {\n"
                + "  System.out.println(fresh.map((Integer x) -> x * 2, List.of(21)));\n}");
        assertEquals("ok", next.status(), next.traceback());
        assertEquals("[42]\n", next.stream("stdout"));
    }

    @Test
    void interruptingAMapOnAPoolOfAnEarlierCellEndsItsBusyWorkersAndThePoolStaysUsable() throws Exception {
        stopSpares(); // so that the pool's workers are the kernel's only children
        RunningKernel.Execution created = kernel.execute("var shared = new ProcessPool(2);\n"
                + "shared.map((Integer item) -> item, List.of(1, 2));");
        assertEquals("ok", created.status(), created.traceback());
        assertEquals(2, kernelDescendants().size(), "two worker JVMs: " + kernelDescendants());

        RunningKernel.Execution run = kernel.executeAndInterrupt(SLOW_MAP.replace("pool.", "shared."));

        assertEquals("EvaluationInterruptedException", run.reply.get("ename").getAsString(), run.traceback());
        List<Long> busy = workersThatRan(run);
        assertFalse(busy.isEmpty(), "an item was running when the interrupt came: " + run.outputs);
        assertAllEnd(busy, Duration.ofSeconds(15));
        RunningKernel.Execution next = kernel.execute("System.out.println(shared.map((Integer x) -> x + 1, List.of(1, 2)));\n"
                + "shared.close();");
        assertEquals("ok", next.status(), next.traceback());
        assertEquals("[2, 3]\n", next.stream("stdout"));
        stopSpares();
        assertAllEnd(kernelDescendants(), Duration.ofSeconds(15));
    }
}
