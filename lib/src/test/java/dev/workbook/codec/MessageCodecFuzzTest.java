package dev.workbook.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.ArrayList;
import java.util.List;

/**
 * The codec's contract under a fuzzer (tools/fuzz/run; a regression run over the committed inputs in
 * every build): whatever the bytes, decoding returns or throws a {@link MessageDecodingException},
 * in bounded time and memory; and what is encoded comes back equal.
 */
class MessageCodecFuzzTest {

    @FuzzTest
    void decodingAnyBytesUnderTheDefaultPolicyFailsOnlyWithADecodingError(byte[] bytes) {
        try {
            MessageCodec.defaults().decode(bytes);
        } catch (MessageDecodingException expected) {
            // the one documented failure
        }
    }

    @FuzzTest
    void everyListOfScalarsComesBackEqual(FuzzedDataProvider data) {
        List<Object> values = new ArrayList<>();
        while (data.remainingBytes() > 0 && values.size() < 64) {
            switch (data.consumeInt(0, 5)) {
                case 0 -> values.add(data.consumeLong());
                case 1 -> values.add(data.consumeInt());
                case 2 -> values.add(Double.longBitsToDouble(data.consumeLong()));
                case 3 -> values.add(data.consumeBoolean());
                case 4 -> values.add(data.consumeString(40));
                default -> values.add(null);
            }
        }
        MessageCodec codec = MessageCodec.defaults();
        List<?> back = (List<?>) codec.decode(codec.encodeList(values));
        assertEquals(values.size(), back.size());
        for (int i = 0; i < values.size(); i++) {
            Object value = values.get(i);
            Object got = back.get(i);
            if (value instanceof Double number) { // NaNs are not equal to themselves: compare the bits
                assertEquals(Double.doubleToRawLongBits(number), Double.doubleToRawLongBits((Double) got));
            } else {
                assertEquals(value, got);
            }
        }
    }
}
