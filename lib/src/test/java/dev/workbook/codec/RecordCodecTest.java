package dev.workbook.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.Serializable;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Records and enums travel as their components (the RECORD and ENUM values), behind the same policy. */
class RecordCodecTest {

    record Quote(String symbol, long price, int quantity) implements Serializable {
    }

    enum Side { BUY, SELL }

    record Line(Quote quote, Side side, byte[] note) implements Serializable {
    }

    record Order(String id, List<Line> lines, Double limit) implements Serializable {
    }

    private static final MessageCodec ALLOWING = MessageCodec.defaults().allowing(Quote.class, Side.class, Line.class, Order.class);
    private static final MessageCodec TRUSTING = MessageCodec.trusting(RecordCodecTest.class.getClassLoader());

    private static Object roundTrip(MessageCodec codec, Object value) {
        return codec.decode(codec.encode(value));
    }

    @Test
    void anAllowedRecordComesBackEqualFromItsComponentsNotASerializationStream() {
        Quote quote = new Quote("ACME", 42, 7);
        byte[] bytes = ALLOWING.encode(quote);
        assertEquals(MessageCodec.RECORD, bytes[0]);
        assertTrue(bytes.length < ALLOWING.serialize(quote).length, bytes.length + " bytes");
        assertEquals(quote, ALLOWING.decode(bytes));
        assertEquals(quote, TRUSTING.decode(bytes), "the trusting codec reads it too");
    }

    @Test
    void aRecordIsWrittenAsTheFormatDrawsIt() {
        byte[] name = Quote.class.getName().getBytes(StandardCharsets.UTF_8);
        byte[] expected = ByteBuffer.allocate(1 + 4 + name.length + 4 + 9 + 9 + 5).order(ByteOrder.LITTLE_ENDIAN)
                .put(MessageCodec.RECORD).putInt(name.length).put(name).putInt(3)
                .put(MessageCodec.STRING).putInt(4).put("ACME".getBytes(StandardCharsets.US_ASCII))
                .put(MessageCodec.LONG).putLong(42)
                .put(MessageCodec.INT).putInt(7)
                .array();
        assertArrayEquals(expected, ALLOWING.encode(new Quote("ACME", 42, 7)));
    }

    @Test
    void nestedRecordsEnumsAndListsOfRecordsComeBackEqual() {
        List<Line> lines = new ArrayList<>();
        lines.add(new Line(new Quote("ACME", 1, 2), Side.BUY, new byte[] {1, 2}));
        lines.add(new Line(new Quote("INIT", 3, 4), Side.SELL, null));
        Order order = new Order("o-1", lines, null);
        byte[] bytes = ALLOWING.encode(order);
        assertEquals(MessageCodec.RECORD, bytes[0]);
        Order back = (Order) ALLOWING.decode(bytes);
        assertEquals("o-1", back.id());
        assertInstanceOf(ArrayList.class, back.lines());
        assertEquals(2, back.lines().size());
        assertEquals(lines.get(1), back.lines().get(1));
        assertEquals(lines.get(0).quote(), back.lines().get(0).quote());
        assertSame(Side.BUY, back.lines().get(0).side());
        assertArrayEquals(new byte[] {1, 2}, back.lines().get(0).note());
    }

    @Test
    void aListOfRecordsAndAnEnumConstantTravelAsTaggedValues() {
        List<Object> quotes = new ArrayList<>(List.of(new Quote("A", 1, 1), new Quote("B", 2, 2), 3L));
        byte[] list = ALLOWING.encode(quotes);
        assertEquals(MessageCodec.LIST, list[0]);
        assertEquals(quotes, ALLOWING.decode(list));
        byte[] constant = ALLOWING.encode(Side.SELL);
        assertEquals(MessageCodec.ENUM, constant[0]);
        assertSame(Side.SELL, ALLOWING.decode(constant));
    }

    // ---------------------------------------------------------------- the policy

    /** Counts its constructions: none may happen for a refused message. */
    record Counted(int n) implements Serializable {
        static final AtomicInteger CONSTRUCTED = new AtomicInteger();

        Counted {
            CONSTRUCTED.incrementAndGet();
        }
    }

    static final AtomicInteger NEVER_INITIALIZED_RAN = new AtomicInteger();

    /** Never used by this test's code: only named in bytes. Its initializer says if anything ran it. */
    record NeverInitialized(int n) implements Serializable {
        static {
            NEVER_INITIALIZED_RAN.incrementAndGet();
        }
    }

    @Test
    void aRecordNotAllowedIsRefusedBeforeItsConstructorRuns() {
        byte[] bytes = TRUSTING.encode(new Counted(1));
        int before = Counted.CONSTRUCTED.get();
        MessageRejectedException refused = assertThrows(MessageRejectedException.class, () -> ALLOWING.decode(bytes));
        assertEquals(Counted.class.getName(), refused.rejectedClass());
        assertEquals(before, Counted.CONSTRUCTED.get());
    }

