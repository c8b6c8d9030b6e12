package dev.workbook.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.workbook.process.NotSerializableTargetException;
import dev.workbook.process.Processes;
import dev.workbook.process.SerializableFunction;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What a pool and a queue do on one local cluster of two members, shared by the tests (members take seconds to start). */
class LocalClusterTest {

    private static Cluster cluster;
    private static ClusterPool pool;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = Cluster.local(2);
        pool = cluster.pool();
    }

    @AfterAll
    static void stopCluster() {
        if (pool != null) {
            pool.close();
        }
        if (cluster != null) {
            List<Long> pids = cluster.memberPids();
            cluster.close();
            for (long pid : pids) {
                assertTrue(ProcessHandle.of(pid).map(handle -> !handle.isAlive()).orElse(true), "member " + pid + " is stopped by close");
            }
        }
    }

    @Test
    void theClusterHasTheMembersItWasAskedForOnLoopback() {
        assertEquals(2, cluster.size());
        assertEquals(2, cluster.memberPids().size());
        cluster.memberAddresses().forEach(address -> assertTrue(address.startsWith("127.0.0.1:"), address));
    }

    @Test
    void aTaskRunsInAMemberJvmNotInTheCaller() throws Exception {
        long memberPid = pool.submit(() -> ProcessHandle.current().pid()).get(30, TimeUnit.SECONDS);
        assertTrue(cluster.memberPids().contains(memberPid), memberPid + " is one of " + cluster.memberPids());
    }

    @Test
    void mapReturnsTheResultsInInputOrderWhateverTheChunkSize() throws Exception {
        List<Integer> items = IntStream.range(0, 40).boxed().toList();
        List<Integer> squares = items.stream().map(n -> n * n).toList();
        assertEquals(squares, pool.map(n -> n * n, items));
        assertEquals(squares, pool.map(n -> n * n, items, 7));
        assertEquals(List.of(), pool.map(n -> n * n, List.<Integer>of()));
    }

    @Test
    void mapSpreadsUnevenTasksOverBothMembers() throws Exception {
        SerializableFunction<Integer, Long> slowPid = n -> {
            Thread.sleep(100);
            return ProcessHandle.current().pid();
        };
        Set<Long> pids = new HashSet<>(pool.map(slowPid, List.of(1, 2, 3, 4)));
        assertEquals(new HashSet<>(cluster.memberPids()), pids, "each member ran some of the tasks");
    }

    @Test
    void aTaskThatThrowsFailsItsFutureWithTheExceptionAndIsNotRerun() {
        long rerunsBefore = pool.reruns();
        Future<Object> failing = pool.submit(() -> {
            throw new IllegalArgumentException("bad input 42");
        });
        ExecutionException thrown = assertThrows(ExecutionException.class, () -> failing.get(30, TimeUnit.SECONDS));
        assertInstanceOf(IllegalArgumentException.class, thrown.getCause());
        assertEquals("bad input 42", thrown.getCause().getMessage());
        assertEquals(rerunsBefore, pool.reruns());
    }

    @Test
    void aTaskCapturingSomethingNotSerializableIsRefusedBeforeAnythingIsSent() {
        Thread notSerializable = new Thread(() -> { });
        NotSerializableTargetException refused = assertThrows(NotSerializableTargetException.class,
                () -> pool.submit(() -> notSerializable.getName()));
        assertTrue(refused.getMessage().contains("java.lang.Thread"), refused.getMessage());
    }

    @Test
    void theQueuePingPongAcrossTwoMembersTotalsFifty() throws Exception {
        ClusterQueue queue = cluster.queue("ping-pong-" + System.nanoTime());
        queue.put(0L);
        Future<String> ping = pool.submit(() -> PingPongOnCluster.play("Ping", queue));
        Future<String> pong = pool.submit(() -> PingPongOnCluster.play("Pong", queue));
        String pingSide = ping.get(60, TimeUnit.SECONDS);
        String pongSide = pong.get(60, TimeUnit.SECONDS);
        assertEquals(50L, queue.get(Duration.ofSeconds(10)), "the final count is left on the queue");
        String[] pingParts = pingSide.split(" ");
        String[] pongParts = pongSide.split(" ");
        assertEquals(50, Integer.parseInt(pingParts[1]) + Integer.parseInt(pongParts[1]), pingSide + " / " + pongSide);
        assertTrue(!pingParts[0].equals(pongParts[0]), "Ping and Pong ran on two different members: " + pingSide + " / " + pongSide);
    }

    @Test
    void getWithATimeoutOnAnEmptyQueueThrowsTimeoutInTime() throws Exception {
        ClusterQueue queue = cluster.queue("empty-" + System.nanoTime());
        long start = System.nanoTime();
        assertThrows(java.util.concurrent.TimeoutException.class, () -> queue.get(Duration.ofMillis(300)));
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(10));
    }

    /** The lesson's ping-pong sub-task, run on a member: returns "member-name words-printed". */
    static final class PingPongOnCluster {
        static String play(String word, ClusterQueue queue) throws Exception {
            int printed = 0;
            long counter = (Long) queue.get(Duration.ofSeconds(30));
            while (counter < 50) {
                printed++;
                counter += 1;
                queue.put(counter);
                Thread.sleep(10);
                counter = (Long) queue.get(Duration.ofSeconds(30));
            }
            queue.put(counter);
            return Processes.current().name() + " " + printed;
        }
    }

    @Test
    void manyCallsFromSeveralThreadsEachGetTheirOwnResult() throws Exception {
        List<Future<Integer>> futures = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            int n = i;
            futures.add(pool.submit(x -> x + 1000, n));
        }
        for (int i = 0; i < 50; i++) {
            assertEquals(i + 1000, futures.get(i).get(30, TimeUnit.SECONDS));
        }
    }
}
