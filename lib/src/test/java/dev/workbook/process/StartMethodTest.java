package dev.workbook.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@link StartMethod}: spawn and forkserver, and the rules a spare JVM follows. */
@ExtendWith(NoOrphans.class)
class StartMethodTest {

    private static final Duration WARM_WITHIN = Duration.ofSeconds(60);

    @BeforeEach
    void noSparesLeftFromOtherTests() {
        StartMethod.stopSpares();
    }

    /** Starts a forkserver child that does nothing, waits for it, and waits for the spare it leaves. */
    private static ChildProcess runEmptyChild() throws Exception {
        ChildProcess child = new ChildProcess(() -> { }).setStartMethod(StartMethod.FORKSERVER);
        child.start();
        child.join();
        assertEquals(0, child.exitCode());
        assertTrue(StartMethod.awaitSpares(WARM_WITHIN), "the spare got warm");
        return child;
    }

    private static long theOnlySpare() {
        List<Long> pids = Spares.idlePids();
        assertEquals(1, pids.size(), "one idle spare: " + pids);
        return pids.get(0);
    }

    private static void assertEnds(long pid) throws Exception {
        ProcessHandle handle = ProcessHandle.of(pid).orElse(null);
        if (handle != null) {
            handle.onExit().get(30, TimeUnit.SECONDS);
        }
        assertFalse(TestJvm.running(pid), "process " + pid + " ended");
    }

    @Test
    void aChildStartedWithASpareRunsInThatSpare() throws Exception {
        runEmptyChild();
        long spare = theOnlySpare();
        ChildProcess child = new ChildProcess(() -> System.out.println(Processes.current())).setStartMethod(StartMethod.FORKSERVER);
        try (Capture out = Capture.stdout()) {
            child.start();
            child.join();
            assertEquals(spare, child.pid());
            assertTrue(out.text().contains(child.name() + " (pid " + spare + ")"), "the spare took the child's name: " + out.text());
        }
        assertEquals(0, child.exitCode());
    }

    @Test
    void aSpareIsNeverHandedToAChildWhoseClassPathChanged(@TempDir Path directory) throws Exception {
        runEmptyChild();
        long spare = theOnlySpare();
        // A target from a class loader with one more entry, as after a notebook's %jars.
        Path classes = compileTarget(directory);
        try (URLClassLoader jars = new URLClassLoader(new URL[] {classes.toUri().toURL()}, getClass().getClassLoader())) {
            SerializableRunnable target = (SerializableRunnable) jars.loadClass("extra.Quiet").getDeclaredConstructor().newInstance();
            ChildProcess child = new ChildProcess(target).setStartMethod(StartMethod.FORKSERVER);
            child.start();
            child.join();
            assertEquals(0, child.exitCode(), String.valueOf(child.failure()));
            assertNotEquals(spare, child.pid(), "the child got a fresh JVM, not the spare of the old class path");
        }
        assertEnds(spare); // and the stale spare was stopped
    }