    @Test
    void aRecordNotAllowedIsRefusedBeforeItsClassIsInitialized() {
        byte[] bytes = new Bytes().record(NeverInitialized.class.getName(), 1).intValue(5).done();
        MessageRejectedException refused = assertThrows(MessageRejectedException.class, () -> ALLOWING.decode(bytes));
        assertEquals(NeverInitialized.class.getName(), refused.rejectedClass());
        assertEquals(0, NEVER_INITIALIZED_RAN.get(), "the refused record's static initializer ran");
    }

    @Test
    void aRecordInsideAnAllowedOneIsCheckedToo() {
        MessageCodec quotesOnly = MessageCodec.defaults().allowing(Line.class, Side.class);
        MessageRejectedException refused = assertThrows(MessageRejectedException.class,
                () -> quotesOnly.decode(ALLOWING.encode(new Line(new Quote("A", 1, 1), Side.BUY, null))));
        assertEquals(Quote.class.getName(), refused.rejectedClass());
    }

    @Test
    void anEnumNotAllowedIsRefused() {
        MessageRejectedException refused = assertThrows(MessageRejectedException.class,
                () -> MessageCodec.defaults().decode(ALLOWING.encode(Side.BUY)));
        assertEquals(Side.class.getName(), refused.rejectedClass());
    }

    // ---------------------------------------------------------------- what the record itself refuses

    record Positive(int n) implements Serializable {
        Positive {
            if (n <= 0) {
                throw new IllegalArgumentException("n must be positive, was " + n);
            }
        }
    }

    @Test
    void aCanonicalConstructorThatThrowsIsADecodingErrorNamingTheRecordAndWhy() {
        MessageCodec codec = MessageCodec.defaults().allowing(Positive.class);
        byte[] bytes = new Bytes().record(Positive.class.getName(), 1).intValue(-3).done();
        MessageDecodingException error = assertThrows(MessageDecodingException.class, () -> codec.decode(bytes));
        assertTrue(error.getMessage().contains(Positive.class.getName()), error.getMessage());
        assertTrue(error.getMessage().contains("n must be positive, was -3"), error.getMessage());
        assertInstanceOf(IllegalArgumentException.class, error.getCause());
    }

    @Test
    void aComponentOfTheWrongTypeIsADecodingErrorNotAClassCastException() {
        byte[] bytes = new Bytes().record(Quote.class.getName(), 3).string("ACME").string("42").intValue(7).done();
        MessageDecodingException error = assertThrows(MessageDecodingException.class, () -> ALLOWING.decode(bytes));
        assertTrue(error.getMessage().contains("component price"), error.getMessage());
    }

    @Test
    void nullForAPrimitiveComponentIsADecodingError() {
        byte[] bytes = new Bytes().record(Quote.class.getName(), 3).string("ACME").nul().intValue(7).done();
        MessageDecodingException error = assertThrows(MessageDecodingException.class, () -> ALLOWING.decode(bytes));
        assertTrue(error.getMessage().contains("but the message has null"), error.getMessage());
    }

    @Test
    void aComponentCountOfAnotherVersionIsADecodingError() {
        byte[] bytes = new Bytes().record(Quote.class.getName(), 1 << 30).done();
        MessageDecodingException error = assertThrows(MessageDecodingException.class, () -> ALLOWING.decode(bytes));
        assertTrue(error.getMessage().contains("has 3 components"), error.getMessage());
    }

    // ---------------------------------------------------------------- damaged bytes

    @Test
    void everyTruncationOfARecordIsADecodingError() {
        Line line = new Line(new Quote("ACME", 1, 2), Side.SELL, new byte[] {9});
        byte[] whole = ALLOWING.encode(new Order("o", new ArrayList<>(List.of(line)), 1.5));
        for (int length = 0; length < whole.length; length++) {
            int cut = length;
            assertThrows(MessageDecodingException.class, () -> ALLOWING.decode(whole, 0, cut), "cut at " + cut);
        }
    }

