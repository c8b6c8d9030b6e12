package dev.workbook.codec;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.ObjectOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import java.util.stream.Stream;

/** Whatever the bytes, decoding fails with a MessageDecodingException that says what was wrong. */
class MalformedBytesTest {

    private static byte[] bytes(int... values) {
        byte[] bytes = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            bytes[i] = (byte) values[i];
        }
        return bytes;
    }

    private static byte[] withLength(byte tag, int length, int payload) {
        return ByteBuffer.allocate(5 + payload).order(ByteOrder.LITTLE_ENDIAN).put(tag).putInt(length).array();
    }

    /** A tag, a class name, then more bytes. */
    private static byte[] named(byte tag, String className, int... more) {
        byte[] name = className.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        ByteBuffer buffer = ByteBuffer.allocate(5 + name.length + more.length).order(ByteOrder.LITTLE_ENDIAN)
                .put(tag).putInt(name.length).put(name);
        for (int value : more) {
            buffer.put((byte) value);
        }
        return buffer.array();
    }

    static Stream<Arguments> malformed() throws Exception {
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(stream)) {
            out.writeObject(new java.util.ArrayList<>(java.util.List.of("a", "b")));
        }
        byte[] java = stream.toByteArray();
        byte[] cutJava = new byte[1 + java.length / 2];
        cutJava[0] = MessageCodec.JAVA;
        System.arraycopy(java, 0, cutJava, 1, cutJava.length - 1);
        return Stream.of(
                Arguments.of("nothing at all", new byte[0], "empty"),
                Arguments.of("an unknown tag", bytes(42), "unknown value tag 42"),
                Arguments.of("a long cut short", bytes(MessageCodec.LONG, 0, 0), "needs 8 more bytes"),
                Arguments.of("an int cut short", bytes(MessageCodec.INT, 1), "needs 4 more bytes"),
                Arguments.of("a string without its length", bytes(MessageCodec.STRING, 3), "needs 4 more bytes"),
                Arguments.of("a string longer than the bytes", withLength(MessageCodec.STRING, 1000, 3), "length 1000"),
                Arguments.of("a negative string length", withLength(MessageCodec.STRING, -1, 3), "length -1"),
                Arguments.of("a UTF-16 string of an odd byte count", withLength(MessageCodec.STRING16, 2, 3), "length 2"),
                Arguments.of("byte[] longer than the bytes", withLength(MessageCodec.BYTES, Integer.MAX_VALUE, 0),
                        "length " + Integer.MAX_VALUE),
                Arguments.of("a list counting more items than bytes", withLength(MessageCodec.LIST, 1 << 30, 2), "length " + (1 << 30)),
                Arguments.of("a list inside a list", bytes(MessageCodec.LIST, 1, 0, 0, 0, MessageCodec.LIST, 0, 0, 0, 0), "LIST inside a LIST"),
                Arguments.of("a stream inside a list", bytes(MessageCodec.LIST, 1, 0, 0, 0, MessageCodec.JAVA), "serialized value inside"),
                Arguments.of("a record's class name longer than the bytes", withLength(MessageCodec.RECORD, 1000, 3), "length 1000"),
                Arguments.of("a record naming a class that is not one", named(MessageCodec.RECORD, "java.lang.Integer", 0, 0, 0, 0),
                        "is not a record"),
                Arguments.of("a record of a missing class", named(MessageCodec.RECORD, "no.such.Record", 0, 0, 0, 0),
                        "not on this process's class path"),
                Arguments.of("an enum naming a class that is not one", named(MessageCodec.ENUM, "java.lang.String", 1, 0, 0, 0, 'A'),
                        "is not an enum"),
                Arguments.of("an enum without its constant", named(MessageCodec.ENUM, "java.time.DayOfWeek"), "constant name"),
                Arguments.of("an enum constant cut short", named(MessageCodec.ENUM, "java.time.DayOfWeek", 9, 0, 0, 0, 'M'),
                        "constant name of length 9"),
                Arguments.of("bytes after the value", bytes(MessageCodec.TRUE, 0), "1 bytes after the value"),
                Arguments.of("a serialization stream cut short", cutJava, "cannot deserialize"),
                Arguments.of("a serialization stream of garbage", bytes(MessageCodec.JAVA, 1, 2, 3), "cannot deserialize"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void isADecodingErrorThatSaysWhatWasWrong(String what, byte[] bytes, String explanation) {
        for (MessageCodec codec : new MessageCodec[] {MessageCodec.defaults(), MessageCodec.trusting(getClass().getClassLoader())}) {
            MessageDecodingException error = assertThrows(MessageDecodingException.class, () -> codec.decode(bytes), what);
            assertTrue(error.getMessage().contains(explanation), what + ": " + error.getMessage());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void isADecodingErrorAlsoInsideALargerArray(String what, byte[] bytes, String explanation) {
        byte[] padded = new byte[bytes.length + 10];
        Arrays.fill(padded, MessageCodec.LONG);
        System.arraycopy(bytes, 0, padded, 3, bytes.length);
        assertThrows(MessageDecodingException.class, () -> MessageCodec.defaults().decode(padded, 3, bytes.length), what);
    }
}
