package dev.workbook.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.workbook.experiment.Experiment;
import dev.workbook.experiment.ExperimentResult;
import dev.workbook.experiment.Strategies;
import dev.workbook.experiment.Workload;
import dev.workbook.primes.PrimalityTest;
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
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import java.util.concurrent.CompletableFuture;

/**
 * What a pool and a queue do on one local cluster of three members, shared by the tests since members take
 * seconds to start. The failover test kills a member, so it runs last.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalClusterTest {

    private static Cluster cluster;
    private static ClusterPool pool;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = Cluster.local(3);
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
        assertEquals(3, cluster.size());
        assertEquals(3, cluster.memberPids().size());
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
    void mapSpreadsUnevenTasksOverEveryMember() throws Exception {
        SerializableFunction<Integer, Long> slowPid = n -> {
            Thread.sleep(100);
            return ProcessHandle.current().pid();
        };
        Set<Long> pids = new HashSet<>(pool.map(slowPid, List.of(1, 2, 3, 4, 5, 6)));
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
    void aLambdaTypedInJShellRunsOnAMemberAndItsRecordComesBack() throws Exception {
        try (JShellSession jshell = new JShellSession()) {
            jshell.eval("import dev.workbook.cluster.*;");
            jshell.eval("import java.util.*;");
            jshell.eval("import java.time.Duration;");
            jshell.eval("var cluster = Cluster.connect(\"" + cluster.name() + "\", Duration.ofSeconds(20), \""
                    + String.join("\", \"", cluster.memberAddresses()) + "\");");
            jshell.eval("var pool = cluster.pool();");
            jshell.eval("int offset = 100;");
            jshell.eval("int shifted(int n) { return n + offset; }");
            jshell.eval("record Answer(int n, long pid) implements java.io.Serializable { }");
            assertEquals("[101, 102, 103]", jshell.eval("pool.map(n -> shifted(n), List.of(1, 2, 3))"),
                    "the cell's method and variable reached the member");
            String pid = jshell.eval("pool.submit(() -> new Answer(shifted(5), ProcessHandle.current().pid())).get().pid()");
            assertTrue(cluster.memberPids().contains(Long.parseLong(pid)), pid + " is a member: " + cluster.memberPids());
            assertEquals("105", jshell.eval("pool.submit(() -> new Answer(shifted(5), 0)).get().n()"));
            jshell.eval("pool.close();");
            jshell.eval("cluster.close();");
        }
    }

    @Test
    void connectingWithTheWrongClusterNameFailsInBoundedTime() {
        long start = System.nanoTime();
        ClusterUnreachableException refused = assertThrows(ClusterUnreachableException.class,
                () -> Cluster.connect("not-" + cluster.name(), Duration.ofSeconds(2), cluster.memberAddresses().get(0)));
        assertTrue(refused.getMessage().contains("--cluster-name"), refused.getMessage());
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(20), "gave up in time");
    }

    @Test
    void anExperimentTimesTheClusterBesideThreadsAndChecksItsAnswers() throws Exception {
        List<Long> numbers = List.of(2L, 3L, 4L, 1_000_003L, 1_000_004L, 999_983L);
        Workload<Long, Boolean> workload = Workload.primality("small primes", numbers, PrimalityTest.TRIAL_DIVISION);
        ExperimentResult result = Experiment.of(workload).strategies(Strategies.threads(), ClusterStrategy.connected(cluster))
                .workers(2).warmups(0).repeats(1).run(); // the experiment fails a strategy whose answers differ
        String table = result.summary().print();
        assertTrue(table.contains("cluster") && table.contains("threads"), table);
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

    /** A member SIGKILLed in the middle of a map: the map completes on the members left, each result once. */
    @Test
    @Order(Integer.MAX_VALUE)
    void aMemberKilledMidMapLosesNoResultAndDeliversNoneTwice() throws Exception {
        {
            ClusterQueue started = cluster.queue("started-" + System.nanoTime());
            List<Integer> items = IntStream.range(0, 24).boxed().toList();
            SerializableFunction<Integer, Long> slowCube = n -> {
                started.put(ProcessHandle.current().pid());
                Thread.sleep(300);
                return (long) n * n * n;
            };
            CompletableFuture<List<Long>> map = CompletableFuture.supplyAsync(() -> {
                try {
                    return pool.map(slowCube, items);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            long victim = (Long) started.get(Duration.ofSeconds(60)); // this member is running a task now
            int index = cluster.memberPids().indexOf(victim);
            cluster.killMember(index);
            List<Long> results = map.get(120, TimeUnit.SECONDS);
            assertEquals(items.stream().map(n -> (long) n * n * n).toList(), results, "every result, once, in order");
            assertTrue(pool.reruns() >= 1, "the killed member's task ran again: " + pool.reruns() + " reruns");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (cluster.size() != 2 && System.nanoTime() < deadline) {
                Thread.sleep(50); // polling the condition: the others remove a dead member within the heartbeat timeout
            }
            assertEquals(2, cluster.size(), "the cluster removed the killed member");
            assertEquals(List.of(101, 102), pool.map(n -> n + 100, List.of(1, 2)), "the pool carries on with the members left");
        }
    }
}
