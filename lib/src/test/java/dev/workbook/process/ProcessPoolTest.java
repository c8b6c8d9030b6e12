package dev.workbook.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(NoOrphans.class)
class ProcessPoolTest {

    private static final Duration LONG_WAIT = Duration.ofSeconds(30);

    static long pid() {
        return ProcessHandle.current().pid();
    }

    @Test
    void submitRunsTheTaskInAWorkerJvm() throws Exception {
        try (ProcessPool pool = new ProcessPool(1)) {
            long workerPid = pool.submit(ProcessPoolTest::pid).get(30, TimeUnit.SECONDS);
            assertNotEquals(pid(), workerPid);
            assertEquals(List.of(workerPid), pool.workerPids());
            assertEquals("ProcessPool-worker says hi", pool.submit(text -> text + " says hi", "ProcessPool-worker").get());
        }
    }

    static int slowSquare(int n) throws InterruptedException {
        Thread.sleep((n % 4) * 20L); // uneven durations: results come back out of order
        return n * n;
    }

    @Test
    void mapReturnsResultsInInputOrder() throws Exception {
        List<Integer> items = IntStream.range(0, 40).boxed().toList();
        try (ProcessPool pool = new ProcessPool(2)) {
            List<Integer> expected = items.stream().map(n -> n * n).toList();
            assertEquals(expected, pool.map(ProcessPoolTest::slowSquare, items));
            assertEquals(expected, pool.map(ProcessPoolTest::slowSquare, items, 7), "chunks of 7, the last one short");
            assertEquals(List.of(), pool.map(ProcessPoolTest::slowSquare, List.of()));
        }
    }

    /** Says which worker ran an item, which copy of the function, and how many items that copy had run. */
    static final class WhoRuns implements SerializableFunction<Integer, String> {
        private static final long serialVersionUID = 1L;
        private int applied;

        @Override
        public String apply(Integer item) throws InterruptedException {
            Thread.sleep(5); // long enough that both workers take part
            return pid() + "/" + System.identityHashCode(this) + "/" + ++applied;
        }

        static String copy(String who) {
            return who.substring(0, who.lastIndexOf('/'));
        }

        static int count(String who) {
            return Integer.parseInt(who.substring(who.lastIndexOf('/') + 1));
        }
    }

    @Test
    void mapSendsItemsInChunksOfTheGivenSize() throws Exception {
        List<Integer> items = IntStream.range(0, 20).boxed().toList();
        try (ProcessPool pool = new ProcessPool(2)) {
            List<String> runs = pool.map(new WhoRuns(), items, 5);
            for (int chunk = 0; chunk < 4; chunk++) {
                List<String> ofChunk = runs.subList(chunk * 5, chunk * 5 + 5);
                for (int i = 1; i < 5; i++) {
                    assertEquals(WhoRuns.copy(ofChunk.get(0)), WhoRuns.copy(ofChunk.get(i)), "chunk " + chunk + " ran on one worker: " + runs);
                    assertEquals(WhoRuns.count(ofChunk.get(0)) + i, WhoRuns.count(ofChunk.get(i)),
                            "chunk " + chunk + "'s items ran one after the other: " + runs);
                }
            }
            IllegalArgumentException zero = assertThrows(IllegalArgumentException.class, () -> pool.map(new WhoRuns(), items, 0));
            assertEquals("chunk size must be at least 1, was 0", zero.getMessage());
        }
    }

    @Test
    void eachWorkerDeserializesTheFunctionOfAMapOnce() throws Exception {
        List<Integer> items = IntStream.range(0, 20).boxed().toList();
        try (ProcessPool pool = new ProcessPool(2)) {
            pool.awaitReady();
            for (int map = 0; map < 2; map++) {
                List<String> runs = pool.map(new WhoRuns(), items);
                Map<String, List<Integer>> countsByCopy = new LinkedHashMap<>();
                for (String run : runs) {
                    countsByCopy.computeIfAbsent(WhoRuns.copy(run), copy -> new ArrayList<>()).add(WhoRuns.count(run));
                }
                Set<String> pids = new HashSet<>();
                countsByCopy.keySet().forEach(copy -> pids.add(copy.substring(0, copy.indexOf('/'))));
                assertEquals(pids.size(), countsByCopy.size(), "one copy of the function per worker: " + runs);
                for (List<Integer> counts : countsByCopy.values()) {
                    assertEquals(IntStream.rangeClosed(1, counts.size()).boxed().toList(), counts,
                            "each copy counts its worker's items from 1, so a new map gets a new copy: " + runs);
                }
            }
        }
    }

