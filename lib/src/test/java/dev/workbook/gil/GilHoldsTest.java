package dev.workbook.gil;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.workbook.gil.GilHolds.Hold;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class GilHoldsTest {

    private final ExecutorService threads = Executors.newFixedThreadPool(3, r -> {
        Thread t = new Thread(r);
        t.setName("computer-" + t.getId());
        return t;
    });

    @AfterEach
    void stopThreads() throws InterruptedException {
        threads.shutdownNow();
        assertTrue(threads.awaitTermination(10, TimeUnit.SECONDS));
    }

    /** Three threads compute for 60 ms each under a GIL with a 1 ms switch interval. */
    private List<Hold> competeAndRecord(SimulatedGil gil, GilHolds log) throws Exception {
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < 3; t++) {
            futures.add(threads.submit(() -> {
                gil.acquire();
                try {
                    long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(60);
                    while (System.nanoTime() < until) {
                        gil.poll();
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
        return log.stop();
    }

    @Test
    void holdIntervalsNeverOverlap() throws Exception {
        SimulatedGil gil = new SimulatedGil(TimeUnit.MILLISECONDS.toNanos(1));
        List<Hold> holds = competeAndRecord(gil, gil.startRecording(100_000));
        assertTrue(holds.size() > 3, "the lock changed hands: " + holds.size() + " holds");
        for (int i = 0; i < holds.size(); i++) {
            Hold hold = holds.get(i);
            assertTrue(hold.startNanos() <= hold.endNanos(), hold.toString());
            if (i > 0) {
                assertTrue(holds.get(i - 1).endNanos() <= hold.startNanos(),
                        "hold " + i + " " + hold + " began before hold " + (i - 1) + " " + holds.get(i - 1) + " ended");
            }
        }
    }

    @Test
    void everyHolderAppearsAndEveryHandOverIsAHold() throws Exception {
        SimulatedGil gil = new SimulatedGil(TimeUnit.MILLISECONDS.toNanos(1));
        GilHolds log = gil.startRecording(100_000);
        List<Hold> holds = competeAndRecord(gil, log);
        Set<String> holders = new TreeSet<>();
        holds.forEach(h -> holders.add(h.thread()));
        assertEquals(3, holders.size(), holders.toString());
        // Each thread's first acquire and each checkpoint switch begin a hold.
        assertEquals(3 + gil.switches(), holds.size() + log.dropped());
    }

    @Test
    void aFullLogCountsTheHoldsItDropped() throws Exception {
        SimulatedGil gil = new SimulatedGil(TimeUnit.MILLISECONDS.toNanos(1));
        GilHolds log = gil.startRecording(2);
        List<Hold> holds = competeAndRecord(gil, log);
        assertEquals(2, holds.size());
        assertEquals(3 + gil.switches() - 2, log.dropped());
    }

    @Test
    void nothingIsRecordedAfterStop() throws Exception {
        SimulatedGil gil = new SimulatedGil();
        GilHolds log = gil.startRecording(10);
        assertEquals(List.of(), log.stop());
        gil.acquire();
        gil.release();
        assertEquals(List.of(), log.holds());
    }

    @Test
    void aHoldInProgressIsRecordedUpToTheStop() throws Exception {
        SimulatedGil gil = new SimulatedGil();
        GilHolds log = gil.startRecording(10);
        gil.acquire();
        try {
            List<Hold> holds = log.stop();
            assertEquals(1, holds.size());
            assertEquals(Thread.currentThread().getName(), holds.get(0).thread());
        } finally {
            gil.release();
        }
    }

    @Test
    void aLogMustKeepAtLeastOneHold() {
        assertThrows(IllegalArgumentException.class, () -> new SimulatedGil().startRecording(0));
    }
}