    @Test
    void aSpareIsNeverHandedToAChildWhoseJarWasRebuilt(@TempDir Path directory) throws Exception {
        Path jar = Files.write(directory.resolve("library.jar"), emptyJar());
        List<String> entries = new ArrayList<>(ChildClassPath.forLoaders(Set.of(getClass().getClassLoader())).entries());
        entries.add(jar.toString());
        ChildClassPath classPath = ChildClassPath.of(entries);
        JvmOptions options = JvmOptions.defaults();
        Spares.ensure(options, classPath, 1);
        assertTrue(StartMethod.awaitSpares(WARM_WITHIN));
        long spare = theOnlySpare();

        Files.setLastModifiedTime(jar, java.nio.file.attribute.FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() - 60_000));
        assertEquals(null, Spares.take("rebuilt", options, classPath), "no spare for the rebuilt jar");
        assertEnds(spare);
    }

    @Test
    void aSpareIsNeverHandedToAChildWithOtherJvmOptions() throws Exception {
        runEmptyChild();
        long spare = theOnlySpare();
        ChildProcess child = new ChildProcess(() -> { })
                .setStartMethod(StartMethod.FORKSERVER)
                .setJvmOptions(JvmOptions.defaults().withFlags("-Dworkbook.test.other=1"));
        child.start();
        child.join();
        assertNotEquals(spare, child.pid());
        assertTrue(Spares.idlePids().contains(spare), "the spare of the other options is kept for them");
    }

    @Test
    void aSpareThatDiedWhileIdleIsReplacedNotHandedOut() throws Exception {
        runEmptyChild();
        long spare = theOnlySpare();
        ProcessHandle.of(spare).orElseThrow().destroyForcibly();
        assertEnds(spare);

        ChildProcess child = new ChildProcess(() -> { }).setStartMethod(StartMethod.FORKSERVER);
        child.start();
        child.join();
        assertEquals(0, child.exitCode(), String.valueOf(child.failure()));
        assertNotEquals(spare, child.pid());
        assertTrue(StartMethod.awaitSpares(WARM_WITHIN));
        long replacement = theOnlySpare();
        assertNotEquals(spare, replacement);
        assertTrue(TestJvm.running(replacement));
    }

    @Test
    void theNextSpareBootsAfterTheChildEndsNotWhileItRuns(@TempDir Path directory) throws Exception {
        Duration before = ChildProcess.refillDelay;
        ChildProcess.refillDelay = Duration.ofHours(1); // so that only the child's end can launch the spare
        try {
            runEmptyChild();
            long spare = theOnlySpare();
            ChildProcess child = new ChildProcess(StartMethodTest::runUntilReleased, directory.toString()).setStartMethod(StartMethod.FORKSERVER);
            child.start();
            awaitFile(directory.resolve("running"));
            assertEquals(spare, child.pid());
            // The old way launched the next spare as the target began to run: give such a launch time to show.
            long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
            while (System.nanoTime() < deadline) {
                List<Long> others = ProcessHandle.current().children().map(ProcessHandle::pid).filter(pid -> pid != child.pid()).toList();
                assertEquals(List.of(), others, "no other JVM is launched while the child runs");
                Thread.sleep(10); // a window to watch, not a condition to wait for: no busy loop on a loaded machine
            }
            Files.writeString(directory.resolve("release"), "");
            child.join();
            assertEquals(0, child.exitCode(), String.valueOf(child.failure()));
            assertTrue(StartMethod.awaitSpares(WARM_WITHIN));
            long next = theOnlySpare();
            assertNotEquals(spare, next);
            assertTrue(TestJvm.running(next), "the next spare was launched when the child ended");
        } finally {
            ChildProcess.refillDelay = before;
        }
    }

    @Test
    void aChildStartedRightAfterJoinRunsInTheSpareTheEndLaunched(@TempDir Path directory) throws Exception {
        Duration before = ChildProcess.refillDelay;
        ChildProcess.refillDelay = Duration.ofHours(1);
        try {
            runEmptyChild();
            ChildProcess first = new ChildProcess(() -> { }).setStartMethod(StartMethod.FORKSERVER);
            first.start();
            first.join();
            // No waiting for the spare: it must be counted by now, so that this start waits for it.
            ChildProcess next = new ChildProcess(StartMethodTest::runUntilReleased, directory.toString()).setStartMethod(StartMethod.FORKSERVER);
            next.start();
            awaitFile(directory.resolve("running"));
            // From /proc: ProcessHandle.Info leaves out the arguments of a command line this long.
            List<String> arguments = List.of(Files.readString(Path.of("/proc", Long.toString(next.pid()), "cmdline")).split("\0"));
            assertTrue(arguments.contains(ChildMain.SPARE_ARGUMENT), "the child runs in a spare, not a fresh JVM (no "
                    + ChildMain.SPARE_ARGUMENT + " among its " + arguments.size() + " arguments)");
            Files.writeString(directory.resolve("release"), "");
            next.join();
            assertEquals(0, next.exitCode(), String.valueOf(next.failure()));
        } finally {
            ChildProcess.refillDelay = before;
        }
    }

    /** A target that says it runs (file {@code running}), then waits until file {@code release} exists. */
    private static void runUntilReleased(String directory) throws Exception {
        Files.writeString(Path.of(directory, "running"), "");
        awaitFile(Path.of(directory, "release"));
    }

    private static void awaitFile(Path file) throws InterruptedException {
        long deadline = System.nanoTime() + WARM_WITHIN.toNanos();
        while (!Files.exists(file)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(file + " did not appear within " + WARM_WITHIN);
            }
            Thread.sleep(5); // polling a file: there is nothing to wait on across processes
        }
    }

    @Test
    void aSpawnChildStartsAFreshJvmAndLeavesNoSpare() throws Exception {
        ChildProcess child = new ChildProcess(() -> { }).setStartMethod(StartMethod.SPAWN);
        child.start();
        child.join();
        assertEquals(0, child.exitCode());
        assertEquals(List.of(), Spares.idlePids());
    }

    @Test
    void aPoolWithMaxTasksPerWorkerOnSparesReturnsCorrectResults() throws Exception {
        List<Integer> numbers = IntStream.range(0, 12).boxed().toList();
        try (ProcessPool pool = ProcessPool.builder().workers(2).maxTasksPerWorker(2).startMethod(StartMethod.FORKSERVER).build()) {
            List<Long> squaresAndPids = pool.map(n -> (long) n * n * 1_000_000_000L + ProcessHandle.current().pid(), numbers);
            Set<Long> pids = new HashSet<>();
            for (int i = 0; i < numbers.size(); i++) {
                long value = squaresAndPids.get(i);
                assertEquals((long) i * i, value / 1_000_000_000L, "result of item " + i);
                pids.add(value % 1_000_000_000L);
            }
            assertTrue(pids.size() >= 6, "12 calls, 2 per worker: at least 6 workers ran them, got " + pids);
        }
    }

    @Test
    void aPoolReplacesADeadWorkerWithASpare() throws Exception {
        try (ProcessPool pool = ProcessPool.builder().workers(1).startMethod(StartMethod.FORKSERVER).build()) {
            ExecutionException died = assertThrows(ExecutionException.class, () -> pool.submit(StartMethodTest::halt).get());
            assertInstanceOf(WorkerDiedException.class, died.getCause());
            pool.submit(StartMethodTest::pid).get(); // the first replacement, which started the next spare
            assertTrue(StartMethod.awaitSpares(WARM_WITHIN));
            long spare = theOnlySpare();
            assertThrows(ExecutionException.class, () -> pool.submit(StartMethodTest::halt).get());
            assertEquals(spare, pool.submit(StartMethodTest::pid).get(), "the second replacement is the spare");
        }
    }

    @Test
    void aPoolLeavesOneSparePerWorkerWhenItEndsAndTheNextPoolStartsOnThem() throws Exception {
        try (ProcessPool pool = ProcessPool.builder().workers(2).startMethod(StartMethod.FORKSERVER).build()) {
            pool.awaitReady();
        }
        assertTrue(StartMethod.awaitSpares(WARM_WITHIN));
        Set<Long> spares = new HashSet<>(Spares.idlePids());
        assertEquals(2, spares.size(), "spares: " + spares);
        try (ProcessPool next = ProcessPool.builder().workers(2).startMethod(StartMethod.FORKSERVER).build()) {
            next.awaitReady();
            assertEquals(spares, new HashSet<>(next.workerPids()));
            assertEquals(List.of(), Spares.idlePids(), "the first workers' spares are refilled when the pool ends");
        }
    }

    @Test
    void startMethodsGoByCPythonsNamesAndForkIsRefusedWithTheReason() {
        assertEquals(StartMethod.SPAWN, StartMethod.named("spawn"));
        assertEquals(StartMethod.FORKSERVER, StartMethod.named("forkserver"));
        IllegalArgumentException fork = assertThrows(IllegalArgumentException.class, () -> StartMethod.named("fork"));
        assertTrue(fork.getMessage().contains("cannot fork"), fork.getMessage());
        assertThrows(IllegalArgumentException.class, () -> StartMethod.named("clone"));
    }

    @Test
    void theProcessWideDefaultAppliesToChildrenAndPoolsThatDoNotChoose() {
        StartMethod before = StartMethod.defaultMethod();
        try {
            StartMethod.setDefault(StartMethod.SPAWN);
            assertEquals(StartMethod.SPAWN, new ChildProcess(() -> { }).startMethod());
            StartMethod.setDefault(StartMethod.FORKSERVER);
            assertEquals(StartMethod.FORKSERVER, new ChildProcess(() -> { }).startMethod());
            assertEquals(StartMethod.SPAWN, new ChildProcess(() -> { }).setStartMethod(StartMethod.SPAWN).startMethod());
        } finally {
            StartMethod.setDefault(before);
        }
    }

    private static Long halt() {
        Runtime.getRuntime().halt(3);
        return 0L;
    }

    private static Long pid() {
        return ProcessHandle.current().pid();
    }

    /** Compiles {@code extra.Quiet}, a target that does nothing, into a directory of its own. */
    private static Path compileTarget(Path directory) throws Exception {
        Path source = Files.createDirectories(directory.resolve("src/extra")).resolve("Quiet.java");
        Files.writeString(source, "package extra; public class Quiet implements dev.workbook.process.SerializableRunnable { public void run() { } }");
        Path classes = directory.resolve("classes");
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertEquals(0, javac.run(null, null, null, "-d", classes.toString(), "-cp", System.getProperty("java.class.path"), source.toString()));
        return classes;
    }

    private static byte[] emptyJar() throws Exception {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.util.jar.JarOutputStream jar = new java.util.jar.JarOutputStream(bytes)) {
            jar.putNextEntry(new java.util.jar.JarEntry("empty.txt"));
            jar.closeEntry();
        }
        return bytes.toByteArray();
    }
}
