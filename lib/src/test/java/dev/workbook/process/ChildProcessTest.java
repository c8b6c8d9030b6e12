package dev.workbook.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(NoOrphans.class)
class ChildProcessTest {

    private static final Duration LONG_WAIT = Duration.ofSeconds(30);

    @Test
    void aChildThatReturnsExitsWithCodeZero() throws Exception {
        ChildProcess child = new ChildProcess(() -> { });
        assertNull(child.exitCode(), "no exit code before start");
        assertFalse(child.isAlive(), "not alive before start");
        child.start();
        child.join();
        assertEquals(0, child.exitCode());
        assertFalse(child.isAlive());
        assertTrue(child.failure().isEmpty());
    }

    @Test
    void whileTheChildRunsExitCodeIsNullAndJoinWithTimeoutReturnsFalse() throws Exception {
        ChildProcess child = new ChildProcess(() -> Thread.sleep(60_000));
        child.start();
        try {
            assertFalse(child.join(Duration.ofMillis(300)), "join(timeout) returns false while the child runs");
            assertTrue(child.isAlive());
            assertNull(child.exitCode());
        } finally {
            child.kill();
        }
        assertTrue(child.join(LONG_WAIT), "join(timeout) returns true once the child has ended");
        assertFalse(child.isAlive());
    }

    @Test
    void systemExitInTheTargetBecomesTheExitCode() throws Exception {
        ChildProcess child = new ChildProcess(() -> System.exit(7));
        child.start();
        child.join();
        assertEquals(7, child.exitCode());
        assertTrue(child.failure().isEmpty(), "System.exit is not a failure of the target");
    }

    static void explode(String why) {
        throw new IllegalStateException("boom: " + why);
    }

    @Test
    void anExceptionInTheTargetGivesExitCodeOneAndComesBackWithTheChildsStackTrace() throws Exception {
        ChildProcess child = new ChildProcess(ChildProcessTest::explode, "test");
        try (Capture err = Capture.stderr()) {
            child.start();
            child.join();
            assertTrue(err.text().contains("Exception in " + child.name() + " (pid " + child.pid() + ")"),
                    "the child reports the exception on its standard error: " + err.text());
        }
        assertEquals(1, child.exitCode());
        Throwable failure = child.failure().orElseThrow();
        assertInstanceOf(IllegalStateException.class, failure, "the original exception type is rebuilt");
        assertEquals("boom: test", failure.getMessage());
        assertTrue(Arrays.stream(failure.getStackTrace()).anyMatch(frame -> frame.getMethodName().equals("explode")),
                "the stack trace is the child's, with the throwing method: " + Arrays.toString(failure.getStackTrace()));
        assertTrue(Arrays.stream(failure.getStackTrace()).anyMatch(frame -> frame.getClassName().equals(ChildMain.class.getName())),
                "the stack trace ends in the child's main class");
    }

