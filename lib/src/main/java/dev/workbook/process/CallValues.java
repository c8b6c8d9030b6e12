package dev.workbook.process;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The encoding of pool call items and results: the common scalar types in a few bytes each, and
 * anything else by Java serialization.
 *
 * <p>Why not Java serialization for everything: a {@code map} over numbers or strings sends one small
 * item and one small result per call, and an {@code ObjectInputStream} or {@code ObjectOutputStream}
 * per value costs both JVMs far more CPU than the value itself, above all in a fresh worker whose
 * serialization code still runs in the interpreter. The scalar encoding is exact: a value decodes to
 * an equal value of the same class.
 *
 * <pre>
 *   value  := NULL | TRUE | FALSE
 *           | INT int32 | LONG int64 | DOUBLE int64 (raw bits) | STRING modified-UTF-8 (as writeUTF)
 *           | LIST int32 count, count scalar values     (an ArrayList)
 *           | JAVA the rest of the bytes: Java serialization of the value
 * </pre>
 */
final class CallValues {

    private static final byte NULL = 0;
    private static final byte TRUE = 1;
    private static final byte FALSE = 2;
    private static final byte INT = 3;
    private static final byte LONG = 4;
    private static final byte DOUBLE = 5;
    private static final byte STRING = 6;
    private static final byte LIST = 7;
    private static final byte JAVA = 8;

    /** Strings up to this many chars fit {@code writeUTF}'s 65,535 bytes whatever their content. */
    private static final int MAX_SCALAR_STRING = 65_535 / 3;

    private CallValues() {
    }

    /** Whether {@code value} travels as a scalar: null, a Boolean, Integer, Long, Double, or a short String. */
    static boolean isScalar(Object value) {
        if (value == null) {
            return true;
        }
        Class<?> type = value.getClass();
        return type == Long.class || type == Integer.class || type == Boolean.class || type == Double.class
                || type == String.class && ((String) value).length() <= MAX_SCALAR_STRING;
    }

    /** Whether every item travels as a scalar. */
    static boolean allScalars(List<?> values) {
        for (Object value : values) {
            if (!isScalar(value)) {
                return false;
            }
        }
        return true;
    }

    /**
     * One value: a scalar in its own encoding, anything else serialized.
     *
     * @throws IOException if the value is not serializable
     */
    static byte[] encode(Object value) throws IOException {
        if (!isScalar(value)) {
            return java(value);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(16);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            writeScalar(out, value);
        }
        return bytes.toByteArray();
    }

    /**
     * A list as an {@code ArrayList}: scalar by scalar if every item is one, else serialized whole (so
     * that items sharing an object still share it after the trip).
     *
     * @throws IOException if the list holds a value that is not serializable
     */
    static byte[] encodeList(List<?> values) throws IOException {
        if (!allScalars(values)) {
            return java(values instanceof ArrayList<?> ? values : new ArrayList<>(values));
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(8 + 9 * values.size());
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(LIST);
            out.writeInt(values.size());
            for (Object value : values) {
                writeScalar(out, value);
            }
        }
        return bytes.toByteArray();
    }

    /**
     * Reads what {@link #encode} or {@link #encodeList} wrote, loading serialized values' classes
     * through {@code loader}.
     *
     * @throws IOException if the bytes are corrupt or a class is missing
     */
    static Object decode(byte[] bytes, ClassLoader loader) throws IOException {
        if (bytes.length == 0) {
            throw new IOException("an empty value encoding");
        }
        if (bytes[0] == JAVA) {
            return Serial.deserialize(bytes, 1, loader);
        }
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
        byte tag = in.readByte();
        if (tag == LIST) {
            int count = in.readInt();
            if (count < 0 || count > bytes.length) {
                throw new IOException("a list encoding with a corrupt count: " + count);
            }
            List<Object> values = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                values.add(readScalar(in, in.readByte()));
            }
            return values;
        }
        return readScalar(in, tag);
    }

    private static byte[] java(Object value) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        bytes.write(JAVA);
        Serial.serialize(value, bytes);
        return bytes.toByteArray();
    }

    private static void writeScalar(DataOutputStream out, Object value) throws IOException {
        if (value == null) {
            out.writeByte(NULL);
        } else if (value instanceof Long number) {
            out.writeByte(LONG);
            out.writeLong(number);
        } else if (value instanceof Integer number) {
            out.writeByte(INT);
            out.writeInt(number);
        } else if (value instanceof Boolean truth) {
            out.writeByte(truth ? TRUE : FALSE);
        } else if (value instanceof Double number) {
            out.writeByte(DOUBLE);
            out.writeLong(Double.doubleToRawLongBits(number));
        } else {
            out.writeByte(STRING);
            out.writeUTF((String) value);
        }
    }

    private static Object readScalar(DataInputStream in, byte tag) throws IOException {
        return switch (tag) {
            case NULL -> null;
            case TRUE -> Boolean.TRUE;
            case FALSE -> Boolean.FALSE;
            case INT -> in.readInt();
            case LONG -> in.readLong();
            case DOUBLE -> Double.longBitsToDouble(in.readLong());
            case STRING -> in.readUTF();
            default -> throw new IOException("not a value encoding: tag " + tag);
        };
    }
}
