package dev.workbook.ipc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.workbook.codec.MessageDecodingException;
import org.junit.jupiter.api.Test;

/**
 * Anyone who can open a queue's file can write anything into it. States no queue operation produces
 * are reported, naming what was found, instead of wedging the queue or spinning its users.
 */
class QueueDamageTest extends IpcTestSupport {

    private static int slot(SharedQueue queue, long position) {
        int slotSize = queue.buffer().getInt(4);
        return SharedQueue.SLOTS + (int) (position % queue.capacity()) * slotSize;
    }

    @Test
    void aHeadCounterMoreThanALapAheadIsReportedNotAWedgedQueue() throws Exception {
        try (SharedQueue queue = SharedQueue.create(4)) {
            queue.put(1L);
            queue.buffer().putLongVolatile(SharedQueue.HEAD, 40);
            SharedMemoryException error = assertThrows(SharedMemoryException.class, queue::poll);
            assertTrue(error.getMessage().contains("the head counter is 40 but its slot is at position 0"), error.getMessage());
        }
    }

    @Test
    void aTailCounterMoreThanALapBehindIsReportedNotASpin() throws Exception {
        try (SharedQueue queue = SharedQueue.create(4)) {
            for (long i = 0; i < 12; i++) {
                queue.put(i);
                queue.get();
            }
            queue.buffer().putLongVolatile(SharedQueue.TAIL, 0);
            SharedMemoryException error = assertThrows(SharedMemoryException.class, () -> queue.offer(1L));
            assertTrue(error.getMessage().contains("the tail counter is 0 but its slot is at position 12"), error.getMessage());
        }
    }

    @Test
    void aNegativeCounterIsReportedBeforeItAddressesAnySlot() {
        try (SharedQueue queue = SharedQueue.create(3)) { // not a power of two: -1 % 3 would be a slot before the first
            queue.buffer().putLongVolatile(SharedQueue.HEAD, -1);
            SharedMemoryException error = assertThrows(SharedMemoryException.class, queue::poll);
            assertTrue(error.getMessage().contains("the head counter is -1, which is no position"), error.getMessage());
        }
    }

    @Test
    void aSlotWordInNoStateIsReportedNotAnEmptyQueueForever() throws Exception {
        try (SharedQueue queue = SharedQueue.create(4)) {
            queue.put(1L);
            queue.buffer().putLongVolatile(slot(queue, 0) + SharedQueue.SLOT_STATE, 7L << 9);
            SharedMemoryException error = assertThrows(SharedMemoryException.class, queue::poll);
            assertTrue(error.getMessage().contains("slot 0 holds state word 0xe00, which no queue operation writes"),
                    error.getMessage());
        }
    }

    @Test
    void aMessageLengthBeyondTheSlotIsADecodingErrorAndTheNextMessageFlows() throws Exception {
        try (SharedQueue queue = SharedQueue.create(4)) {
            queue.put(1L);
            queue.put(2L);
            queue.buffer().putInt(slot(queue, 0) + SharedQueue.SLOT_LENGTH, 10_000);
            MessageDecodingException error = assertThrows(MessageDecodingException.class, queue::poll);
            assertTrue(error.getMessage().contains("claims 10000 bytes, but a slot holds at most 1008"), error.getMessage());
            assertEquals(2L, queue.poll());
        }
    }
}
