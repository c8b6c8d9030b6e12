package dev.workbook.ipc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.workbook.codec.MessageCodec;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * A handle that arrives in a message is inert: decoding it touches no file, and it attaches, with all
 * of attach's checks, on first use.
 */
class InertHandlesTest extends IpcTestSupport {

    private static final MessageCodec CODEC = MessageCodec.trusting(InertHandlesTest.class.getClassLoader());

    /** One kind of handle: how to make one, and one use of it. */
    private record Kind(String name, Supplier<SharedPrimitive> create, Consumer<Object> use) {
    }

    private static final List<Kind> KINDS = List.of(
            new Kind("SharedLong", () -> SharedLong.create(1), handle -> ((SharedLong) handle).get()),
            new Kind("SharedLongArray", () -> SharedLongArray.create(3), handle -> ((SharedLongArray) handle).get(0)),
            new Kind("SharedLock", SharedLock::create, handle -> ((SharedLock) handle).isLocked()),
            new Kind("SharedEvent", SharedEvent::create, handle -> ((SharedEvent) handle).isSet()),
            new Kind("SharedSemaphore", () -> SharedSemaphore.create(2), handle -> ((SharedSemaphore) handle).availablePermits()),
            new Kind("SharedQueue", () -> SharedQueue.create(4), handle -> ((SharedQueue) handle).size()));

    @Test
    void decodingAHandleOfEveryKindTouchesNoFileAndItsFirstUseFailsClearly() {
        for (Kind kind : KINDS) {
            SharedPrimitive original = kind.create().get();
            String name = original.name();
            byte[] message = CODEC.encode(original);
            original.close(); // the creator's close unlinks the region: any attach from now on fails
            Object decoded = CODEC.decode(message); // attached here, it would fail: the region is gone
            assertTrue(decoded.toString().contains("not attached yet"), kind.name() + ": " + decoded);
            SharedMemoryException missing = assertThrows(SharedMemoryException.class, () -> kind.use().accept(decoded),
                    kind.name());
            assertTrue(missing.getMessage().contains(name), kind.name() + ": " + missing.getMessage());
        }
    }

    @Test
    void anInertHandleAttachesOnFirstUseToTheSameMemory() {
        try (SharedLong counter = SharedLong.create(41)) {
            SharedLong received = (SharedLong) CODEC.decode(CODEC.encode(counter));
            assertEquals(42, received.incrementAndGet());
            assertEquals(42, counter.get());
            assertFalse(received.isCreator(), "the receiver does not own the name");
            received.close();
            assertEquals(42, counter.get(), "closing the received handle leaves the region to its creator");
        }
    }

    @Test
    void aQueueHandleKeepsItsSettingsAndReadsItsLayoutOnFirstUse() throws Exception {
        try (SharedQueue queue = SharedQueue.create(uniqueName("inert-queue"), 8, 64)) {
            SharedQueue received = (SharedQueue) CODEC.decode(CODEC.encode(queue.waitStrategy(WaitStrategy.spin())));
            assertEquals(WaitStrategy.spin(), received.waitStrategy(), "settings travel without attaching");
            assertEquals(8, received.capacity());
            assertEquals(64, received.maxMessageSize());
            queue.put("hello");
            assertEquals("hello", received.get());
            received.close();
        }
    }

    @Test
    void aHandleNamingAPathOutsideTheUsersDirectoryDecodesInertAndIsRefusedOnUse() {
        String hostile = "../../../etc/hosts";
        String name = "inert-" + "x".repeat(hostile.length() - "inert-".length());
        try (SharedLong counter = SharedLong.create(name, 0)) {
            byte[] message = CODEC.encode(counter);
            byte[] forged = replace(message, name, hostile); // same length: the stream stays well-formed
            SharedLong received = (SharedLong) CODEC.decode(forged);
            assertEquals(hostile, received.name());
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, received::get);
            assertTrue(refused.getMessage().contains("invalid region name '" + hostile + "'"), refused.getMessage());
        }
    }

    @Test
    void anInertHandleClosedBeforeItsFirstUseNeverAttaches() {
        try (SharedLong counter = SharedLong.create(0)) {
            SharedLong received = (SharedLong) CODEC.decode(CODEC.encode(counter));
            received.close();
            assertTrue(received.isClosed());
            IllegalStateException closed = assertThrows(IllegalStateException.class, received::get);
            assertTrue(closed.getMessage().contains("was closed in this process"), closed.getMessage());
        }
    }

    private static byte[] replace(byte[] bytes, String from, String to) {
        byte[] needle = from.getBytes(StandardCharsets.UTF_8);
        byte[] replacement = to.getBytes(StandardCharsets.UTF_8);
        byte[] copy = bytes.clone();
        outer:
        for (int i = 0; i + needle.length <= copy.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (copy[i + j] != needle[j]) {
                    continue outer;
                }
            }
            System.arraycopy(replacement, 0, copy, i, replacement.length);
            return copy;
        }
        throw new AssertionError("the name is not in the message");
    }
}
