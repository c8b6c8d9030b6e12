package dev.workbook.ipc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.workbook.codec.MessageCodec;
import dev.workbook.codec.MessageDecodingException;
import dev.workbook.codec.MessageRejectedException;
import java.awt.Point;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SharedQueueTest extends IpcTestSupport {

    private static final Duration CHILD_TIMEOUT = Duration.ofSeconds(60);

    record Order(String item, int quantity) implements java.io.Serializable {
    }

    @Test
    void messagesComeOutInTheOrderTheyWentIn() throws Exception {
        try (SharedQueue queue = SharedQueue.create(8)) {
            for (long i = 0; i < 20; i++) { // more than the capacity: the ring wraps around
                queue.put(i);
                assertEquals(i, queue.get());
            }
            queue.put(1L);
            queue.put(2L);
            queue.put(3L);
            assertEquals(List.of(1L, 2L, 3L), List.of(queue.get(), queue.get(), queue.get()));
        }
    }

    @Test
    void everyScalarAndAllowedSerializableObjectsRoundTrip() throws Exception {
        try (SharedQueue queue = SharedQueue.create(16)) {
            queue.codec(MessageCodec.defaults().allowing(Order.class));
            List<Object> messages = List.of(Long.MIN_VALUE, 42, 2.5, true, "héllo wörld", new Order("tea", 3),
                    Map.of("k", List.of(1, 2)), LocalDate.of(2024, 2, 29));
            for (Object message : messages) {
                queue.put(message);
            }
            for (Object message : messages) {
                assertEquals(message, queue.get());
            }
            queue.put(new byte[] {1, 2, 3});
            assertArrayEquals(new byte[] {1, 2, 3}, (byte[]) queue.get());
        }
    }

    @Test
    void offerReturnsFalseWhenFullAndPollNullWhenEmpty() {
        try (SharedQueue queue = SharedQueue.create(2)) {
            assertNull(queue.poll());
            assertTrue(queue.offer(1L));
            assertTrue(queue.offer(2L));
            assertFalse(queue.offer(3L));
            assertEquals(2, queue.size());
            assertEquals(1L, queue.poll());
            assertTrue(queue.offer(3L));
        }
    }

    @Test
    void putWithTimeoutThrowsFullAndGetWithTimeoutThrowsEmpty() throws Exception {
        try (SharedQueue queue = SharedQueue.create(1)) {
            assertThrows(SharedQueue.Empty.class, () -> queue.get(Duration.ofMillis(20)));
            queue.put(1L);
            SharedQueue.Full full = assertThrows(SharedQueue.Full.class, () -> queue.put(2L, Duration.ofMillis(20)));
            assertTrue(full.getMessage().contains("stayed full"), full.getMessage());
            assertEquals(1, queue.size(), "the timed-out message was not added");
        }
    }

    @Test
    void aBlockedGetWakesUpWhenAnotherThreadPuts() throws Exception {
        try (SharedQueue queue = SharedQueue.create(4)) {
            CompletableFuture<Object> got = CompletableFuture.supplyAsync(() -> {
                try {
                    return queue.get();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            awaitAsleep(queue, true);
            assertFalse(got.isDone());
            queue.put("late");
            assertEquals("late", got.get(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void aGetWaitingWithTheDefaultStrategyDoesNotBurnACore() throws Exception {
        try (SharedQueue queue = SharedQueue.create(4)) {
            assertTrue(queue.waitStrategy().parks(), "the default parks");
            java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
            long cpuBefore = threads.getCurrentThreadCpuTime();
            long wallBefore = System.nanoTime();
            assertThrows(SharedQueue.Empty.class, () -> queue.get(Duration.ofMillis(500)));
            long cpu = threads.getCurrentThreadCpuTime() - cpuBefore;
            long wall = System.nanoTime() - wallBefore;
            // A spinning waiter would use about all of the wall time (or all it is given on a loaded box).
            assertTrue(cpu < wall / 4, "waited " + wall / 1_000_000 + " ms using " + cpu / 1_000_000 + " ms of CPU");
        }
    }

    @Test
    void aPutRingsAGetterAsleepInAnotherProcess() throws Exception {
        try (SharedQueue queue = SharedQueue.create(4)) {
            // The child trusts the doorbell for an hour: only a ring can wake it in time.
            ChildJvms.Child child = children.start(IpcTestChild.class, "queue-get-on-bell", ChildJvms.encode(queue));
            child.awaitOutput("waiting", CHILD_TIMEOUT);
            awaitAsleep(queue, true);
            queue.put("ring");
            assertTrue(child.awaitExit(CHILD_TIMEOUT).contains("got ring"));
            assertEquals(0, queue.asleep(true));
        }
    }

    @Test
    void aGetRingsAPutterAsleepInAnotherProcess() throws Exception {
        try (SharedQueue queue = SharedQueue.create(1)) {
            queue.put("filler");
            ChildJvms.Child child = children.start(IpcTestChild.class, "queue-put-on-bell", ChildJvms.encode(queue));
            child.awaitOutput("waiting", CHILD_TIMEOUT);
            awaitAsleep(queue, false);
            assertEquals("filler", queue.get());
            assertTrue(child.awaitExit(CHILD_TIMEOUT).contains("put"));
            assertEquals("from the child", queue.get(Duration.ofSeconds(5)));
        }
    }

    @Test
    void aGetterKilledAsleepIsForgottenAtTheNextPut() throws Exception {
        try (SharedQueue queue = SharedQueue.create(4)) {
            ChildJvms.Child child = children.start(IpcTestChild.class, "queue-get-on-bell", ChildJvms.encode(queue));
            child.awaitOutput("waiting", CHILD_TIMEOUT);
            awaitAsleep(queue, true);
            child.kill();
            assertEquals(1, queue.asleep(true), "counted asleep until someone tries to ring it");
            queue.put(1L);
            assertEquals(0, queue.asleep(true), "the ring found nobody and the count was dropped");
            assertEquals(1L, queue.get());
        }
    }

    private static void awaitAsleep(SharedQueue queue, boolean getters) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (queue.asleep(getters) == 0) {
            assertTrue(System.nanoTime() < deadline, "nobody went to sleep on the queue");
            Thread.sleep(5);
        }
    }

    @Test
    void aBlockedGetIsInterruptible() throws Exception {
        try (SharedQueue queue = SharedQueue.create(4)) {
            Thread.currentThread().interrupt();
            assertThrows(InterruptedException.class, queue::get);
            assertFalse(Thread.interrupted());
        }
    }

    @Test
    void aMessageTooLargeIsRefusedWholeWithItsSizeAndTheLimit() throws Exception {
        try (SharedQueue queue = SharedQueue.create(uniqueName("large"), 4, 64)) {
            MessageTooLargeException error = assertThrows(MessageTooLargeException.class,
                    () -> queue.put("x".repeat(60)));
            assertEquals(1 + 4 + 60, error.size(), "the codec's tag and length, then the characters");
            assertEquals(64, error.limit());
            assertTrue(error.getMessage().contains("65 bytes") && error.getMessage().contains("64 bytes"),
                    error.getMessage());
            assertTrue(queue.isEmpty(), "nothing was written");
            queue.put("x".repeat(59));
            assertEquals(59, ((String) queue.get()).length());
        }
    }

    @Test
    void aClassOutsideTheAllowListIsNotDeserialized() throws Exception {
        try (SharedQueue queue = SharedQueue.create(4)) {
            queue.put(new Point(1, 2));
            queue.put("after");
            MessageRejectedException error = assertThrows(MessageRejectedException.class, queue::get);
            assertEquals("java.awt.Point", error.rejectedClass());
            assertTrue(error.getMessage().contains("allowing(\"java.awt.Point\")"), error.getMessage());
            assertEquals("after", queue.get(), "the refused message was consumed; the next one flows");
        }
    }

    @Test
    void theAllowListCanBeWidenedOrNarrowed() throws Exception {
        try (SharedQueue queue = SharedQueue.create(4)) {
            queue.codec(MessageCodec.defaults().allowing("java.awt.Point"));
            queue.put(new Point(1, 2));
            assertEquals(new Point(1, 2), queue.get());

            queue.codec(MessageCodec.allowOnly("java.lang.Number"));
            queue.put(new Order("tea", 1));
            assertInstanceOf(MessageRejectedException.class, assertThrows(MessageDecodingException.class, queue::get));
            queue.put("strings need no pattern");
            assertEquals("strings need no pattern", queue.get());
        }
    }

    @Test
    void nullAndUnserializableMessagesAreRefused() {
        try (SharedQueue queue = SharedQueue.create(4)) {
            assertThrows(NullPointerException.class, () -> queue.put(null));
            IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> queue.offer(new Object()));
            assertTrue(error.getMessage().contains("not Serializable"), error.getMessage());
        }
    }

    @Test
    void afterShutdownPutsFailAndGetsDrainThenFail() throws Exception {
        try (SharedQueue queue = SharedQueue.create(4)) {
            queue.put(1L);
            queue.shutdown();
            assertTrue(queue.isShutdown());
            assertThrows(SharedQueue.Closed.class, () -> queue.put(2L));
            assertThrows(SharedQueue.Closed.class, () -> queue.offer(2L));
            assertEquals(1L, queue.get());
            SharedQueue.Closed closed = assertThrows(SharedQueue.Closed.class, queue::get);
            assertTrue(closed.getMessage().contains("shut down by pid " + ProcessHandle.current().pid()),
                    closed.getMessage());
            assertThrows(SharedQueue.Closed.class, queue::poll);
        }
    }

    @Test
    void aShutdownIsSeenByProcessesThatAttachAfterIt() throws Exception {
        try (SharedQueue queue = SharedQueue.create(4)) {
            queue.put("last message");
            queue.shutdown();
            String output = children.start(IpcTestChild.class, "queue-put-after-shutdown", ChildJvms.encode(queue))
                    .awaitExit(CHILD_TIMEOUT);
            assertTrue(output.contains("closed: SharedQueue '" + queue.name() + "' was shut down by pid "
                    + ProcessHandle.current().pid()), output);
            assertTrue(output.contains("left: last message"), output);
            assertTrue(output.contains("drained"), output);
        }
    }

    @Test
    void shutdownWakesABlockedGet() throws Exception {
        try (SharedQueue queue = SharedQueue.create(4)) {
            CompletableFuture<Object> got = CompletableFuture.supplyAsync(() -> {
                try {
                    return queue.get();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            awaitAsleep(queue, true); // shut down under a getter that sleeps, not one yet to arrive
            queue.shutdown();
            ExecutionException error = assertThrows(ExecutionException.class, () -> got.get(10, TimeUnit.SECONDS));
            assertInstanceOf(SharedQueue.Closed.class, error.getCause());
        }
    }

    @Test
    void aClosedHandleCannotBeUsed() {
        SharedQueue queue = SharedQueue.create(4);
        queue.close();
        IllegalStateException error = assertThrows(IllegalStateException.class, () -> queue.offer(1L));
        assertTrue(error.getMessage().contains("was closed in this process"), error.getMessage());
        assertThrows(SharedMemoryException.class, () -> SharedQueue.attach(queue.name()),
                "the creator's close unlinked the name");
    }

    @Test
    void theHandleCarriesItsCodecAndWaitStrategyToTheChild() throws Exception {
        try (SharedQueue queue = SharedQueue.create(4)) {
            queue.codec(MessageCodec.allowOnly("java.lang.*")).waitStrategy(WaitStrategy.spin());
            String output = children.start(IpcTestChild.class, "queue-codec", ChildJvms.encode(queue))
                    .awaitExit(CHILD_TIMEOUT);
            assertTrue(output.contains("codec [java.lang.*] spin=true"), output);
        }
    }

    @Test
    void messagesCrossProcessesBothWays() throws Exception {
        try (SharedQueue queue = SharedQueue.create(4)) {
            queue.codec(MessageCodec.defaults().allowing(Order.class)); // travels to the children with the handle
            queue.put(new Order("coffee", 2));
            ChildJvms.Child child = children.start(IpcTestChild.class, "queue-get", ChildJvms.encode(queue));
            assertTrue(child.awaitExit(CHILD_TIMEOUT).contains("got Order[item=coffee, quantity=2]"));
            children.start(IpcTestChild.class, "queue-put", ChildJvms.encode(queue), "from the child")
                    .awaitExit(CHILD_TIMEOUT);
            assertEquals("from the child", queue.get(Duration.ofSeconds(10)));
        }
    }

    @Test
    void twoProducerAndTwoConsumerProcessesPassEveryMessageExactlyOnce() throws Exception {
        int perProducer = 20_000;
        try (SharedQueue queue = SharedQueue.create(64)) {
            String handle = ChildJvms.encode(queue);
            ChildJvms.Child consumer1 = children.start(IpcTestChild.class, "queue-consume", handle);
            ChildJvms.Child consumer2 = children.start(IpcTestChild.class, "queue-consume", handle);
            ChildJvms.Child producer1 = children.start(IpcTestChild.class, "queue-produce", handle, "0", "" + perProducer);
            ChildJvms.Child producer2 = children.start(IpcTestChild.class, "queue-produce", handle,
                    "" + perProducer, "" + perProducer);
            producer1.awaitExit(CHILD_TIMEOUT);
            producer2.awaitExit(CHILD_TIMEOUT);
            queue.shutdown();
            long count = 0;
            long sum = 0;
            for (ChildJvms.Child consumer : List.of(consumer1, consumer2)) {
                String[] words = consumer.awaitExit(CHILD_TIMEOUT).strip().split("\\s+");
                int at = List.of(words).indexOf("consumed");
                count += Long.parseLong(words[at + 1]);
                sum += Long.parseLong(words[at + 2]);
            }
            long n = 2L * perProducer;
            assertEquals(n, count);
            assertEquals(n * (n - 1) / 2, sum, "every message exactly once");
            assertEquals(0, queue.lostMessages());
        }
    }

    @Test
    void aProcessKilledWhileBlockedInGetLeavesTheQueueWorking() throws Exception {
        try (SharedQueue queue = SharedQueue.create(4)) {
            ChildJvms.Child child = children.start(IpcTestChild.class, "queue-block-get", ChildJvms.encode(queue));
            child.awaitOutput("blocking", CHILD_TIMEOUT);
            awaitAsleep(queue, true); // inside get(), counted asleep: the state the kill must not damage
            child.kill();
            queue.put(1L);
            queue.put(2L);
            assertEquals(1L, queue.get(Duration.ofSeconds(5)));
            assertEquals(2L, queue.get(Duration.ofSeconds(5)));
            assertEquals(0, queue.lostMessages());
        }
    }

    @Test
    void aProcessKilledWhileBlockedInPutLeavesTheQueueWorking() throws Exception {
        try (SharedQueue queue = SharedQueue.create(2)) {
            queue.put(1L);
            queue.put(2L);
            ChildJvms.Child child = children.start(IpcTestChild.class, "queue-block-put", ChildJvms.encode(queue));
            child.awaitOutput("blocking", CHILD_TIMEOUT);
            awaitAsleep(queue, false); // inside put(), waiting for room
            child.kill();
            assertEquals(1L, queue.get(Duration.ofSeconds(5)));
            assertEquals(2L, queue.get(Duration.ofSeconds(5)));
            assertNull(queue.poll(), "the killed put never landed");
            queue.put(3L);
            assertEquals(3L, queue.get(Duration.ofSeconds(5)));
        }
    }

    @Test
    void aProducerKilledMidWriteLosesOnlyItsOwnMessage() throws Exception {
        try (SharedQueue queue = SharedQueue.create(4)) {
            queue.put("before");
            ChildJvms.Child child = children.start(IpcTestChild.class, "queue-stall-write", ChildJvms.encode(queue),
                    "half-written message");
            child.awaitOutput("stalled", CHILD_TIMEOUT);
            queue.put("after"); // claims the slot behind the stalled one
            assertEquals("before", queue.get());
            assertNull(queue.poll(), "the slot being written holds the queue up while its writer lives");
            child.kill();
            assertEquals("after", queue.get(Duration.ofSeconds(10)), "the dead writer's slot is skipped");
            assertEquals(1, queue.lostMessages());
            for (long i = 0; i < 10; i++) { // and the ring goes on wrapping over the recovered slot
                queue.put(i);
                assertEquals(i, queue.get());
            }
        }
    }

    /** A 900-byte message whose every byte depends on its number, so that a torn copy shows. */
    static String bulky(long number) {
        StringBuilder text = new StringBuilder(900).append(number).append(':');
        while (text.length() < 900) {
            text.append((char) ('a' + (number + text.length()) % 26));
        }
        return text.toString();
    }

    @Test
    void producersKilledAtArbitraryMomentsNeverDeliverATornMessage() throws Exception {
        java.util.Random random = new java.util.Random();
        try (SharedQueue queue = SharedQueue.create(16)) {
            long lost = 0;
            for (int round = 0; round < 3; round++) {
                ChildJvms.Child producer = children.start(IpcTestChild.class, "queue-produce-forever",
                        ChildJvms.encode(queue));
                producer.awaitOutput("producing", CHILD_TIMEOUT);
                long expected = 0;
                long killAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50 + random.nextInt(200));
                while (System.nanoTime() < killAt) { // consume while it produces, then kill it mid-stream
                    expected = check(queue.get(Duration.ofSeconds(10)), expected, queue);
                }
                producer.kill();
                Object message;
                while ((message = queue.poll()) != null) {
                    expected = check(message, expected, queue);
                }
                lost = queue.lostMessages();
                assertTrue(lost <= round + 1, "at most one message lost per kill, lost " + lost);
            }
            queue.put("still working");
            assertEquals("still working", queue.get());
        }
    }

    /** Checks the message is whole and in order (a gap only where a message was lost); returns the next number. */
    private static long check(Object message, long expected, SharedQueue queue) {
        String text = (String) message;
        long number = Long.parseLong(text.substring(0, text.indexOf(':')));
        assertEquals(bulky(number), text, "a whole message");
        assertTrue(number == expected || number == expected + 1 && queue.lostMessages() > 0,
                "expected message " + expected + ", got " + number);
        return number + 1;
    }

    @Test
    void aConsumerKilledMidReadLosesItsMessageAndItsSlotIsRecovered() throws Exception {
        try (SharedQueue queue = SharedQueue.create(2)) {
            queue.put("taken by the child");
            ChildJvms.Child child = children.start(IpcTestChild.class, "queue-stall-read", ChildJvms.encode(queue));
            child.awaitOutput("stalled", CHILD_TIMEOUT);
            queue.put(1L);
            assertFalse(queue.offer(2L), "the slot being read is not free while its reader lives");
            child.kill();
            queue.put(2L, Duration.ofSeconds(10)); // a producer finds the reader dead and frees the slot
            assertEquals(1L, queue.get());
            assertEquals(2L, queue.get());
            assertEquals(1, queue.lostMessages());
        }
    }
}