    @Test
    void aClassNameLongerThanTheBytesIsADecodingError() {
        byte[] bytes = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).put(MessageCodec.RECORD).putInt(1 << 30).array();
        MessageDecodingException error = assertThrows(MessageDecodingException.class, () -> ALLOWING.decode(bytes));
        assertTrue(error.getMessage().contains("length " + (1 << 30)), error.getMessage());
    }

    record Box(Object inner) implements Serializable {
    }

    @Test
    void recordsNestedDeeperThanTheLimitAreADecodingError() {
        Bytes bytes = new Bytes();
        for (int i = 0; i <= MessageCodec.MAX_DEPTH; i++) {
            bytes.record(Box.class.getName(), 1);
        }
        byte[] deep = bytes.nul().done();
        MessageDecodingException error = assertThrows(MessageDecodingException.class, () -> TRUSTING.decode(deep));
        assertTrue(error.getMessage().contains("nested deeper than " + MessageCodec.MAX_DEPTH), error.getMessage());
    }

    @Test
    void aRecordNamingAClassThatIsNotARecordIsADecodingError() {
        byte[] bytes = new Bytes().record("java.lang.Integer", 0).done();
        MessageDecodingException error = assertThrows(MessageDecodingException.class, () -> ALLOWING.decode(bytes));
        assertTrue(error.getMessage().contains("java.lang.Integer is not a record"), error.getMessage());
    }

    @Test
    void anEnumConstantThatDoesNotExistIsADecodingError() {
        byte[] bytes = new Bytes().enumConstant(Side.class.getName(), "HOLD").done();
        MessageDecodingException error = assertThrows(MessageDecodingException.class, () -> ALLOWING.decode(bytes));
        assertTrue(error.getMessage().contains("has no constant HOLD"), error.getMessage());
    }

    // ---------------------------------------------------------------- what still travels by serialization

    record Resolving(int n) implements Serializable {
        private Object readResolve() {
            return new Resolving(n + 1);
        }
    }

    record Priced(BigDecimal price) implements Serializable {
    }

    record Plain(int n) {
    }

    @Test
    void aRecordWithAReadResolveKeepsSerializationsRules() {
        byte[] bytes = TRUSTING.encode(new Resolving(1));
        assertEquals(MessageCodec.JAVA, bytes[0]);
        assertEquals(new Resolving(2), TRUSTING.decode(bytes));
    }

    @Test
    void aRecordHoldingAnotherKindOfObjectIsSerializedWhole() {
        byte[] bytes = TRUSTING.encode(new Priced(new BigDecimal("1.25")));
        assertEquals(MessageCodec.JAVA, bytes[0]);
        assertEquals(new Priced(new BigDecimal("1.25")), TRUSTING.decode(bytes));
    }

    @Test
    void anObjectMetTwiceIsSerializedWholeSoItStaysOneObject() {
        Quote shared = new Quote("S", 1, 1);
        List<Quote> twice = new ArrayList<>(List.of(shared, shared));
        byte[] bytes = TRUSTING.encode(twice);
        assertEquals(MessageCodec.JAVA, bytes[0]);
        List<?> back = (List<?>) TRUSTING.decode(bytes);
        assertSame(back.get(0), back.get(1));
    }

    @Test
    void aRecordNestedDeeperThanTheLimitIsSerializedWhole() {
        Object value = null;
        for (int i = 0; i < MessageCodec.MAX_DEPTH + 5; i++) {
            value = new Box(value);
        }
        byte[] bytes = TRUSTING.encode(value);
        assertEquals(MessageCodec.JAVA, bytes[0]);
        assertEquals(value, TRUSTING.decode(bytes));
    }

    @Test
    void aRecordThatIsNotSerializableIsStillAnEncodingError() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> TRUSTING.encode(new Plain(1)));
        assertTrue(error.getMessage().contains(Plain.class.getName()), error.getMessage());
    }

    @Test
    void aReceiverWithoutTheRecordOnItsClassPathSaysSo() {
        byte[] bytes = new Bytes().record("com.example.Missing", 0).done();
        MessageDecodingException error = assertThrows(MessageDecodingException.class, () -> TRUSTING.decode(bytes));
        assertTrue(error.getMessage().contains("com.example.Missing is not on this process's class path"), error.getMessage());
        assertFalse(error instanceof MessageRejectedException);
    }

    /** Hand-made encodings, for what the encoder never writes. */
    private static final class Bytes {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        private Bytes put(int tag, byte[]... parts) {
            out.write(tag);
            for (byte[] part : parts) {
                out.writeBytes(part);
            }
            return this;
        }

        private static byte[] int32(int value) {
            return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(value).array();
        }

        private static byte[] utf8(String text) {
            return text.getBytes(StandardCharsets.UTF_8);
        }

        Bytes record(String className, int components) {
            return put(MessageCodec.RECORD, int32(utf8(className).length), utf8(className), int32(components));
        }

        Bytes enumConstant(String className, String constant) {
            return put(MessageCodec.ENUM, int32(utf8(className).length), utf8(className), int32(utf8(constant).length),
                    utf8(constant));
        }

        Bytes string(String text) {
            return put(MessageCodec.STRING, int32(utf8(text).length), utf8(text));
        }

        Bytes intValue(int value) {
            return put(MessageCodec.INT, int32(value));
        }

        Bytes nul() {
            return put(MessageCodec.NULL);
        }

        byte[] done() {
            return out.toByteArray();
        }
    }
}
