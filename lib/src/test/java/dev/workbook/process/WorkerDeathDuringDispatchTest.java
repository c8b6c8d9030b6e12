package dev.workbook.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A worker that dies between two calls must not lose the next one: the pool checks that a worker is up
 * before it hands it a call, and puts back a call whose write fails because the worker died after that
 * check. The pool's {@code beforeWritingCall} hook opens the window between the check and the write.
 */
@ExtendWith(NoOrphans.class)
@Timeout(value = 2, unit = TimeUnit.MINUTES) // a call lost with its worker must fail the test, not hang it
class WorkerDeathDuringDispatchTest {

    private static final Duration LONG_WAIT = Duration.ofSeconds(30);

    /** Kills a process and waits until the operating system says it is gone. */
    static void killAndAwaitGone(long pid) {
        ProcessHandle handle = ProcessHandle.of(pid).orElseThrow();
        handle.destroyForcibly();
        // Not onExit(): the JDK completes it only once the dead worker's pipes are closed.
        long deadline = System.nanoTime() + LONG_WAIT.toNanos();
        while (handle.isAlive()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("process " + pid + " still alive " + LONG_WAIT.toSeconds() + " s after SIGKILL");
            }
            Thread.onSpinWait();
        }
    }

    /** A hook that kills the worker of the {@code nth} call written (counting from 1), once; records the pid. */
    static java.util.function.LongConsumer killTheWorkerOfWrite(int nth, AtomicLong victim) {
        AtomicInteger writes = new AtomicInteger();
        return workerPid -> {
            if (writes.incrementAndGet() == nth) {
                victim.set(workerPid);
                killAndAwaitGone(workerPid);
            }
        };
    }

    @Test
    void anIdleWorkerWhoseProcessDiedIsNeverHandedACall() throws Exception {
        try (ProcessPool pool = new ProcessPool(1)) {
            long dead = pool.submit(ProcessPoolTest::pid).get(30, TimeUnit.SECONDS);
            // The grandchild keeps the worker's stderr open, so the pool goes on draining it, and has not
            // reported the worker gone, while the next call is dispatched.
            long holder = pool.submit(ProcessPoolTest::holdStderrOpen).get(30, TimeUnit.SECONDS);
            try {
                Set<Long> handed = ConcurrentHashMap.newKeySet();
                pool.beforeWritingCall = handed::add;
                killAndAwaitGone(dead);

                long served = pool.submit(ProcessPoolTest::pid).get(30, TimeUnit.SECONDS);

                assertNotEquals(dead, served);
                assertFalse(handed.contains(dead), "the dead worker was handed a call: " + handed);
            } finally {
                ProcessHandle.of(holder).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
    }

    @Test
    void aCallWhoseWriteFailsIsRunOnAnotherWorker() throws Exception {
        try (ProcessPool pool = new ProcessPool(2)) {
            pool.awaitReady();
            AtomicLong victim = new AtomicLong();
            pool.beforeWritingCall = killTheWorkerOfWrite(1, victim);

            long served = pool.submit(ProcessPoolTest::pid).get(30, TimeUnit.SECONDS);

            assertNotEquals(0, victim.get(), "the hook killed a worker");
            assertNotEquals(victim.get(), served);
        }
    }

    @Test
    void aMapChunkWhoseWriteFailsIsRunOnAnotherWorker() throws Exception {
        try (ProcessPool pool = new ProcessPool(2)) {
            pool.awaitReady();
            AtomicLong victim = new AtomicLong();
            pool.beforeWritingCall = killTheWorkerOfWrite(1, victim);
            List<Integer> items = IntStream.range(0, 20).boxed().toList();

            List<Integer> squares = pool.map(n -> n * n, items, 5);

            assertNotEquals(0, victim.get(), "the hook killed a worker");
            assertEquals(items.stream().map(n -> n * n).toList(), squares);
        }
    }

    /** Waits (in a worker) until {@code flag} exists, then returns. */
    static String awaitFile(String flag) throws InterruptedException {
        Path path = Path.of(flag);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.exists(path) && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        return "released";
    }

    @Test
    void aCallAcceptedBeforeShutdownRunsEvenIfItsWorkerDies(@TempDir Path directory) throws Exception {
        Path flag = directory.resolve("release");
        ProcessPool pool = new ProcessPool(1);
        pool.awaitReady();
        AtomicLong victim = new AtomicLong();
        pool.beforeWritingCall = killTheWorkerOfWrite(2, victim); // the second call: the one queued behind
        Future<String> running = pool.submit(WorkerDeathDuringDispatchTest::awaitFile, flag.toString());
        Future<Long> queued = pool.submit(ProcessPoolTest::pid);

        Thread closer = new Thread(pool::close, "closer");
        closer.start();
        // Once close() waits, the pool is shut down: release the running call, so that the queued one
        // is written (and its worker killed) only then.
        Thread releaser = ProcessPoolTest.whenWaitingIn(closer, "awaitTermination", waiting -> {
            try {
                Files.createFile(flag);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        closer.join(LONG_WAIT.toMillis());
        releaser.join();

        assertFalse(closer.isAlive(), "close() returned");
        assertTrue(Files.exists(flag), "close() was waiting when the running call was released");
        assertEquals("released", running.get(30, TimeUnit.SECONDS));
        assertNotEquals(0, victim.get(), "the hook killed a worker");
        assertNotEquals(victim.get(), (long) queued.get(30, TimeUnit.SECONDS), "the queued call ran on a replacement");
    }
}