    static int failOn13(int n) {
        if (n == 13) {
            throw new ArithmeticException("unlucky " + n);
        }
        return n;
    }

    @Test
    void aTaskThatThrowsFailsItsFutureWithTheWorkersStackTraceAndTheWorkerCarriesOn() throws Exception {
        try (ProcessPool pool = new ProcessPool(1)) {
            long before = pool.submit(ProcessPoolTest::pid).get();
            ExecutionException failed = assertThrows(ExecutionException.class, () -> pool.submit(ProcessPoolTest::failOn13, 13).get());
            ArithmeticException cause = assertInstanceOf(ArithmeticException.class, failed.getCause());
            assertEquals("unlucky 13", cause.getMessage());
            assertEquals("failOn13", cause.getStackTrace()[0].getMethodName(), "the worker's stack trace");
            assertEquals(before, pool.submit(ProcessPoolTest::pid).get(), "the same worker serves the next task");
        }
    }

    @Test
    void mapThrowsTheFirstFailureAndThePoolKeepsServing() throws Exception {
        try (ProcessPool pool = new ProcessPool(2)) {
            ExecutionException failed = assertThrows(ExecutionException.class,
                    () -> pool.map(ProcessPoolTest::failOn13, IntStream.range(0, 30).boxed().toList()));
            assertInstanceOf(ArithmeticException.class, failed.getCause());
            assertEquals(List.of(1, 2, 3), pool.map(ProcessPoolTest::failOn13, List.of(1, 2, 3)));
        }
    }

    /**
     * A failed map cancels its other chunks, which kills the workers running them. A worker may have
     * written its reply just before the kill: that reply must not make it idle, or the next call is
     * sent to a worker that is already dying. The race is narrow, so the test runs it many times.
     */
    @Test
    void aWorkerKilledByACancelledMapIsNeverHandedTheNextCall() throws Exception {
        try (ProcessPool pool = new ProcessPool(2)) {
            for (int round = 0; round < 12; round++) {
                assertThrows(ExecutionException.class,
                        () -> pool.map(ProcessPoolTest::failOn13, IntStream.range(0, 200).boxed().toList()));
                assertEquals(List.of(1, 2, 3), pool.map(ProcessPoolTest::failOn13, List.of(1, 2, 3)), "round " + round);
            }
        }
    }

    static String announceAndSleep(String tag) throws InterruptedException {
        System.out.println(tag + " running in " + pid());
        Thread.sleep(60_000);
        return tag;
    }

    @Test
    void aWorkerKilledMidTaskFailsOnlyItsOwnTaskAndIsReplaced() throws Exception {
        try (ProcessPool pool = new ProcessPool(2); Capture out = Capture.stdout()) {
            pool.awaitReady();
            Future<String> doomed = pool.submit(ProcessPoolTest::announceAndSleep, "doomed");
            String line = out.awaitLine(text -> text.startsWith("doomed running in "), LONG_WAIT);
            assertNotNull(line, out.text());
            long victim = Long.parseLong(line.substring("doomed running in ".length()));
            Future<Long> survivor = pool.submit(() -> {
                Thread.sleep(1000);
                return pid();
            });
            ProcessHandle.of(victim).orElseThrow().destroyForcibly();

            ExecutionException failed = assertThrows(ExecutionException.class, () -> doomed.get(30, TimeUnit.SECONDS));
            WorkerDiedException died = assertInstanceOf(WorkerDiedException.class, failed.getCause());
            assertEquals(victim, died.pid());
            assertEquals(-9, died.exitCode());
            assertTrue(died.getMessage().matches("worker ProcessPool-\\d+-worker-\\d+ \\(pid " + victim
                    + "\\) died while running a task: it was killed by SIGKILL \\(exit code -9\\).*"), died.getMessage());
            assertNotEquals(victim, (long) survivor.get(30, TimeUnit.SECONDS), "the other worker's task is unharmed");

            List<Long> after = pool.map(n -> pid(), List.of(1, 2, 3, 4));
            assertFalse(after.contains(victim), "the pool goes on with a replacement");
            pool.awaitReady();
            assertEquals(2, pool.workerPids().size(), "back to full strength");
        }
    }

