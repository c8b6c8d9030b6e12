package dev.workbook.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.NotSerializableException;
import java.io.Serializable;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class MessageCodecTest {

    private static final MessageCodec TRUSTING = MessageCodec.trusting(MessageCodecTest.class.getClassLoader());

    private static Object roundTrip(MessageCodec codec, Object value) {
        return codec.decode(codec.encode(value));
    }

    @Test
    void scalarsComeBackEqualAndOfTheSameClassUnderEveryPolicy() {
        List<Object> scalars = Arrays.asList(null, true, false, 0, -7, Integer.MIN_VALUE, 0L, Long.MAX_VALUE, Long.MIN_VALUE,
                0.0, -0.0, Double.NaN, Double.MIN_VALUE, Double.NEGATIVE_INFINITY, "", "prime", "π ≈ 3.14159 🎲");
        for (MessageCodec codec : List.of(MessageCodec.defaults(), MessageCodec.allowOnly("java.lang.Long"), TRUSTING)) {
            for (Object scalar : scalars) {
                Object back = roundTrip(codec, scalar);
                assertEquals(scalar, back, "value " + scalar + " under " + codec);
                if (scalar != null) {
                    assertSame(scalar.getClass(), back.getClass(), "class of " + scalar);
                }
            }
        }
    }

    @Test
    void aNaNKeepsItsExactBits() {
        double odd = Double.longBitsToDouble(0x7ff8_0000_dead_beefL);
        assertEquals(0x7ff8_0000_dead_beefL, Double.doubleToRawLongBits((Double) roundTrip(TRUSTING, odd)));
    }

    @Test
    void aScalarTakesAFewBytesNotASerializationStream() {
        assertEquals(9, TRUSTING.encode(112272535095293L).length);
        assertEquals(5, TRUSTING.encode(7).length);
        assertEquals(1, TRUSTING.encode(Boolean.TRUE).length);
        assertEquals(5 + 5, TRUSTING.encode("prime").length);
        assertTrue(TRUSTING.encode(List.of(1L)).length > 40, "an immutable list is serialized, to keep its class");
    }

    @Test
    void stringsWithLoneSurrogatesComeBackUnchanged() {
        for (String broken : List.of("a\uD800b", "\uDC00", "end\uD83C", "\uDE00\uD83C", "ok 🎲 \uD800")) {
            assertEquals(broken, roundTrip(MessageCodec.defaults(), broken));
        }
    }

    @Test
    void aLongStringTravelsInItsOwnEncodingWhateverItsLength() {
        String big = "\u20ac".repeat(30_000); // 90,000 bytes of UTF-8: past writeUTF's limit
        byte[] bytes = TRUSTING.encode(big);
        assertEquals(MessageCodec.STRING, bytes[0]);
        assertEquals(big, TRUSTING.decode(bytes));
    }

    @Test
    void aByteArrayComesBackAsACopyOfItsBytes() {
        byte[] bytes = {1, 2, 3, -1};
        Object back = roundTrip(MessageCodec.defaults(), bytes);
        assertArrayEquals(bytes, (byte[]) back);
    }

    record Point(int x, int y) implements Serializable {
    }

    enum Suit { HEARTS, SPADES }

    @Test
    void otherValuesTravelBySerialization() {
        assertEquals(new Point(1, 2), roundTrip(TRUSTING, new Point(1, 2)));
        assertEquals(List.of(1, 2, 3), roundTrip(TRUSTING, List.of(1, 2, 3)));
        assertInstanceOf(List.of(1).getClass(), roundTrip(TRUSTING, List.of(1)), "a list keeps its own class");
    }

    @Test
    void aListOfScalarsComesBackAsAnArrayListOfEqualValues() {
        List<Object> values = Arrays.asList(1L, null, "two", 3.0, true, 4, "\uD800");
        Object back = TRUSTING.decode(TRUSTING.encodeList(values));
        assertInstanceOf(ArrayList.class, back);
        assertEquals(values, back);
        assertEquals(MessageCodec.LIST, TRUSTING.encode(new ArrayList<>(values))[0], "an ArrayList of scalars needs no stream");
    }

    @Test
    void aListWithOtherValuesIsSerializedWholeSoSharedObjectsStayShared() {
        Point shared = new Point(5, 5);
        List<?> back = (List<?>) TRUSTING.decode(TRUSTING.encodeList(Arrays.asList(shared, 7L, shared)));
        assertEquals(List.of(shared, 7L, shared), back);
        assertSame(back.get(0), back.get(2));
    }

    @Test
    void aValueThatCannotBeSerializedIsAnErrorNamingItsClass() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> TRUSTING.encode(new Object()));
        assertTrue(error.getMessage().contains("java.lang.Object"), error.getMessage());
        assertInstanceOf(NotSerializableException.class, error.getCause());
    }

    @Test
    void theDefaultPolicyReadsTheJdkValuesAndCollectionsItLists() {
        Map<String, Object> map = new HashMap<>();
        map.put("date", LocalDate.of(2026, 12, 1));
        map.put("money", new BigDecimal("12.50"));
        map.put("tree", new TreeMap<>(Map.of("a", List.of(1, 2))));
        map.put("concurrent", new ConcurrentHashMap<>(Map.of(1L, "one")));
        map.put("units", EnumSet.of(TimeUnit.SECONDS, TimeUnit.DAYS));
        map.put("id", UUID.nameUUIDFromBytes(new byte[] {1}));
        map.put("array", new long[] {1, 2});
        map.put("strings", new String[] {"x", null});
        map.put("wrapped", java.util.Collections.unmodifiableList(new ArrayList<>(List.of("u"))));
        MessageCodec codec = MessageCodec.defaults().allowing("java.util.concurrent.TimeUnit");
        @SuppressWarnings("unchecked")
        Map<String, Object> back = (Map<String, Object>) roundTrip(codec, map);
        assertEquals(map.keySet(), back.keySet());
        for (String key : List.of("date", "money", "tree", "concurrent", "units", "id", "wrapped")) {
            assertEquals(map.get(key), back.get(key), key);
        }
        assertArrayEquals((long[]) map.get("array"), (long[]) back.get("array"));
        assertArrayEquals((String[]) map.get("strings"), (String[]) back.get("strings"));
    }

    @Test
    void recordsAndEnumsOfYourOwnAreReadOnceAllowed() {
        MessageRejectedException refused = assertThrows(MessageRejectedException.class,
                () -> roundTrip(MessageCodec.defaults(), new Point(1, 2)));
        assertEquals(Point.class.getName(), refused.rejectedClass());
        MessageCodec codec = MessageCodec.defaults().allowing(Point.class, Suit.class);
        assertEquals(new Point(1, 2), roundTrip(codec, new Point(1, 2)));
        assertSame(Suit.SPADES, roundTrip(codec, Suit.SPADES));
    }

    @Test
    void onlyRecordsAndEnumsCanBeAllowedByClass() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> MessageCodec.defaults().allowing(java.awt.Point.class));
        assertTrue(error.getMessage().contains("allowing(\"java.awt.Point\")"), error.getMessage());
    }

    @Test
    void aCodecTravelsWithItsPolicy() {
        MessageCodec codec = MessageCodec.allowOnly("java.lang.Number", "java.math.*");
        MessageCodec back = (MessageCodec) TRUSTING.deserialize(TRUSTING.serialize(codec));
        assertEquals(codec.allowList(), back.allowList());
        assertThrows(MessageRejectedException.class, () -> back.decode(back.encode(new java.util.LinkedList<>(List.of(1)))));
    }
}
