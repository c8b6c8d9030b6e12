package dev.workbook.ipc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.workbook.codec.MessageCodec;
import dev.workbook.codec.MessageRejectedException;
import org.junit.jupiter.api.Test;

/**
 * The default policy refuses the library's own handles as messages: reading one back would attach
 * shared memory or bind a socket, at a name of the sender's choosing.
 */
class DefaultPolicyTest extends IpcTestSupport {

    @Test
    void aMessageHoldingAPipeEndIsRefused() throws Exception {
        // A pipe end carries only its meeting point's name and token (PipeDescriptorTest shows a forged one
        // cannot make a receiver touch a path); under the default policy it does not even get that far.
        try (Pipe pipe = Pipe.open()) {
            byte[] message = MessageCodec.defaults().encode(pipe.left()); // what a sender can put on a queue
            MessageRejectedException error = assertThrows(MessageRejectedException.class,
                    () -> MessageCodec.defaults().decode(message));
            assertTrue(error.rejectedClass().startsWith("dev.workbook.ipc."), error.rejectedClass());
        }
    }

    @Test
    void aQueueHandleSentOnAQueueIsRefusedAndTheNextMessageFlows() throws Exception {
        try (SharedQueue queue = SharedQueue.create(uniqueName("carrier"), 4, 4096); SharedQueue other = SharedQueue.create(4)) {
            queue.put(other);
            queue.put("after");
            MessageRejectedException error = assertThrows(MessageRejectedException.class, queue::get);
            assertEquals(SharedQueue.class.getName() + "$Handle", error.rejectedClass());
            assertTrue(error.getMessage().contains("not on the allow-list"), error.getMessage());
            assertEquals("after", queue.get());
        }
    }

    @Test
    void aLockHandleSentOnAPipeIsRefused() throws Exception {
        try (Pipe pipe = Pipe.open(); SharedLock lock = SharedLock.create()) {
            Thread sender = new Thread(() -> {
                try {
                    pipe.left().send(lock);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            sender.start();
            MessageRejectedException error = assertThrows(MessageRejectedException.class, pipe.right()::recv);
            assertEquals(SharedLock.class.getName() + "$Handle", error.rejectedClass());
            sender.join();
        }
    }

    @Test
    void noPatternOfTheDefaultListMatchesTheLibrary() {
        for (String pattern : MessageCodec.DEFAULT_ALLOW_LIST) {
            assertFalse(pattern.startsWith("dev.") || pattern.equals("*") || pattern.endsWith(".**"), pattern);
        }
    }
}