    @Test
    void aTaskThatCallsSystemExitFailsWithTheExitCode() throws Exception {
        try (ProcessPool pool = new ProcessPool(1)) {
            ExecutionException failed = assertThrows(ExecutionException.class, () -> pool.submit(() -> {
                System.exit(3);
                return 0;
            }).get());
            WorkerDiedException died = assertInstanceOf(WorkerDiedException.class, failed.getCause());
            assertEquals(3, died.exitCode());
            assertTrue(died.getMessage().contains("exited with code 3"), died.getMessage());
            assertEquals(7, pool.submit(() -> 7).get(), "a replacement serves the next task");
        }
    }

    @Test
    void aWorkerThatRunsOutOfMemoryDiesAndSaysSo() throws Exception {
        JvmOptions small = JvmOptions.defaults().withMaxHeap("32m");
        try (ProcessPool pool = ProcessPool.builder().workers(1).jvmOptions(small).build(); Capture err = Capture.stderr()) {
            ExecutionException failed = assertThrows(ExecutionException.class, () -> pool.submit(() -> {
                List<long[]> hog = new ArrayList<>();
                while (true) {
                    hog.add(new long[1 << 20]);
                }
            }).get());
            WorkerDiedException died = assertInstanceOf(WorkerDiedException.class, failed.getCause());
            assertTrue(died.getMessage().contains("OutOfMemoryError"), died.getMessage());
            assertTrue(err.text().contains("Terminating due to java.lang.OutOfMemoryError"), err.text());
            assertEquals(1, pool.submit(() -> 1).get());
        }
    }

