package dev.workbook.ipc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.workbook.codec.MessageCodec;
import dev.workbook.codec.MessageRejectedException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The default policy refuses the library's own handles as messages: reading one back would attach
 * shared memory or bind a socket, at a name of the sender's choosing.
 */
class DefaultPolicyTest extends IpcTestSupport {

    @Test
    void aMessageHoldingAPipeEndIsRefusedAndTouchesNoFile() throws Exception {
        try (Pipe pipe = Pipe.open()) {
            byte[] message = MessageCodec.defaults().encode(pipe.left()); // what a sender can put on a queue
            // Aim the end's socket at a file of the receiver's: reading the end back would delete it.
            String socket = pathInStream(message, "/s");
            Path victim = Path.of(socket.substring(0, socket.length() - 1) + "v");
            replaceLastByte(message, socket, (byte) 'v');
            Files.writeString(victim, "precious");
            try {
                MessageRejectedException error = assertThrows(MessageRejectedException.class,
                        () -> MessageCodec.defaults().decode(message));
                assertTrue(error.rejectedClass().startsWith("dev.workbook.ipc."), error.rejectedClass());
                assertEquals("precious", Files.readString(victim), "the file is untouched");
            } finally {
                Files.deleteIfExists(victim);
            }
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

    /** The one string in the serialization stream that ends with {@code suffix}. */
    private static String pathInStream(byte[] stream, String suffix) {
        String text = new String(stream, StandardCharsets.ISO_8859_1);
        for (int start = text.indexOf('/'); start >= 0; start = text.indexOf('/', start + 1)) {
            int length = (stream[start - 2] & 0xFF) << 8 | stream[start - 1] & 0xFF; // a TC_STRING's length
            if (start + length <= text.length() && text.startsWith(suffix, start + length - suffix.length())
                    && stream[start - 3] == 0x74) {
                return text.substring(start, start + length);
            }
        }
        throw new AssertionError("no string ending in " + suffix);
    }

    private static void replaceLastByte(byte[] stream, String string, byte replacement) {
        int at = new String(stream, StandardCharsets.ISO_8859_1).indexOf(string) + string.length() - 1;
        stream[at] = replacement;
    }
}
