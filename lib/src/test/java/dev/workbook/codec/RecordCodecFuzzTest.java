package dev.workbook.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * The record encoding under a fuzzer (tools/fuzz/run): a record tree built from the fuzzer's data
 * comes back equal, and the same encoding damaged where the fuzzer says (bytes overwritten, lengths
 * and counts changed, cut short) fails only with a {@link MessageDecodingException}. Building the
 * tree first takes the fuzzer past the class names, which it could not guess, into the components.
 */
class RecordCodecFuzzTest {

    enum Kind { LEAF, BRANCH }

    record Leaf(String text, long number, int small, double real, boolean flag) implements Serializable {
    }

    record Node(Kind kind, Leaf leaf, List<Object> children) implements Serializable {
    }

    /** Refuses a negative weight: the constructor's exception must surface as a decoding error. */
    record Weighted(int weight, Object value) implements Serializable {
        Weighted {
            if (weight < 0) {
                throw new IllegalArgumentException("negative weight " + weight);
            }
        }
    }

    private static final MessageCodec CODEC = MessageCodec.defaults().allowing(Kind.class, Leaf.class, Node.class, Weighted.class);

    @FuzzTest
    void everyRecordComesBackEqualAndEveryDamagedOneFailsOnlyWithADecodingError(FuzzedDataProvider data) {
        Object tree = value(data, 0);
        byte[] bytes = CODEC.encode(tree);
        assertEquals(tree, CODEC.decode(bytes));
        int damages = data.consumeInt(0, 4);
        for (int i = 0; i < damages && bytes.length > 0; i++) {
            int at = data.consumeInt(0, bytes.length - 1);
            switch (data.consumeInt(0, 2)) {
                case 0 -> bytes[at] = data.consumeByte();
                case 1 -> {
                    int value = data.consumeInt();
                    for (int b = 0; b < 4 && at + b < bytes.length; b++) {
                        bytes[at + b] = (byte) (value >>> (8 * b));
                    }
                }
                default -> bytes = java.util.Arrays.copyOf(bytes, at);
            }
        }
        try {
            CODEC.decode(bytes);
        } catch (MessageDecodingException expected) {
            // the one documented failure
        }
    }

    private static Object value(FuzzedDataProvider data, int depth) {
        if (data.remainingBytes() == 0) {
            return null;
        }
        switch (data.consumeInt(0, depth > 6 ? 2 : 5)) {
            case 0:
                return leaf(data);
            case 1:
                return data.pickValue(Kind.values());
            case 2:
                return data.consumeBoolean() ? (Object) data.consumeLong() : data.consumeString(12);
            case 3:
                return new Weighted(data.consumeInt(0, 1000), value(data, depth + 1));
            case 4: {
                List<Object> children = new ArrayList<>();
                int n = data.consumeInt(0, 4);
                for (int i = 0; i < n; i++) {
                    Object child = value(data, depth + 1);
                    children.add(child instanceof List ? null : child); // never a list directly in a list
                }
                return new Node(Kind.BRANCH, leaf(data), children);
            }
            default: {
                List<Object> items = new ArrayList<>();
                int n = data.consumeInt(0, 4);
                for (int i = 0; i < n; i++) {
                    items.add(leaf(data));
                }
                return new Node(Kind.LEAF, null, items);
            }
        }
    }

    private static Leaf leaf(FuzzedDataProvider data) {
        return new Leaf(data.consumeString(16), data.consumeLong(), data.consumeInt(), data.consumeDouble(), data.consumeBoolean());
    }
}
