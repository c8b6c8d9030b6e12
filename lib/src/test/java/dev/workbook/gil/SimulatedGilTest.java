package dev.workbook.gil;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class SimulatedGilTest {

    private final ExecutorService threads = Executors.newFixedThreadPool(4);

    @AfterEach
    void stopThreads() throws InterruptedException {
        threads.shutdownNow();
        assertTrue(threads.awaitTermination(10, TimeUnit.SECONDS));
    }

    @Test
    void onlyOneThreadComputesAtATime() throws Exception {
        SimulatedGil gil = new SimulatedGil(TimeUnit.MILLISECONDS.toNanos(1));
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger mostInside = new AtomicInteger();
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            futures.add(threads.submit(() -> {
                gil.acquire();
                try {
                    long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100);
                    while (System.nanoTime() < until) {
                        mostInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
                        inside.decrementAndGet();
                        gil.poll(); // may hand over; we are never inside while not holding
                    }
                } finally {
                    gil.release();
                }
                return null;
            }));
        }
        for (Future<?> future : futures) {
            future.get();
        }
        assertEquals(1, mostInside.get());
    }

    @Test
    void aWaitingThreadGetsTheLockAtTheHoldersNextCheckpoint() throws Exception {
        SimulatedGil gil = new SimulatedGil(TimeUnit.MILLISECONDS.toNanos(2));
        CountDownLatch holderRunning = new CountDownLatch(1);
        AtomicBoolean waiterDone = new AtomicBoolean();
        AtomicInteger holderPollsAfterWaiter = new AtomicInteger();
        Future<?> holder = threads.submit(() -> {
            gil.acquire();
            try {
                holderRunning.countDown();
                // Spin at checkpoints until the waiter has had its turn: without switching this never ends.
                while (!waiterDone.get()) {
                    gil.poll();
                }
                holderPollsAfterWaiter.incrementAndGet();
            } finally {
                gil.release();
            }
            return null;
        });
        assertTrue(holderRunning.await(10, TimeUnit.SECONDS));
        Future<?> waiter = threads.submit(() -> {
            gil.acquire();
            try {
                waiterDone.set(true);
            } finally {
                gil.release();
            }
            return null;
        });
        waiter.get(10, TimeUnit.SECONDS);
        holder.get(10, TimeUnit.SECONDS);
        assertTrue(gil.switches() >= 1, "the holder never handed the lock over: " + gil);
        assertEquals(1, holderPollsAfterWaiter.get());
    }

    @Test
    void aThreadSwitchedOutAtACheckpointAsksForTheLockBack() throws Exception {
        // A hands the lock to B at a checkpoint; B then only polls. B hands it back only if A, waiting inside its
        // checkpoint, raises a drop request after an interval as any waiter does: a second switch.
        SimulatedGil gil = new SimulatedGil(TimeUnit.MILLISECONDS.toNanos(1));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        CountDownLatch aHolds = new CountDownLatch(1);
        Future<?> a = threads.submit(() -> {
            gil.acquire();
            try {
                aHolds.countDown();
                while (gil.switches() < 2 && System.nanoTime() < deadline) {
                    gil.poll();
                }
            } finally {
                gil.release();
            }
            return null;
        });
        Future<?> b = threads.submit(() -> {
            aHolds.await();
            gil.acquire();
            try {
                while (gil.switches() < 2 && System.nanoTime() < deadline) {
                    gil.poll();
                }
            } finally {
                gil.release();
            }
            return null;
        });
        a.get(20, TimeUnit.SECONDS);
        b.get(20, TimeUnit.SECONDS);
        assertTrue(gil.switches() >= 2, "the lock never came back to the thread that handed it over: " + gil);
    }

    @Test
    void aThreadInterruptedWhileSwitchedOutAtACheckpointKeepsTheLockAndItsInterrupt() throws Exception {
        SimulatedGil gil = new SimulatedGil(TimeUnit.MILLISECONDS.toNanos(1));
        CountDownLatch waiterHolds = new CountDownLatch(1);
        CountDownLatch letGo = new CountDownLatch(1);
        gil.acquire();
        try {
            Future<?> waiter = threads.submit(() -> {
                gil.acquire();
                try {
                    waiterHolds.countDown();
                    letGo.await();
                } finally {
                    gil.release();
                }
                return null;
            });
            Thread self = Thread.currentThread();
            // Poll until the waiter has the lock; the interrupt arrives while we wait to get it back.
            threads.submit(() -> {
                waiterHolds.await();
                self.interrupt();
                letGo.countDown();
                return null;
            });
            while (waiterHolds.getCount() > 0 || !waiter.isDone()) {
                gil.poll();
            }
            assertTrue(Thread.interrupted(), "the interrupt was kept");
        } finally {
            gil.release(); // throws if the checkpoint had returned without the lock
        }
    }

    @Test
    void blockingWorkRunsWithoutTheLockAndReturnsWithIt() throws Exception {
        SimulatedGil gil = new SimulatedGil();
        CountDownLatch otherComputed = new CountDownLatch(1);
        gil.acquire();
        try {
            // The other thread can take the lock only if we let go of it while we wait for that thread.
            threads.submit(() -> {
                gil.acquire();
                try {
                    otherComputed.countDown();
                } finally {
                    gil.release();
                }
                return null;
            });
            gil.blocking(() -> assertTrue(otherComputed.await(10, TimeUnit.SECONDS), "the lock was not let go"));
        } finally {
            gil.release(); // throws if blocking() had returned without the lock
        }
    }

    @Test
    void blockingWorkThatFailsStillReturnsWithTheLock() throws Exception {
        SimulatedGil gil = new SimulatedGil();
        gil.acquire();
        try {
            assertThrows(InterruptedException.class, () -> gil.blocking(() -> {
                throw new InterruptedException("the read was interrupted");
            }));
        } finally {
            gil.release();
        }
    }

    @Test
    void blockingWithoutHoldingTheLockIsRefused() {
        IllegalMonitorStateException e = assertThrows(IllegalMonitorStateException.class,
                () -> new SimulatedGil().blocking(() -> { }));
        assertTrue(e.getMessage().contains("does not hold the GIL"), e.getMessage());
    }

    @Test
    void outsideAGilBlockingWorkJustRuns() throws Exception {
        AtomicBoolean ran = new AtomicBoolean();
        Checkpoint.NONE.blocking(() -> ran.set(true));
        assertTrue(ran.get());
    }

    @Test
    void aCheckpointWithNobodyWaitingDoesNotSwitch() throws Exception {
        SimulatedGil gil = new SimulatedGil();
        gil.acquire();
        try {
            for (int i = 0; i < 1000; i++) {
                gil.poll();
            }
        } finally {
            gil.release();
        }
        assertEquals(0, gil.switches());
    }

    @Test
    void theGilIsNotReentrant() throws Exception {
        SimulatedGil gil = new SimulatedGil();
        gil.acquire();
        try {
            IllegalStateException e = assertThrows(IllegalStateException.class, gil::acquire);
            assertTrue(e.getMessage().contains("already holds the GIL"), e.getMessage());
        } finally {
            gil.release();
        }
    }

    @Test
    void releasingAGilYouDoNotHoldFails() {
        assertThrows(IllegalMonitorStateException.class, new SimulatedGil()::release);
    }

    @Test
    void aThreadInterruptedWhileWaitingGivesUpWithoutTheLock() throws Exception {
        SimulatedGil gil = new SimulatedGil(TimeUnit.MILLISECONDS.toNanos(1));
        gil.acquire();
        try {
            AtomicBoolean interrupted = new AtomicBoolean();
            Thread waiter = new Thread(() -> {
                try {
                    gil.acquire();
                    gil.release();
                } catch (InterruptedException e) {
                    interrupted.set(true);
                }
            });
            waiter.start();
            // Interrupted once it waits for the lock, not before it has started to
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (waiter.getState() != Thread.State.TIMED_WAITING) {
                assertTrue(System.nanoTime() < deadline, "the waiter never waited for the lock: " + waiter.getState());
                Thread.onSpinWait();
            }
            waiter.interrupt();
            waiter.join(10_000);
            assertFalse(waiter.isAlive());
            assertTrue(interrupted.get());
        } finally {
            gil.release();
        }
        // Free for the next thread: the interrupted waiter did not keep it.
        assertTrue(threads.submit(() -> {
            gil.acquire();
            gil.release();
            return true;
        }).get(10, TimeUnit.SECONDS));
    }

    @Test
    void theSwitchIntervalMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> new SimulatedGil(0));
    }
}
