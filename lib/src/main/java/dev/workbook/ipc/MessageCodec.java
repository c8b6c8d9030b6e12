package dev.workbook.ipc;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InvalidClassException;
import java.io.NotSerializableException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.agrona.DirectBuffer;

/**
 * How queues and connections turn objects into bytes and back: fast paths for common values, Java
 * serialization behind an allow-list for the rest.
 *
 * <p>Every message carries a type tag; numbers are little-endian on every platform. {@link Long}, {@link Integer}, {@link Double}, {@link Boolean},
 * {@link String} (UTF-8) and {@code byte[]} are written as their raw bytes, with no serialization
 * stream and, for numbers, no allocation on the sending side. Any other {@link Serializable} object is
 * written with {@link ObjectOutputStream}; {@code null} is refused, as by the
 * {@code java.util.concurrent} queues.
 *
 * <h2>The allow-list</h2>
 * Deserializing bytes from another process runs code of every class they name (constructors of
 * non-serializable superclasses, {@code readObject} methods...). A receiver therefore only builds
 * classes its codec allows: an {@link ObjectInputFilter} checks each class in the stream against the
 * patterns (same syntax as {@code jdk.serialFilter}: {@code com.example.Point}, {@code com.example.*}
 * for a package, {@code com.example.**} for a package and its subpackages) before the class is
 * resolved, and refuses anything else with a {@link MessageRejectedException}. Arrays are checked by
 * their element type; arrays of primitives are always allowed. The stream is also limited to a depth
 * of {@value #MAX_DEPTH} and to arrays no longer than the message, which stops the crudest
 * denial-of-service streams (not every one: allow only classes you trust).
 *
 * <p>The default list is {@link #DEFAULT_ALLOW_LIST}: the value classes of {@code java.lang},
 * {@code java.util} collections, {@code java.time}, {@code java.math}, and this workbook's own
 * classes. The list belongs to the receiving handle; it travels with a handle sent to a child.
 *
 * <p>Immutable and thread-safe.
 */
public final class MessageCodec implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Allowed by {@link #defaults()}. */
    public static final List<String> DEFAULT_ALLOW_LIST =
            List.of("java.lang.*", "java.util.*", "java.time.*", "java.math.*", "dev.workbook.**");

    static final int MAX_DEPTH = 64;

    static final int LONG = 1;
    static final int INT = 2;
    static final int DOUBLE = 3;
    static final int BOOLEAN = 4;
    static final int STRING = 5;
    static final int BYTES = 6;
    static final int SERIALIZED = 7;

    private static final MessageCodec DEFAULTS = new MessageCodec(DEFAULT_ALLOW_LIST);

    private final List<String> allowList;
    private transient ObjectInputFilter patterns;

    private MessageCodec(List<String> allowList) {
        this.allowList = List.copyOf(allowList);
        this.patterns = compile(this.allowList);
    }

    /** The codec with {@link #DEFAULT_ALLOW_LIST}. */
    public static MessageCodec defaults() {
        return DEFAULTS;
    }

    /**
     * A codec that deserializes only classes matching these patterns (the fast-path types need no
     * pattern).
     *
     * @throws IllegalArgumentException if a pattern is malformed
     */
    public static MessageCodec allowOnly(String... patterns) {
        return new MessageCodec(Arrays.asList(patterns));
    }

    /** This codec with more allowed patterns. */
    public MessageCodec allowing(String... more) {
        List<String> all = new ArrayList<>(allowList);
        all.addAll(Arrays.asList(more));
        return new MessageCodec(all);
    }

    /** The allowed patterns, in order. */
    public List<String> allowList() {
        return allowList;
    }

    private static ObjectInputFilter compile(List<String> allowList) {
        StringBuilder spec = new StringBuilder();
        for (String pattern : allowList) {
            if (pattern == null || pattern.isBlank() || pattern.contains(";") || pattern.startsWith("!")
                    || pattern.contains("=")) {
                throw new IllegalArgumentException("bad allow-list pattern '" + pattern + "': give a class name,"
                        + " a package ending in .* or .**, or a prefix ending in *");
            }
            spec.append(pattern.strip()).append(';');
        }
        spec.append("!*");
        return ObjectInputFilter.Config.createFilter(spec.toString());
    }

    /** A message in wire form: a tag and its bytes (for {@link #LONG}, the bits instead of bytes). */
    record Encoded(int tag, byte[] bytes, long bits) {
        int length() {
            return bytes == null ? Long.BYTES : bytes.length;
        }
    }