    @Test
    void terminateSendsSigtermSoTheChildRunsItsShutdownHooks() throws Exception {
        ChildProcess child = new ChildProcess(() -> {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> System.out.println("child shutdown hook ran")));
            System.out.println("child waiting");
            Thread.sleep(60_000);
        });
        try (Capture out = Capture.stdout()) {
            child.start();
            assertNotNull(out.awaitLine("child waiting"::equals, LONG_WAIT));
            child.terminate();
            child.join();
            assertTrue(out.lines().contains("child shutdown hook ran"), out.text());
        }
        assertEquals(-15, child.exitCode(), "minus SIGTERM, as Python reports it");
    }

    @Test
    void killSendsSigkill() throws Exception {
        ChildProcess child = new ChildProcess(() -> Thread.sleep(60_000));
        child.start();
        child.kill();
        child.join();
        assertEquals(-9, child.exitCode(), "minus SIGKILL, as Python reports it");
    }

    @Test
    void theChildKnowsItsNameItsPidAndItsParent() throws Exception {
        ChildProcess child = new ChildProcess(() -> {
            System.out.println("current: " + Processes.current());
            System.out.println("parent: " + Processes.parent().orElseThrow());
            System.out.println("as the operating system sees it: " + ProcessHandle.current().pid());
        });
        try (Capture out = Capture.stdout()) {
            child.start();
            child.join();
            List<String> lines = out.lines();
            assertTrue(lines.contains("current: " + child.name() + " (pid " + child.pid() + ")"), lines.toString());
            assertTrue(lines.contains("as the operating system sees it: " + child.pid()), lines.toString());
            assertTrue(lines.contains("parent: MainProcess (pid " + ProcessHandle.current().pid() + ")"), lines.toString());
        }
        assertNotEquals(ProcessHandle.current().pid(), child.pid());
    }

    @Test
    void theParentIsTheMainProcess() {
        assertEquals(Processes.MAIN_PROCESS_NAME, Processes.current().name());
        assertEquals(ProcessHandle.current().pid(), Processes.current().pid());
        assertTrue(Processes.parent().isEmpty());
    }

    @Test
    void namesCountUpUnlessSetBeforeStart() throws Exception {
        ChildProcess first = new ChildProcess(() -> { });
        ChildProcess second = new ChildProcess(() -> { });
        int n = Integer.parseInt(first.name().substring("Process-".length()));
        assertEquals("Process-" + (n + 1), second.name());
        second.setName("worker-a");
        assertEquals("worker-a", second.name());
        second.start();
        assertThrows(IllegalStateException.class, () -> second.setName("too late"));
        second.join();
    }

    @Test
    void activeChildrenListsTheChildrenThatHaveNotEnded() throws Exception {
        ChildProcess child = new ChildProcess(() -> Thread.sleep(60_000));
        assertFalse(Processes.activeChildren().contains(child));
        child.start();
        assertTrue(Processes.activeChildren().contains(child));
        child.kill();
        child.join();
        assertFalse(Processes.activeChildren().contains(child));
    }

    static void popFirst(String who, List<Integer> nums) {
        System.out.println(who + " took " + nums.remove(0) + ", left " + nums);
    }

    @Test
    void argumentsTravelByValueSoEachChildHasItsOwnCopy() throws Exception {
        List<Integer> nums = new ArrayList<>(List.of(20, 30, 40));
        ChildProcess ping = new ChildProcess(ChildProcessTest::popFirst, "ping", nums);
        ChildProcess pong = new ChildProcess(ChildProcessTest::popFirst, "pong", nums);
        try (Capture out = Capture.stdout()) {
            ping.start();
            pong.start();
            ping.join();
            pong.join();
            assertTrue(out.lines().contains("ping took 20, left [30, 40]"), out.text());
            assertTrue(out.lines().contains("pong took 20, left [30, 40]"), out.text());
        }
        assertEquals(List.of(20, 30, 40), nums, "the parent's list is untouched");
    }

    @Test
    void outputGoesLineByLineToTheSystemOutOfTheMomentEachLineArrives() throws Exception {
        ChildProcess child = new ChildProcess(() -> {
            System.out.println("first");
            Thread.sleep(1000);
            System.out.println("second");
        });
        try (Capture cellOne = Capture.stdout()) {
            child.start();
            assertNotNull(cellOne.awaitLine("first"::equals, LONG_WAIT));
            try (Capture cellTwo = Capture.stdout()) { // as a notebook kernel does when the next cell runs
                child.join();
                assertEquals(List.of("second"), cellTwo.lines());
                assertEquals(List.of("first"), cellOne.lines());
            }
        }
    }

    @Test
    void standardErrorGoesToSystemErr() throws Exception {
        ChildProcess child = new ChildProcess(() -> System.err.println("to stderr: héllo ✓"));
        try (Capture err = Capture.stderr()) {
            child.start();
            child.join();
            assertTrue(err.lines().contains("to stderr: héllo ✓"), "non-ASCII text survives too: " + err.text());
        }
    }

    static void printLines(char letter) {
        String line = String.valueOf(letter).repeat(500);
        for (int i = 0; i < 300; i++) {
            System.out.println(line);
        }
    }

    @Test
    void linesOfSeveralChildrenNeverMixMidLine() throws Exception {
        List<ChildProcess> children = new ArrayList<>();
        for (char letter : "abc".toCharArray()) {
            children.add(new ChildProcess(ChildProcessTest::printLines, letter));
        }
        try (Capture out = Capture.stdout()) {
            for (ChildProcess child : children) {
                child.start();
            }
            for (ChildProcess child : children) {
                child.join();
            }
            List<String> lines = out.lines();
            assertEquals(900, lines.size());
            for (String line : lines) {
                assertTrue(line.length() == 500 && line.chars().allMatch(c -> c == line.charAt(0)), "mixed line: " + line);
            }
        }
    }

    /** A target holding something that cannot be copied to another JVM. */
    record HoldsAThread(Thread worker) implements SerializableRunnable {
        @Override
        public void run() {
        }
    }

    @Test
    void aNonSerializableTargetIsRefusedAtStartNamingTheClassAndTheField() {
        long childrenBefore = ProcessHandle.current().children().count();
        ChildProcess child = new ChildProcess(new HoldsAThread(new Thread(() -> { })));
        NotSerializableTargetException refused = assertThrows(NotSerializableTargetException.class, child::start);
        assertEquals("java.lang.Thread", refused.offendingClass());
        assertTrue(refused.getMessage().contains("field 'worker' of " + HoldsAThread.class.getName()), refused.getMessage());
        assertTrue(refused.getMessage().contains("java.lang.Thread, which is not Serializable"), refused.getMessage());
        assertThrows(IllegalStateException.class, child::pid, "no process was launched");
        assertEquals(childrenBefore, ProcessHandle.current().children().count(), "no process was launched");
    }

    @Test
    void aLambdaCapturingSomethingNotSerializableIsRefusedNamingTheCapturedVariable() {
        Object lock = new Object();
        ChildProcess child = new ChildProcess(() -> System.out.println(lock));
        NotSerializableTargetException refused = assertThrows(NotSerializableTargetException.class, child::start);
        assertEquals("java.lang.Object", refused.offendingClass());
        assertTrue(refused.getMessage().contains("captured variable #1 (java.lang.Object)"), refused.getMessage());
        assertTrue(refused.getMessage().contains("lambda in ChildProcessTest"), refused.getMessage());
    }

    @Test
    void jvmOptionsReachTheChild() throws Exception {
        ChildProcess child = new ChildProcess(() -> {
            System.out.println("max heap MiB " + Runtime.getRuntime().maxMemory() / (1024 * 1024));
            System.out.println("property " + System.getProperty("workbook.test"));
        });
        child.setJvmOptions(JvmOptions.defaults().withMaxHeap("48m").withFlags("-Dworkbook.test=hello"));
        try (Capture out = Capture.stdout()) {
            child.start();
            child.join();
            String heap = out.awaitLine(line -> line.startsWith("max heap MiB "), Duration.ZERO);
            assertNotNull(heap, out.text());
            assertTrue(Long.parseLong(heap.substring("max heap MiB ".length())) <= 48, heap);
            assertTrue(out.lines().contains("property hello"), out.text());
        }
    }

    @Test
    void aChildJvmThatCannotStartEndsWithAStartFailureQuotingTheJvm() throws Exception {
        ChildProcess child = new ChildProcess(() -> { });
        child.setJvmOptions(JvmOptions.defaults().withFlags("-XX:+NoSuchOptionAnywhere"));
        try (Capture err = Capture.stderr()) {
            child.start();
            child.join();
            assertTrue(err.text().contains("Unrecognized VM option 'NoSuchOptionAnywhere'"), "the JVM's own words: " + err.text());
        }
        assertNotEquals(0, child.exitCode());
        ChildStartException failure = assertInstanceOf(ChildStartException.class, child.failure().orElseThrow());
        assertTrue(failure.getMessage().contains("NoSuchOptionAnywhere"), failure.getMessage());
    }

    @Test
    void onExitCompletesWithTheChild() throws Exception {
        ChildProcess child = new ChildProcess(() -> { });
        child.start();
        assertEquals(child, child.onExit().get(30, TimeUnit.SECONDS));
        assertEquals(0, child.exitCode());
    }

    @Test
    void aChildStartsOnlyOnceAndCannotBeJoinedBeforeStart() throws Exception {
        ChildProcess child = new ChildProcess(() -> { });
        assertThrows(IllegalStateException.class, child::join);
        assertThrows(IllegalStateException.class, child::terminate);
        child.start();
        assertThrows(IllegalStateException.class, child::start);
        child.join();
    }

    @Test
    void theChildWaitsForTheNonDaemonThreadsItsTargetStarted() throws Exception {
        ChildProcess child = new ChildProcess(() -> new Thread(() -> {
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                return;
            }
            System.out.println("background thread finished");
        }).start());
        try (Capture out = Capture.stdout()) {
            child.start();
            child.join();
            assertEquals(List.of("background thread finished"), out.lines());
        }
        assertEquals(0, child.exitCode());
    }

    @Test
    void jvmLoggingOnStandardOutputArrivesAsOutputWithoutBreakingTheChild() throws Exception {
        ChildProcess child = new ChildProcess(() -> {
            System.gc();
            System.out.println("after gc");
            java.io.FileOutputStream raw = new java.io.FileOutputStream(java.io.FileDescriptor.out);
            raw.write("written to file descriptor 1\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        });
        child.setJvmOptions(JvmOptions.defaults().withFlags("-Xlog:gc")); // unified logging: to standard output
        try (Capture out = Capture.stdout()) {
            child.start();
            child.join();
            List<String> lines = out.lines();
            assertTrue(lines.stream().anyMatch(line -> line.contains("Pause Full (System.gc())")), lines.toString());
            assertTrue(lines.contains("after gc"), lines.toString());
            assertTrue(lines.contains("written to file descriptor 1"), lines.toString());
        }
        assertEquals(0, child.exitCode());
    }

    @Test
    void theChildsStandardInputIsEmpty() throws Exception {
        ChildProcess child = new ChildProcess(() -> System.out.println("read " + System.in.read()));
        try (Capture out = Capture.stdout()) {
            child.start();
            child.join();
            assertEquals(List.of("read -1"), out.lines());
        }
        assertEquals(0, child.exitCode());
    }

    @Test
    void toStringShowsNameAndState() throws Exception {
        ChildProcess child = new ChildProcess(() -> { }).setName("shown");
        assertEquals("<ChildProcess name='shown' initial>", child.toString());
        child.start();
        child.join();
        assertEquals("<ChildProcess name='shown' pid=" + child.pid() + " stopped exitcode=0>", child.toString());
    }
}
