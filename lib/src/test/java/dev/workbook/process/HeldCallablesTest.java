package dev.workbook.process;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A task that captures nothing ({@code () -> 0}) is packed once and held by each worker, which calls
 * it again without its bytes; every other task travels whole with each call.
 */
@ExtendWith(NoOrphans.class)
class HeldCallablesTest {

    private static final byte[] OBJECT = "serialized".getBytes(StandardCharsets.UTF_8);

    /** A named class: its instances may differ, so it is never held, even without fields. */
    private static final class Named implements SerializableCallable<Integer> {
        private static final long serialVersionUID = 1L;

        @Override
        public Integer call() {
            return 1;
        }
    }

    @Test
    void onlyALambdaThatCapturesNothingIsStateless() {
        SerializableCallable<Integer> nothing = () -> 0;
        int captured = 5;
        SerializableCallable<Integer> capturing = () -> captured;
        SerializableCallable<Long> reference = ProcessPoolTest::pid;
        assertTrue(Packer.isStateless(nothing.getClass()));
        assertTrue(Packer.isStateless(reference.getClass()));
        assertFalse(Packer.isStateless(capturing.getClass()));
        assertFalse(Packer.isStateless(Named.class));
    }

    @Test
    void aHeldCallableTravelsToEachWorkerOnce() throws Exception {
        PackedCall held = new PackedCall(null, ClassBundle.EMPTY, getClass().getClassLoader(), "a task",
                new PackedCall.Function(7, OBJECT, ClassBundle.EMPTY));
        WorkerHoldings worker = new WorkerHoldings();
        WorkerProtocol.CallOrder first = WorkerProtocol.readCall(worker.callPayload(held));
        assertTrue(first.isHeldCall());
        assertFalse(first.isMapChunk());
        assertEquals(7, first.functionId);
        assertArrayEquals(OBJECT, first.function);
        WorkerProtocol.CallOrder again = WorkerProtocol.readCall(worker.callPayload(held));
        assertTrue(again.isHeldCall());
        assertNull(again.function, "the worker holds it already");
        WorkerProtocol.CallOrder otherWorker = WorkerProtocol.readCall(new WorkerHoldings().callPayload(held));
        assertArrayEquals(OBJECT, otherWorker.function);
    }

    @Test
    void aWorkerHoldingMoreCallablesThanItKeepsIsToldWhichToDrop() throws Exception {
        WorkerHoldings worker = new WorkerHoldings();
        long dropped = 0;
        for (int id = 1; id <= WorkerHoldings.MAX_FUNCTIONS + 1; id++) {
            PackedCall held = new PackedCall(null, ClassBundle.EMPTY, getClass().getClassLoader(), "a task",
                    new PackedCall.Function(id, OBJECT, ClassBundle.EMPTY));
            dropped = WorkerProtocol.readCall(worker.callPayload(held)).dropFunction;
        }
        assertEquals(1, dropped, "the least recently used goes first");
    }

    @Test
    void aStatelessTaskSubmittedAgainAndAgainReturnsItsResultEachTime() throws Exception {
        try (ProcessPool pool = new ProcessPool(2)) {
            for (int i = 0; i < 50; i++) {
                assertEquals(42, pool.submit(() -> 42).get(30, TimeUnit.SECONDS));
            }
        }
    }

    @Test
    void aCapturingTaskCarriesItsOwnValuesWithEveryCall() throws Exception {
        try (ProcessPool pool = new ProcessPool(1)) {
            List<Integer> results = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                int value = i;
                results.add(pool.submit(() -> value * 2).get(30, TimeUnit.SECONDS));
            }
            for (int i = 0; i < 20; i++) {
                assertEquals(i * 2, results.get(i));
            }
        }
    }

    @Test
    void moreStatelessTasksThanAWorkerHoldsAllReturnTheirOwnResults() throws Exception {
        List<SerializableCallable<Integer>> tasks = List.of(() -> 1, () -> 2, () -> 3, () -> 4, () -> 5, () -> 6,
                () -> 7, () -> 8, () -> 9, () -> 10, () -> 11);
        assertTrue(tasks.size() > WorkerHoldings.MAX_FUNCTIONS);
        try (ProcessPool pool = new ProcessPool(1)) {
            for (int round = 0; round < 3; round++) {
                for (int i = 0; i < tasks.size(); i++) {
                    assertEquals(i + 1, pool.submit(tasks.get(i)).get(30, TimeUnit.SECONDS), "round " + round);
                }
            }
        }
    }

    @Test
    void aStatelessTaskReachesAReplacementWorker() throws Exception {
        try (ProcessPool pool = ProcessPool.builder().workers(1).maxTasksPerWorker(1).build()) {
            List<Long> pids = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                pids.add(pool.submit(ProcessPoolTest::pid).get(30, TimeUnit.SECONDS));
            }
            assertEquals(3, pids.stream().distinct().count(), "each call in a new worker: " + pids);
        }
    }
}
