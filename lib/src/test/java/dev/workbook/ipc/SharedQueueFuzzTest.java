package dev.workbook.ipc;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.workbook.codec.MessageDecodingException;
import org.junit.jupiter.api.AfterAll;

/**
 * A queue whose memory someone else scribbled on: taking from it and putting to it must return or
 * fail with a documented error ({@link SharedMemoryException} for impossible states,
 * {@link MessageDecodingException} for a damaged message), never spin, wedge or read outside a slot.
 */
class SharedQueueFuzzTest {

    private static final int CAPACITY = 4;
    private static SharedQueue queue;

    private static synchronized SharedQueue queue() {
        if (queue == null) {
            queue = SharedQueue.create(IpcTestSupport.uniqueName("fuzz"), CAPACITY, 48);
        }
        return queue;
    }

    @AfterAll
    static synchronized void removeTheQueue() {
        if (queue != null) {
            queue.close();
            queue = null;
        }
    }

    @FuzzTest
    void aDamagedQueueFailsWithADocumentedErrorAndNeverHangs(FuzzedDataProvider data) {
        SharedQueue queue = queue();
        int slotSize = queue.buffer().getInt(4);
        // A clean, empty queue at a lap the input chooses, holding a few messages.
        long lap = data.consumeLong(0, 1L << 40) * CAPACITY;
        queue.buffer().putLongVolatile(SharedQueue.HEAD, lap);
        queue.buffer().putLongVolatile(SharedQueue.TAIL, lap);
        for (int i = 0; i < CAPACITY; i++) {
            long position = lap + i;
            int slot = SharedQueue.SLOTS + (int) (position % CAPACITY) * slotSize;
            queue.buffer().putLongVolatile(slot + SharedQueue.SLOT_STATE, SharedQueue.word(position, SharedQueue.FREE, 0));
        }
        int messages = data.consumeInt(0, CAPACITY);
        for (int i = 0; i < messages; i++) {
            queue.offer(data.consumeLong());
        }
        // Then the damage.
        int writes = data.consumeInt(1, 4);
        for (int i = 0; i < writes; i++) {
            int slot = SharedQueue.SLOTS + data.consumeInt(0, CAPACITY - 1) * slotSize;
            switch (data.consumeInt(0, 4)) {
                case 0 -> queue.buffer().putLongVolatile(SharedQueue.HEAD, data.consumeLong());
                case 1 -> queue.buffer().putLongVolatile(SharedQueue.TAIL, data.consumeLong());
                case 2 -> queue.buffer().putLongVolatile(slot + SharedQueue.SLOT_STATE, data.consumeLong());
                case 3 -> queue.buffer().putInt(slot + SharedQueue.SLOT_LENGTH, data.consumeInt());
                default -> {
                    byte[] bytes = data.consumeBytes(48);
                    queue.buffer().putBytes(slot + SharedQueue.SLOT_PAYLOAD, bytes);
                }
            }
        }
        for (int i = 0; i < CAPACITY + 2; i++) {
            try {
                if (queue.poll() == null) {
                    break;
                }
            } catch (MessageDecodingException | SharedMemoryException expected) {
                // documented
            }
        }
        try {
            queue.offer(1L);
        } catch (SharedMemoryException expected) {
            // documented
        }
    }
}