    /**
     * Encodes a message.
     *
     * @throws NullPointerException if message is null
     * @throws IllegalArgumentException if it is neither a fast-path type nor serializable
     */
    Encoded encode(Object message) {
        if (message instanceof Long value) {
            return new Encoded(LONG, null, value);
        }
        if (message instanceof Integer value) {
            return new Encoded(INT, ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(value).array(), 0);
        }
        if (message instanceof Double value) {
            return new Encoded(DOUBLE, null, Double.doubleToRawLongBits(value));
        }
        if (message instanceof Boolean value) {
            return new Encoded(BOOLEAN, new byte[] {(byte) (value ? 1 : 0)}, 0);
        }
        if (message instanceof String value) {
            return new Encoded(STRING, value.getBytes(StandardCharsets.UTF_8), 0);
        }
        if (message instanceof byte[] value) {
            return new Encoded(BYTES, value, 0);
        }
        if (message == null) {
            throw new NullPointerException("null cannot be sent: send a value, or a marker object");
        }
        if (!(message instanceof Serializable)) {
            throw new IllegalArgumentException("cannot send a " + message.getClass().getName()
                    + ": it is not Serializable (nor a number, String or byte[])");
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(message);
        } catch (NotSerializableException e) {
            throw new IllegalArgumentException("cannot send a " + message.getClass().getName()
                    + ": it holds a " + e.getMessage() + ", which is not Serializable", e);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot serialize a " + message.getClass().getName() + ": " + e, e);
        }
        return new Encoded(SERIALIZED, bytes.toByteArray(), 0);
    }

    /**
     * Decodes a message whose payload is {@code length} bytes at {@code offset} of {@code buffer}.
     * Serialized payloads are copied out first, so the buffer may be reused as soon as this returns
     * or throws.
     */
    Object decode(int tag, DirectBuffer buffer, int offset, int length) {
        switch (tag) {
            case LONG:
                return buffer.getLong(offset, ByteOrder.LITTLE_ENDIAN);
            case DOUBLE:
                return Double.longBitsToDouble(buffer.getLong(offset, ByteOrder.LITTLE_ENDIAN));
            case STRING:
                return buffer.getStringWithoutLengthUtf8(offset, length);
            default:
                byte[] bytes = new byte[length];
                buffer.getBytes(offset, bytes);
                return decode(tag, bytes);
        }
    }

    /** Decodes a message whose payload is all of {@code bytes}. */
    Object decode(int tag, byte[] bytes) {
        switch (tag) {
            case LONG:
                return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
            case INT:
                return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getInt();
            case DOUBLE:
                return Double.longBitsToDouble(ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong());
            case BOOLEAN:
                return bytes[0] != 0;
            case STRING:
                return new String(bytes, StandardCharsets.UTF_8);
            case BYTES:
                return bytes;
            case SERIALIZED:
                return deserialize(bytes);
            default:
                throw new MessageDecodingException("unknown message tag " + tag
                        + ": the sender uses another version of the workbook, or the bytes are damaged", null);
        }
    }

    private Object deserialize(byte[] bytes) {
        String[] rejected = new String[1];
        boolean[] overLimits = new boolean[1];
        int maxArray = bytes.length;
        ObjectInputFilter filter = info -> {
            if (info.depth() > MAX_DEPTH || info.arrayLength() > maxArray) {
                overLimits[0] = true;
                return ObjectInputFilter.Status.REJECTED;
            }
            ObjectInputFilter.Status status = patterns.checkInput(info);
            if (status == ObjectInputFilter.Status.REJECTED) {
                Class<?> type = info.serialClass();
                while (type != null && type.isArray()) {
                    type = type.getComponentType();
                }
                rejected[0] = type == null ? "?" : type.getName();
            }
            return status;
        };
        try (ObjectInputStream in = new LoaderAwareInput(bytes)) {
            in.setObjectInputFilter(filter);
            return in.readObject();
        } catch (InvalidClassException e) {
            if (overLimits[0]) {
                throw new MessageDecodingException("refused to deserialize a stream nested deeper than " + MAX_DEPTH
                        + " or holding an array longer than the whole message: damaged or hostile", e);
            }
            if (rejected[0] != null) {
                throw new MessageRejectedException(rejected[0], allowList, e);
            }
            throw new MessageDecodingException("cannot deserialize message: " + e.getMessage()
                    + " (the sender has another version of the class?)", e);
        } catch (ClassNotFoundException e) {
            throw new MessageDecodingException("cannot deserialize message: class " + e.getMessage()
                    + " is not on this process's class path", e);
        } catch (IOException e) {
            throw new MessageDecodingException("cannot deserialize message: " + e, e);
        }
    }

    /** Resolves classes with the thread's context loader first, as notebook kernels need. */
    private static final class LoaderAwareInput extends ObjectInputStream {
        LoaderAwareInput(byte[] bytes) throws IOException {
            super(new ByteArrayInputStream(bytes));
        }

        @Override
        protected Class<?> resolveClass(ObjectStreamClass desc) throws IOException, ClassNotFoundException {
            ClassLoader context = Thread.currentThread().getContextClassLoader();
            if (context != null) {
                try {
                    return Class.forName(desc.getName(), false, context);
                } catch (ClassNotFoundException e) {
                    // fall back to the default lookup
                }
            }
            return super.resolveClass(desc);
        }
    }

    private void readObject(java.io.ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        patterns = compile(allowList);
    }

    @Override
    public String toString() {
        return "MessageCodec" + allowList;
    }
}
