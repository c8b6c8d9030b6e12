package dev.workbook.codec;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The allow-list policies bound the work a stream of allowed classes can cause. */
class WorkLimitsTest {

    @Test
    void setsNestedDeeperThanTheLimitAreRefusedBeforeTheyAreHashed() {
        byte[] message = HostileStreams.nestedSets(50);
        assertTrue(message.length < 3000, "a small message: " + message.length + " bytes");
        MessageDecodingException error = assertThrows(MessageDecodingException.class,
                () -> MessageCodec.defaults().decode(message));
        assertTrue(error.getMessage().contains("nested deeper than " + MessageCodec.MAX_DEPTH), error.getMessage());
    }

    @Test
    void setsNestedWithinTheLimitAreRead() {
        Object back = MessageCodec.defaults().decode(HostileStreams.nestedSets(MessageCodec.MAX_DEPTH - 4));
        assertTrue(back instanceof java.util.Set<?>);
    }

    @Test
    void aStreamOfMoreReferencesThanTheLimitIsRefused() {
        List<Object> shared = new ArrayList<>(0);
        List<Object> many = new ArrayList<>(Collections.nCopies(MessageCodec.MAX_REFERENCES + 1, shared)); // 5 bytes a reference
        byte[] message = HostileStreams.withTag(many);
        MessageDecodingException error = assertThrows(MessageDecodingException.class,
                () -> MessageCodec.defaults().decode(message));
        assertTrue(error.getMessage().contains("more than " + MessageCodec.MAX_REFERENCES), error.getMessage());
    }

    @Test
    void anArrayLongerThanTheMessageIsRefusedBeforeItIsAllocatedEvenWhenTrusting() {
        byte[] message = HostileStreams.withTag(new long[] {0x5A5A5A5A5A5A5A5AL});
        int length = indexOf(message, new byte[] {0, 0, 0, 1, 0x5A}); // the array's length, then its element
        message[length] = 0x7F;
        message[length + 3] = (byte) 0xFF;
        for (MessageCodec codec : List.of(MessageCodec.defaults(), MessageCodec.trusting(getClass().getClassLoader()))) {
            MessageDecodingException error = assertThrows(MessageDecodingException.class, () -> codec.decode(message));
            assertTrue(error.getMessage().contains("an array of " + 0x7F0000FF + " elements"), error.getMessage());
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found");
    }
}