    @Test
    void maxTasksPerWorkerReplacesAWorkerAfterThatManyCalls() throws Exception {
        try (ProcessPool pool = ProcessPool.builder().workers(1).maxTasksPerWorker(2).build()) {
            List<Long> pids = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                pids.add(pool.submit(ProcessPoolTest::pid).get(30, TimeUnit.SECONDS));
            }
            Map<Long, Long> callsPerWorker = pids.stream().collect(Collectors.groupingBy(pid -> pid, HashMap::new, Collectors.counting()));
            assertEquals(3, callsPerWorker.size(), "three workers, two calls each: " + pids);
            assertTrue(callsPerWorker.values().stream().allMatch(calls -> calls == 2), pids.toString());
        }
    }

    @Test
    void theInitializerRunsInEveryWorkerBeforeItsFirstTask() throws Exception {
        SerializableRunnable initializer = () -> System.setProperty("workbook.initialized", "by " + pid());
        try (ProcessPool pool = ProcessPool.builder().workers(2).initializer(initializer).build()) {
            List<String> seen = pool.map(n -> System.getProperty("workbook.initialized") + " in " + pid(),
                    IntStream.range(0, 10).boxed().toList());
            for (String line : seen) {
                String[] parts = line.split(" in ");
                assertEquals("by " + parts[1], parts[0], "the initializer ran in the worker itself");
            }
        }
    }

    @Test
    void anInitializerThatThrowsBreaksThePoolWithItsException() throws Exception {
        SerializableRunnable initializer = () -> {
            throw new IllegalStateException("no data to load");
        };
        try (Capture err = Capture.stderr()) {
            ProcessPool pool = ProcessPool.builder().workers(1).initializer(initializer).build();
            try {
                Future<Integer> task = pool.submit(() -> 1);
                ExecutionException failed = assertThrows(ExecutionException.class, task::get);
                ChildStartException broken = assertInstanceOf(ChildStartException.class, failed.getCause());
                Throwable root = broken.getCause().getCause();
                assertInstanceOf(IllegalStateException.class, root, "the initializer's exception is the cause");
                assertEquals("no data to load", root.getMessage());
                assertThrows(ChildStartException.class, pool::awaitReady);
                RejectedExecutionException rejected = assertThrows(RejectedExecutionException.class, () -> pool.submit(() -> 2));
                assertTrue(rejected.getMessage().contains("no data to load"), rejected.getMessage());
                assertTrue(err.text().contains("IllegalStateException: no data to load"), "the worker printed it: " + err.text());
            } finally {
                pool.close();
            }
        }
    }

    @Test
    void shutdownWithCancelPendingCancelsQueuedTasksAndFinishesTheRunningOne() throws Exception {
        ProcessPool pool = new ProcessPool(1);
        pool.awaitReady();
        Future<Integer> running = pool.submit(() -> {
            Thread.sleep(1000);
            return 1;
        });
        List<Future<Integer>> queued = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            queued.add(pool.submit(() -> 2));
        }
        List<Long> workers = pool.workerPids();
        pool.shutdown(true);
        assertEquals(1, running.get(), "the running task finishes");
        for (Future<Integer> task : queued) {
            assertTrue(task.isCancelled());
            assertThrows(CancellationException.class, task::get);
        }
        assertThrows(RejectedExecutionException.class, () -> pool.submit(() -> 3));
        for (long pid : workers) {
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "workers are gone after shutdown");
        }
    }

    @Test
    void closeFinishesEveryQueuedTaskFirst() throws Exception {
        List<Future<Integer>> tasks = new ArrayList<>();
        try (ProcessPool pool = new ProcessPool(1)) {
            for (int i = 0; i < 5; i++) {
                int n = i;
                tasks.add(pool.submit(() -> {
                    Thread.sleep(50);
                    return n;
                }));
            }
        }
        for (int i = 0; i < 5; i++) {
            assertEquals(i, tasks.get(i).get(0, TimeUnit.SECONDS), "done by the time close() returns");
        }
    }

    @Test
    void cancellingARunningTaskWithInterruptKillsItsWorker() throws Exception {
        try (ProcessPool pool = new ProcessPool(1); Capture out = Capture.stdout()) {
            Future<String> task = pool.submit(ProcessPoolTest::announceAndSleep, "cancelled");
            String line = out.awaitLine(text -> text.startsWith("cancelled running in "), LONG_WAIT);
            assertNotNull(line, out.text());
            long worker = Long.parseLong(line.substring("cancelled running in ".length()));
            assertTrue(task.cancel(true));
            assertTrue(task.isCancelled());
            ProcessHandle.of(worker).ifPresent(handle -> handle.onExit().orTimeout(30, TimeUnit.SECONDS).join());
            assertNotEquals(worker, (long) pool.submit(ProcessPoolTest::pid).get(30, TimeUnit.SECONDS));
        }
    }

    @Test
    void aNonSerializableTaskIsRefusedAtSubmit() throws Exception {
        Thread notSerializable = new Thread(() -> { });
        try (ProcessPool pool = new ProcessPool(1)) {
            NotSerializableTargetException refused = assertThrows(NotSerializableTargetException.class,
                    () -> pool.submit(() -> notSerializable.getName()));
            assertEquals("java.lang.Thread", refused.offendingClass());
            assertThrows(NotSerializableTargetException.class,
                    () -> pool.map(item -> item, List.of(new Object())), "an unserializable item too");
            assertEquals(1, pool.submit(() -> 1).get(), "nothing was queued; the pool is fine");
        }
    }

    record Point(int x, int y) implements Serializable {
    }

    @Test
    void mapTakesItemsAndResultsOfAnySerializableType() throws Exception {
        List<Object> items = new ArrayList<>(List.of(1, 2L, "three", 4.0, new Point(5, 6)));
        items.add(null);
        try (ProcessPool pool = new ProcessPool(2)) {
            List<String> described = pool.map(item -> item == null ? "null" : item.getClass().getSimpleName() + " " + item, items);
            assertEquals(List.of("Integer 1", "Long 2", "String three", "Double 4.0", "Point Point[x=5, y=6]", "null"), described);
            List<Object> same = pool.map(item -> item, items, 2);
            assertEquals(items, same);
        }
    }

    @Test
    void aMapResultThatCannotBeSerializedFailsWithItsClassNamed() throws Exception {
        try (ProcessPool pool = new ProcessPool(1)) {
            ExecutionException failure = assertThrows(ExecutionException.class, () -> pool.map(n -> new Object(), List.of(1, 2)));
            assertInstanceOf(java.io.NotSerializableException.class, failure.getCause());
            assertTrue(failure.getCause().getMessage().contains("a result of the map function is not serializable"), failure.getCause().getMessage());
            assertTrue(failure.getCause().getMessage().contains("java.lang.Object"), failure.getCause().getMessage());
            assertEquals(List.of(2, 3), pool.map(n -> n + 1, List.of(1, 2)), "the worker carries on");
        }
    }

    @Test
    void argumentsAndResultsTravelByValue() throws Exception {
        List<Point> points = new ArrayList<>(List.of(new Point(1, 2), new Point(3, 4)));
        try (ProcessPool pool = new ProcessPool(1)) {
            List<Point> moved = pool.submit(list -> {
                list.replaceAll(p -> new Point(p.x() + 10, p.y()));
                return list;
            }, points).get();
            assertEquals(List.of(new Point(11, 2), new Point(13, 4)), moved);
            assertEquals(List.of(new Point(1, 2), new Point(3, 4)), points, "the caller's list is untouched");
        }
    }

    @Test
    void badJvmOptionsBreakThePoolAfterThreeFailedStarts() throws Exception {
        JvmOptions broken = JvmOptions.defaults().withFlags("-XX:+NoSuchOptionAnywhere");
        try (Capture err = Capture.stderr()) {
            ProcessPool pool = ProcessPool.builder().workers(1).jvmOptions(broken).build();
            try {
                ChildStartException failure = assertThrows(ChildStartException.class, pool::awaitReady);
                assertTrue(failure.getMessage().contains("NoSuchOptionAnywhere"), failure.getMessage());
                assertTrue(err.text().contains("starting another"), "the first failures are reported as they happen: " + err.text());
            } finally {
                pool.close();
            }
        }
    }

    @Test
    void workersPrintIntoTheCurrentSystemOut() throws Exception {
        try (ProcessPool pool = new ProcessPool(1); Capture out = Capture.stdout()) {
            pool.submit(() -> {
                System.out.println("hello from " + Processes.current().name());
                return null;
            }).get();
            assertNotNull(out.awaitLine(line -> line.matches("hello from ProcessPool-\\d+-worker-1"), LONG_WAIT), out.text());
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Whatever ends a wait early stops the work it waited for

    /** Prints its worker's pid, then never returns. */
    static String announceAndHang(String tag) throws InterruptedException {
        System.out.println(tag + " hangs in " + pid());
        Thread.sleep(Long.MAX_VALUE);
        return tag;
    }

    /** Waits until the task tagged {@code tag} prints that it hangs; returns its worker's pid. */
    static long awaitHanging(Capture out, String tag) throws InterruptedException {
        String line = out.awaitLine(text -> text.startsWith(tag + " hangs in "), LONG_WAIT);
        assertNotNull(line, out.text());
        return Long.parseLong(line.substring((tag + " hangs in ").length()));
    }

    /** Items that yield "first", then wait until its chunk runs, then end the map with {@code ending}. */
    static final class EndingItems extends java.util.AbstractCollection<String> {
        private final Capture out;
        private final Throwable ending;

        EndingItems(Capture out, Throwable ending) {
            this.out = out;
            this.ending = ending;
        }

        @Override
        public int size() {
            return 2;
        }

        @Override
        public java.util.Iterator<String> iterator() {
            return new java.util.Iterator<>() {
                private int given;

                @Override
                public boolean hasNext() {
                    return given < 2;
                }

                @Override
                public String next() {
                    if (given++ == 0) {
                        return "first";
                    }
                    try {
                        assertNotNull(out.awaitLine(line -> line.startsWith("first hangs in "), LONG_WAIT), out.text());
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                    if (ending instanceof Error error) {
                        throw error;
                    }
                    throw (RuntimeException) ending;
                }
            };
        }
    }

    static List<Throwable> endings() {
        return List.of(new OutOfMemoryError("pretend"), new IllegalStateException("pretend"));
    }

    @Timeout(value = 2, unit = TimeUnit.MINUTES) // a wedged pool must fail the test, not hang it
    @ParameterizedTest
    @MethodSource("endings")
    void anyThrowableThatEndsMapStopsItsRunningChunkAndThePoolServesTheNextCall(Throwable ending) throws Exception {
        try (ProcessPool pool = new ProcessPool(1); Capture out = Capture.stdout()) {
            pool.awaitReady();
            long hanging = pool.workerPids().get(0);
            Throwable thrown = assertThrows(Throwable.class, () -> pool.map(ProcessPoolTest::announceAndHang, new EndingItems(out, ending)));
            assertEquals(ending, thrown, "map throws what ended it");
            long abandoned = System.nanoTime();
            long next = pool.submit(ProcessPoolTest::pid).get(30, TimeUnit.SECONDS);
            System.out.printf("next call served %d ms after map ended with %s%n", (System.nanoTime() - abandoned) / 1_000_000,
                    ending.getClass().getSimpleName());
            assertNotEquals(hanging, next, "the worker busy with the abandoned chunk was replaced");
        }
    }

    @Timeout(value = 2, unit = TimeUnit.MINUTES) // a wedged pool must fail the test, not hang it
    @Test
    void interruptingTheThreadWaitingInMapStopsItsRunningChunks() throws Exception {
        try (ProcessPool pool = new ProcessPool(1); Capture out = Capture.stdout()) {
            pool.awaitReady();
            long hanging = pool.workerPids().get(0);
            Thread waiting = Thread.currentThread();
            Thread interrupter = new Thread(() -> {
                try {
                    out.awaitLine(line -> line.startsWith("first hangs in "), LONG_WAIT);
                } catch (InterruptedException e) {
                    return;
                }
                waiting.interrupt();
            });
            interrupter.start();
            assertThrows(InterruptedException.class, () -> pool.map(ProcessPoolTest::announceAndHang, List.of("first", "second")));
            interrupter.join();
            long interrupted = System.nanoTime();
            long next = pool.submit(ProcessPoolTest::pid).get(30, TimeUnit.SECONDS);
            System.out.printf("next call served %d ms after map was interrupted%n", (System.nanoTime() - interrupted) / 1_000_000);
            assertNotEquals(hanging, next, "the worker busy with the abandoned chunk was replaced");
        }
    }

    /** Starts a thread that does {@code action} to {@code target} once it waits (parked) inside {@code method}. */
    static Thread whenWaitingIn(Thread target, String method, java.util.function.Consumer<Thread> action) {
        Thread watcher = new Thread(() -> {
            long deadline = System.nanoTime() + LONG_WAIT.toNanos();
            try {
                while (System.nanoTime() < deadline) {
                    boolean waiting = target.getState() == Thread.State.WAITING
                            && java.util.Arrays.stream(target.getStackTrace()).anyMatch(frame -> frame.getMethodName().equals(method));
                    if (waiting) {
                        action.accept(target);
                        return;
                    }
                    Thread.sleep(5);
                }
            } catch (InterruptedException e) {
                // the test ended first
            }
        });
        watcher.start();
        return watcher;
    }

    /** Throws ThreadDeath into the thread, as the notebook kernel does on JDK 17-19 to a cell's thread that does not stop. */
    @SuppressWarnings({"deprecation", "removal"})
    static void stop(Thread thread) {
        thread.stop();
    }

    private static void joinThroughInterrupts(Thread thread) {
        while (true) {
            try {
                thread.join();
                return;
            } catch (InterruptedException leftByStop) {
                // keep waiting: the stopper has not finished yet
            }
        }
    }

    @Timeout(value = 2, unit = TimeUnit.MINUTES) // a wedged pool must fail the test, not hang it
    @Test
    void aThreadDeathThrownIntoTheThreadWaitingInMapStopsItsRunningChunks() throws Exception {
        assumeTrue(Runtime.version().feature() < 20, "Thread.stop works before JDK 20");
        try (ProcessPool pool = new ProcessPool(1); Capture out = Capture.stdout()) {
            pool.awaitReady();
            long hanging = pool.workerPids().get(0);
            // The one worker was idle, so the first chunk is on it by the time map waits for results.
            Thread stopper = whenWaitingIn(Thread.currentThread(), "waitingGet", ProcessPoolTest::stop);
            assertThrows(ThreadDeath.class, () -> pool.map(ProcessPoolTest::announceAndHang, List.of("first", "second")));
            // Thread.stop interrupts too, to wake the thread, and may do so after the ThreadDeath has
            // arrived: join the stopper through that interrupt, then clear it once the stopper is gone.
            joinThroughInterrupts(stopper);
            Thread.interrupted();
            assertNotEquals(hanging, (long) pool.submit(ProcessPoolTest::pid).get(30, TimeUnit.SECONDS),
                    "the worker busy with the abandoned chunk was replaced");
        }
    }

    /** Item 0 hangs, writing its worker's pid to {@code flag}; item 1 waits for that, then throws. */
    static String hangOrFailOnceTheOtherRuns(String flag, int item) throws Exception {
        java.nio.file.Path path = java.nio.file.Path.of(flag);
        if (item == 0) {
            java.nio.file.Files.writeString(path.resolveSibling("pid.tmp"), Long.toString(pid()));
            java.nio.file.Files.move(path.resolveSibling("pid.tmp"), path);
            Thread.sleep(Long.MAX_VALUE);
        }
        while (!java.nio.file.Files.exists(path)) {
            Thread.sleep(5);
        }
        throw new ArithmeticException("item 1 fails while item 0 runs");
    }

    @Timeout(value = 2, unit = TimeUnit.MINUTES) // a wedged pool must fail the test, not hang it
    @Test
    void aFailedMapStopsItsOtherRunningChunks(@TempDir java.nio.file.Path directory) throws Exception {
        String flag = directory.resolve("pid").toString();
        try (ProcessPool pool = new ProcessPool(2)) {
            pool.awaitReady();
            ExecutionException failed = assertThrows(ExecutionException.class,
                    () -> pool.map(item -> hangOrFailOnceTheOtherRuns(flag, item), List.of(0, 1)));
            assertInstanceOf(ArithmeticException.class, failed.getCause());
            long hanging = Long.parseLong(java.nio.file.Files.readString(java.nio.file.Path.of(flag)));
            ProcessHandle.of(hanging).ifPresent(worker -> worker.onExit().orTimeout(30, TimeUnit.SECONDS).join());
            assertFalse(pool.workerPids().contains(hanging));
        }
    }

    /** Starts a {@code sleep} that holds this worker's stderr open, so the pool's drain of it waits. */
    static long holdStderrOpen() throws java.io.IOException {
        return new ProcessBuilder("sleep", "60").redirectError(ProcessBuilder.Redirect.INHERIT).start().pid();
    }

    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    @Test
    void aWorkerIsNotListedOnceItsProcessHasExitedEvenBeforeThePoolHasReportedItGone() throws Exception {
        try (ProcessPool pool = new ProcessPool(1)) {
            long worker = pool.submit(ProcessPoolTest::pid).get(30, TimeUnit.SECONDS);
            // The grandchild keeps the dead worker's stderr open: the pool spends its whole drain time
            // reading it before it reports the worker gone, which is the window this test looks into.
            long holder = pool.submit(ProcessPoolTest::holdStderrOpen).get(30, TimeUnit.SECONDS);
            try {
                ProcessHandle handle = ProcessHandle.of(worker).orElseThrow();
                handle.destroyForcibly();
                // Not onExit(): the JDK completes it only after the dead worker's pipes are closed, and the
                // holder keeps stderr open. isAlive() asks the operating system.
                while (handle.isAlive()) {
                    Thread.onSpinWait();
                }
                assertFalse(pool.workerPids().contains(worker), "a worker whose process has exited is not up");
            } finally {
                ProcessHandle.of(holder).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
    }

    @Timeout(value = 2, unit = TimeUnit.MINUTES) // a wedged pool must fail the test, not hang it
    @Test
    void shutdownNowKillsTheRunningCallsAndCancelsTheQueuedOnes() throws Exception {
        try (Capture out = Capture.stdout()) {
            ProcessPool pool = new ProcessPool(1);
            Future<String> running = pool.submit(ProcessPoolTest::announceAndHang, "first");
            Future<Integer> queued = pool.submit(() -> 2);
            long worker = awaitHanging(out, "first");

            List<Future<?>> neverStarted = pool.shutdownNow();

            assertEquals(List.of(queued), neverStarted);
            assertTrue(queued.isCancelled());
            assertTrue(running.isCancelled(), "the running call is cancelled");
            assertThrows(CancellationException.class, running::get);
            assertFalse(ProcessHandle.of(worker).map(ProcessHandle::isAlive).orElse(false), "the worker is killed");
            assertThrows(RejectedExecutionException.class, () -> pool.submit(() -> 3));
            pool.close(); // returns at once: nothing is left to wait for
        }
    }

    @Timeout(value = 2, unit = TimeUnit.MINUTES) // a wedged pool must fail the test, not hang it
    @Test
    void interruptingCloseStopsThePoolAndKeepsTheInterrupt() throws Exception {
        try (Capture out = Capture.stdout()) {
            ProcessPool pool = new ProcessPool(1);
            Future<String> running = pool.submit(ProcessPoolTest::announceAndHang, "first");
            long worker = awaitHanging(out, "first");
            Thread interrupter = whenWaitingIn(Thread.currentThread(), "shutdown", Thread::interrupt);
            pool.close();
            assertTrue(Thread.interrupted(), "close() returns with the interrupt status set");
            interrupter.join();
            assertFalse(ProcessHandle.of(worker).map(ProcessHandle::isAlive).orElse(false), "the hanging worker was killed");
            assertTrue(running.isCancelled());
        }
    }

    @Test
    void aMapItemThatCannotBeSerializedIsNamedByItsIndexInTheInput() throws Exception {
        List<Object> items = List.of("a", "b", new Thread(() -> { }));
        try (ProcessPool pool = new ProcessPool(1)) {
            NotSerializableTargetException refused = assertThrows(NotSerializableTargetException.class, () -> pool.map(item -> item, items, 2));
            assertTrue(refused.getMessage().contains("item #2 of the map"), refused.getMessage());
            assertFalse(refused.getMessage().contains("element #0"), refused.getMessage());
            assertEquals("java.lang.Thread", refused.offendingClass());
        }
    }

    @Test
    void closedPoolLeavesNoWorkerBehind() throws Exception {
        List<Long> pids;
        try (ProcessPool pool = new ProcessPool(2)) {
            pool.awaitReady();
            pids = pool.workerPids();
            assertEquals(2, pids.size());
        }
        Set<Long> alive = new HashSet<>();
        for (long pid : pids) {
            ProcessHandle.of(pid).filter(ProcessHandle::isAlive).ifPresent(handle -> alive.add(pid));
        }
        assertEquals(Set.of(), alive);
    }
}
