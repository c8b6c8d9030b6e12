package dev.workbook.codec;

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
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.reflect.Proxy;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The workbook's one value codec: how a queue message, a connection message, a pool call's items and
 * its result become bytes and back. Common scalars in a few bytes each, Java serialization for the
 * rest, behind a policy that says which classes a receiver builds.
 *
 * <h2>Format</h2>
 * A value is a tag byte and its payload; numbers are little-endian on every platform:
 * <pre>
 *   value  := NULL | TRUE | FALSE
 *           | INT int32 | LONG int64 | DOUBLE int64 (raw bits)
 *           | STRING   int32 n, n bytes of UTF-8          (a String without lone surrogates)
 *           | STRING16 int32 n, n chars of UTF-16LE       (a String with one: kept exact)
 *           | BYTES    int32 n, n bytes                   (a byte[])
 *           | LIST     int32 n, n values, none of them LIST or JAVA   (an ArrayList)
 *           | RECORD   int32 n, n bytes of UTF-8 class name, int32 k, k values, none JAVA
 *                                                         (a record: its k components in order)
 *           | ENUM     int32 n, n bytes of UTF-8 class name, int32 m, m bytes of UTF-8 constant name
 *           | JAVA     the rest: a Java serialization stream of the value (only ever the whole value)
 * </pre>
 * For example {@code new Quote("ACME", 42L, 7)}, a {@code record Quote(String symbol, long price, int quantity)}
 * of package {@code p}, is 39 bytes:
 * <pre>
 *   0B | 07 00 00 00 | "p.Quote" | 03 00 00 00 | 06 04 00 00 00 "ACME" | 04 2A 00 .. 00 | 03 07 00 00 00
 *   RECORD  name length   name     3 components  STRING symbol           LONG price       INT quantity
 * </pre>
 * A record travels as a RECORD when Java serialization would rebuild it from its components alone:
 * it is {@link Serializable} and declares no {@code writeReplace} or {@code readResolve}, and every
 * component, all the way down, is a scalar, a {@code byte[]}, an enum constant, such a record, or an
 * {@code ArrayList} of them; no object is met twice (serialization would keep it one object); it is
 * nested at most {@value #MAX_DEPTH} deep. Otherwise the whole value is serialized (JAVA), which keeps
 * every rule of Java serialization. The receiver loads the named class without initializing it,
 * checks it against its policy, checks the component count and each component's type, and only
 * then calls the canonical constructor: a record that validates its components refuses bad ones as
 * a {@link MessageDecodingException}. Components are matched by position, not by name as
 * serialization does: both sides need the same version of the record.
 *
 * <p>Decoding is exact: a value comes back equal and of the same class ({@code -0.0}, NaN bits and lone
 * surrogates included), and the bytes must be consumed to the last one. Why a scalar encoding at all:
 * a pool's {@code map} over numbers sends one small item and one small result per call, and an
 * {@code ObjectInputStream} per value costs both JVMs far more CPU than the value itself, above all in
 * a fresh worker whose serialization code still runs in the interpreter.
 *
 * <p>Transports (queues, connections, pool frames) carry these bytes without looking inside.
 *
 * <h2>Policies</h2>
 * Deserializing bytes from another process runs code of every class they name ({@code readObject},
 * {@code readResolve}, constructors of non-serializable superclasses...). So a codec has a policy:
 * <ul>
 *   <li>{@link #defaults()}: for bytes from anyone who can reach a queue or a connection. Builds only
 *       the classes of {@link #DEFAULT_ALLOW_LIST}: JDK value types and collections whose
 *       deserialization touches nothing outside the new objects (no files, sockets, shared memory or
 *       threads). No class of this library is on it: its handles attach shared memory or bind sockets
 *       when read back. Add your own records and enums with {@link #allowing(Class...)}.</li>
 *   <li>{@link #allowOnly(String...)} and {@link #allowing(String...)}: the patterns you give (the
 *       syntax of {@code jdk.serialFilter}: {@code com.example.Point}, {@code com.example.*} for a
 *       package, {@code com.example.**} with its subpackages). Arrays are checked by their element
 *       type; arrays of primitives are always allowed.</li>
 *   <li>{@link #trusting(ClassLoader)}: every class, through a given class loader, with only the
 *       array limit below; for a process pool, whose parent and workers run each other's code
 *       anyway.</li>
 * </ul>
 * A refused class fails with {@link MessageRejectedException} before any code of it runs. The
 * allow-list policies also bound the work a stream can cause, since allowed classes alone can be
 * made to spin (sets nested in sets sharing their members make {@code hashCode} exponential in the
 * depth): at most {@value #MAX_DEPTH} levels of nesting, {@value #MAX_REFERENCES} objects and
 * references, and arrays no longer than the message. Over a limit is a {@link MessageDecodingException}
 * that names it.
 *
 * <h2>Errors</h2>
 * Decoding throws only {@link MessageDecodingException} (and its {@link MessageRejectedException}),
 * whatever the bytes: short, damaged or hostile. Encoding throws {@link IllegalArgumentException} for
 * a value that cannot be serialized.
 *
 * <p>Immutable and thread-safe. An allow-list codec is {@link Serializable} and travels with the
 * queue or connection handle it belongs to; a trusting one travels as trusting the receiving thread's
 * context class loader.
 */
public final class MessageCodec implements Serializable {

    private static final long serialVersionUID = 2L;

    /**
     * Allowed by {@link #defaults()}: each class here was read for what its deserialization does, and
     * builds its own objects and nothing else. {@code java.lang.Object} is listed for arrays of
     * objects (an {@code Object} itself cannot be serialized); {@code java.lang.Number} and
     * {@code java.lang.Enum} as the superclasses of allowed classes; {@code java.util.Map$Entry} for the
     * arrays that maps and sets check before they allocate them. What a {@code readResolve} returns
     * is checked too, hence the classes behind the serial proxies ({@code java.time.Ser},
     * {@code EnumSet}'s, {@code List.of}'s).
     */
    public static final List<String> DEFAULT_ALLOW_LIST = List.of(
            "java.lang.Boolean", "java.lang.Byte", "java.lang.Character", "java.lang.Short", "java.lang.Integer",
            "java.lang.Long", "java.lang.Float", "java.lang.Double", "java.lang.String", "java.lang.Number",
            "java.lang.Enum", "java.lang.Object",
            "java.math.BigInteger", "java.math.BigDecimal",
            "java.time.*",
            "java.util.ArrayList", "java.util.LinkedList", "java.util.ArrayDeque", "java.util.PriorityQueue",
            "java.util.HashMap", "java.util.LinkedHashMap", "java.util.TreeMap", "java.util.IdentityHashMap",
            "java.util.HashSet", "java.util.LinkedHashSet", "java.util.TreeSet", "java.util.EnumMap", "java.util.Map$Entry",
            "java.util.EnumSet$SerializationProxy", "java.util.RegularEnumSet", "java.util.JumboEnumSet",
            "java.util.CollSer", "java.util.ImmutableCollections$*", "java.util.Arrays$ArrayList",
            "java.util.Collections$*", "java.util.UUID", "java.util.Date", "java.util.BitSet",
            "java.util.concurrent.ConcurrentHashMap", "java.util.concurrent.ConcurrentHashMap$Segment",
            "java.util.concurrent.locks.ReentrantLock", "java.util.concurrent.locks.ReentrantLock$Sync",
            "java.util.concurrent.locks.ReentrantLock$NonfairSync", "java.util.concurrent.locks.AbstractQueuedSynchronizer",
            "java.util.concurrent.locks.AbstractOwnableSynchronizer",
            "java.util.concurrent.CopyOnWriteArrayList");

    /** Deepest nesting of objects an allow-list codec reads. */
    public static final int MAX_DEPTH = 20;
    /** Most objects and back-references in one stream an allow-list codec reads. */
    public static final int MAX_REFERENCES = 1_000_000;

    static final byte NULL = 0;
    static final byte TRUE = 1;
    static final byte FALSE = 2;
    static final byte INT = 3;
    static final byte LONG = 4;
    static final byte DOUBLE = 5;
    static final byte STRING = 6;
    static final byte STRING16 = 7;
    static final byte BYTES = 8;
    static final byte LIST = 9;
    static final byte JAVA = 10;
    static final byte RECORD = 11;
    static final byte ENUM = 12;

    private static final VarHandle INTS = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /** The patterns, or null for a trusting codec. */
    private final List<String> allowList;
    private final transient ObjectInputFilter patterns;
    /** A trusting codec's loader; null: the thread's context loader. */
    private final transient ClassLoader loader;
    /** The classes RECORD and ENUM values named, by name: loaded and judged once. */
    private final transient ConcurrentHashMap<String, Resolved> resolved = new ConcurrentHashMap<>();
    /** The last of them: a queue's messages are mostly of one class. */
    private transient volatile Resolved lastResolved;

    private MessageCodec(List<String> allowList) {
        this.allowList = List.copyOf(allowList);
        this.patterns = compile(this.allowList);
        this.loader = null;
    }

    private MessageCodec(ClassLoader loader) {
        this.allowList = null;
        this.patterns = null;
        this.loader = loader;
    }

    /**
     * The codec with {@link #DEFAULT_ALLOW_LIST}: one shared instance, built on the first call (never
     * blocks after that).
     */
    public static MessageCodec defaults() {
        return Defaults.CODEC;
    }

    /**
     * Holds the default codec so that it is built on first use, not when this class is initialized:
     * compiling its allow-list loads the JDK's serialization filter configuration, which a child JVM
     * using only a trusting codec or plain scalars would otherwise pay for at every start-up.
     */
    private static final class Defaults {
        static final MessageCodec CODEC = new MessageCodec(DEFAULT_ALLOW_LIST);
    }

    /**
     * A codec that deserializes only classes matching these patterns (scalars, strings, byte arrays and
     * lists of them need no pattern).
     *
     * @throws IllegalArgumentException if a pattern is malformed
     */
    public static MessageCodec allowOnly(String... patterns) {
        return new MessageCodec(Arrays.asList(patterns));
    }

    /**
     * A codec that deserializes every class, loading them through {@code loader} first (then the
     * platform's loaders), with no limit but on array lengths. Only for bytes from a process you trust
     * as yourself: it bounds what damaged bytes allocate, not what hostile ones make the CPU do.
     */
    public static MessageCodec trusting(ClassLoader loader) {
        return new MessageCodec(Objects.requireNonNull(loader, "loader"));
    }

    /**
     * This codec with more allowed patterns.
     *
     * @throws IllegalStateException if this codec is trusting: it allows everything already
     */
    public MessageCodec allowing(String... more) {
        if (allowList == null) {
            throw new IllegalStateException("a trusting codec allows every class already");
        }
        List<String> all = new ArrayList<>(allowList);
        all.addAll(Arrays.asList(more));
        return new MessageCodec(all);
    }

    /**
     * This codec also allowing these records and enums, by exact name: the opt-in for your own value
     * types. A record is rebuilt through its canonical constructor, an enum constant looked up by name,
     * so neither runs code you did not write into them.
     *
     * @throws IllegalArgumentException if a type is neither a record nor an enum (allow other classes by
     *                                  name with {@link #allowing(String...)}, having read their
     *                                  {@code readObject})
     */
    public MessageCodec allowing(Class<?>... types) {
        String[] names = new String[types.length];
        for (int i = 0; i < types.length; i++) {
            Class<?> type = types[i];
            if (!type.isRecord() && !type.isEnum()) {
                throw new IllegalArgumentException(type.getName() + " is neither a record nor an enum: allow it by name"
                        + " with allowing(\"" + type.getName() + "\") once you know its deserialization has no side effects");
            }
            names[i] = type.getName();
        }
        return allowing(names);
    }

    /** The allowed patterns, in order; empty for a trusting codec, which allows everything. */
    public List<String> allowList() {
        return allowList == null ? List.of() : allowList;
    }

    /** Whether this codec deserializes every class (see {@link #trusting(ClassLoader)}). */
    public boolean isTrusting() {
        return allowList == null;
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

    // ---------------------------------------------------------------- encoding

    /**
     * Encodes one value; {@code null} included (transports that refuse null check before).
     *
     * @throws IllegalArgumentException if the value is not a scalar and cannot be serialized
     */
    public byte[] encode(Object value) {
        if (value == null) {
            return new byte[] {NULL};
        }
        Class<?> type = value.getClass();
        if (type == Long.class) {
            byte[] bytes = new byte[9];
            bytes[0] = LONG;
            LONGS.set(bytes, 1, (long) (Long) value);
            return bytes;
        }
        if (type == Integer.class) {
            byte[] bytes = new byte[5];
            bytes[0] = INT;
            INTS.set(bytes, 1, (int) (Integer) value);
            return bytes;
        }
        if (type == Boolean.class) {
            return new byte[] {(Boolean) value ? TRUE : FALSE};
        }
        if (type == Double.class) {
            byte[] bytes = new byte[9];
            bytes[0] = DOUBLE;
            LONGS.set(bytes, 1, Double.doubleToRawLongBits((Double) value));
            return bytes;
        }
        if (type == String.class || type == byte[].class || type == ArrayList.class && allScalars((List<?>) value)) {
            Output out = new Output(16);
            writeValue(out, value);
            return out.toByteArray();
        }
        if (type.isRecord() || value instanceof Enum<?> || type == ArrayList.class) {
            Output out = new Output(128); // a small record with its class name, without growing
            if (writeStructured(out, value, 0, false, new Seen())) {
                return out.toByteArray();
            }
        }
        return java(value);
    }

    /**
     * Writes a record, an enum constant or an ArrayList, and what they hold, as tagged values; returns
     * false, having written part of it, if some part needs Java serialization (the caller then
     * serializes the whole value): a value of another class, a record that {@link RecordShape} refuses,
     * nesting deeper than {@link #MAX_DEPTH}, a list directly inside a list, or an object met twice
     * (serialization keeps it one object; this encoding would make two).
     */
    private static boolean writeStructured(Output out, Object value, int depth, boolean inList, Seen seen) {
        if (isScalar(value)) {
            writeValue(out, value);
            return true;
        }
        if (value instanceof byte[] bytes) {
            if (!seen.firstTime(bytes)) {
                return false;
            }
            writeValue(out, bytes);
            return true;
        }
        if (value instanceof Enum<?> constant) {
            out.put(ENUM);
            out.putName(constant.getDeclaringClass().getName());
            out.putName(constant.name());
            return true;
        }
        if (depth >= MAX_DEPTH) {
            return false;
        }
        Class<?> type = value.getClass();
        if (type == ArrayList.class) {
            List<?> list = (List<?>) value;
            if (inList || !seen.firstTime(list)) {
                return false;
            }
            out.put(LIST);
            out.putInt(list.size());
            for (Object item : list) {
                if (!writeStructured(out, item, depth + 1, true, seen)) {
                    return false;
                }
            }
            return true;
        }
        if (!type.isRecord()) {
            return false;
        }
        RecordShape shape = RecordShape.of(type);
        if (shape.ineligible != null || !seen.firstTime(value)) {
            return false;
        }
        out.put(RECORD);
        out.putInt(shape.nameBytes.length);
        out.put(shape.nameBytes);
        int components = shape.components();
        out.putInt(components);
        for (int i = 0; i < components; i++) {
            if (!writeStructured(out, shape.component(value, i), depth + 1, false, seen)) {
                return false;
            }
        }
        return true;
    }

    /** The mutable objects and records one encoding has met, by identity: few, so a short array first. */
    private static final class Seen {
        private Object[] few;
        private int size;
        private IdentityHashMap<Object, Boolean> many;

        /** Records {@code object}; false if it was met before. */
        boolean firstTime(Object object) {
            if (many != null) {
                return many.put(object, Boolean.TRUE) == null;
            }
            if (few == null) {
                few = new Object[8];
            }
            for (int i = 0; i < size; i++) {
                if (few[i] == object) {
                    return false;
                }
            }
            if (size == few.length) {
                many = new IdentityHashMap<>();
                for (Object met : few) {
                    many.put(met, Boolean.TRUE);
                }
                return many.put(object, Boolean.TRUE) == null;
            }
            few[size++] = object;
            return true;
        }
    }

    /**
     * Encodes a list so that it decodes as an {@link ArrayList} of equal items: item by item if every
     * item is a scalar, else serialized whole (so that items sharing an object still share it).
     *
     * @throws IllegalArgumentException if an item cannot be serialized
     */
    public byte[] encodeList(List<?> values) {
        if (!allScalars(values)) {
            return java(values instanceof ArrayList<?> ? values : new ArrayList<>(values));
        }
        Output out = new Output(8 + 9 * values.size());
        writeList(out, values);
        return out.toByteArray();
    }

    /** Whether {@code value} has an encoding of its own: null, a Boolean, Integer, Long, Double or String. */
    public static boolean isScalar(Object value) {
        if (value == null) {
            return true;
        }
        Class<?> type = value.getClass();
        return type == Long.class || type == Integer.class || type == Boolean.class || type == Double.class
                || type == String.class;
    }

    /** Whether every item is a {@linkplain #isScalar scalar}. */
    public static boolean allScalars(List<?> values) {
        for (Object value : values) {
            if (!isScalar(value)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The bare Java serialization stream of {@code value}, with no tag: for objects that are always
     * serialized (a task, a function, an exception). Read it back with {@link #deserialize(byte[])}.
     *
     * @throws IllegalArgumentException if it cannot be serialized
     */
    public byte[] serialize(Object value) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        writeJava(value, bytes);
        return bytes.toByteArray();
    }

    private static byte[] java(Object value) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        bytes.write(JAVA);
        writeJava(value, bytes);
        return bytes.toByteArray();
    }

    private static void writeJava(Object value, ByteArrayOutputStream bytes) {
        if (!(value instanceof Serializable)) {
            throw new IllegalArgumentException("cannot encode a " + value.getClass().getName()
                    + ": it is not Serializable (nor a number, String or byte[])",
                    new NotSerializableException(value.getClass().getName()));
        }
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        } catch (NotSerializableException e) {
            throw new IllegalArgumentException("cannot encode a " + value.getClass().getName()
                    + ": it holds a " + e.getMessage() + ", which is not Serializable", e);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot serialize a " + value.getClass().getName() + ": " + e, e);
        }
    }

    private static void writeList(Output out, List<?> values) {
        out.put(LIST);
        out.putInt(values.size());
        for (Object value : values) {
            writeValue(out, value);
        }
    }

    /** Writes a scalar, a String, a byte[] or an ArrayList of scalars. */
    private static void writeValue(Output out, Object value) {
        if (value == null) {
            out.put(NULL);
        } else if (value instanceof Long number) {
            out.put(LONG);
            out.putLong(number);
        } else if (value instanceof Integer number) {
            out.put(INT);
            out.putInt(number);
        } else if (value instanceof Boolean truth) {
            out.put(truth ? TRUE : FALSE);
        } else if (value instanceof Double number) {
            out.put(DOUBLE);
            out.putLong(Double.doubleToRawLongBits(number));
        } else if (value instanceof String text) {
            if (isWellFormed(text)) {
                byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
                out.put(STRING);
                out.putInt(utf8.length);
                out.put(utf8);
            } else {
                out.put(STRING16); // UTF-8 would turn a lone surrogate into '?'
                out.putInt(text.length());
                for (int i = 0; i < text.length(); i++) {
                    out.putChar(text.charAt(i));
                }
            }
        } else if (value instanceof byte[] bytes) {
            out.put(BYTES);
            out.putInt(bytes.length);
            out.put(bytes);
        } else {
            writeList(out, (List<?>) value);
        }
    }

    /** Whether every surrogate in {@code text} is half of a pair, so that UTF-8 keeps it exactly. */
    private static boolean isWellFormed(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    /** A growable little-endian byte array. */
    private static final class Output {
        private byte[] bytes;
        private int size;

        Output(int capacity) {
            bytes = new byte[capacity];
        }

        private void room(int more) {
            if (size + more > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(size + more, bytes.length * 2));
            }
        }

        void put(byte value) {
            room(1);
            bytes[size++] = value;
        }

        void put(byte[] value) {
            room(value.length);
            System.arraycopy(value, 0, bytes, size, value.length);
            size += value.length;
        }

        void putChar(char value) {
            room(2);
            bytes[size++] = (byte) value;
            bytes[size++] = (byte) (value >>> 8);
        }

        void putInt(int value) {
            room(4);
            INTS.set(bytes, size, value);
            size += 4;
        }

        void putLong(long value) {
            room(8);
            LONGS.set(bytes, size, value);
            size += 8;
        }

        /** A class or constant name: int32 n, n bytes of UTF-8. */
        void putName(String name) {
            byte[] utf8 = name.getBytes(StandardCharsets.UTF_8);
            putInt(utf8.length);
            put(utf8);
        }

        byte[] toByteArray() {
            return size == bytes.length ? bytes : Arrays.copyOf(bytes, size);
        }
    }

    // ---------------------------------------------------------------- decoding

    /**
     * Decodes what {@link #encode} or {@link #encodeList} wrote.
     *
     * @throws MessageDecodingException if the bytes are not one whole value, or its class is missing
     * @throws MessageRejectedException if it would deserialize a class this codec does not allow
     */
    public Object decode(byte[] bytes) {
        return decode(bytes, 0, bytes.length);
    }

    /**
     * Decodes the value in {@code length} bytes of {@code bytes} from {@code offset}; see
     * {@link #decode(byte[])}. Nothing refers to the array once this returns or throws.
     *
     * @throws IndexOutOfBoundsException if the range is outside the array (a caller's bug, not bad input)
     */
    public Object decode(byte[] bytes, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        Input in = new Input(bytes, offset, offset + length);
        if (length == 0) {
            throw new MessageDecodingException("an empty encoding: a value has at least its tag byte", null);
        }
        if (bytes[offset] == JAVA) {
            return deserialize(bytes, offset + 1, length - 1);
        }
        Object value = readValue(in, 0, false);
        in.expectEnd();
        return value;
    }

    /**
     * Reads a bare Java serialization stream ({@link #serialize}) under this codec's policy.
     *
     * @throws MessageDecodingException if the stream is damaged, over a limit, or names a missing class
     * @throws MessageRejectedException if it would deserialize a class this codec does not allow
     */
    public Object deserialize(byte[] bytes) {
        return deserialize(bytes, 0, bytes.length);
    }

    /**
     * Reads one value that starts {@code depth} records and lists deep, directly in a list if
     * {@code inList}.
     */
    private Object readValue(Input in, int depth, boolean inList) {
        byte tag = in.tag();
        switch (tag) {
            case NULL:
                return null;
            case TRUE:
                return Boolean.TRUE;
            case FALSE:
                return Boolean.FALSE;
            case INT:
                return in.int32("an INT");
            case LONG:
                return in.int64("a LONG");
            case DOUBLE:
                return Double.longBitsToDouble(in.int64("a DOUBLE"));
            case STRING: {
                int n = in.count("a STRING", 1);
                String text = new String(in.bytes, in.position, n, StandardCharsets.UTF_8);
                in.position += n;
                return text;
            }
            case STRING16: {
                int n = in.count("a STRING16", 2);
                char[] chars = new char[n];
                for (int i = 0; i < n; i++) {
                    chars[i] = (char) (in.bytes[in.position] & 0xFF | (in.bytes[in.position + 1] & 0xFF) << 8);
                    in.position += 2;
                }
                return new String(chars);
            }
            case BYTES: {
                int n = in.count("a BYTES", 1);
                byte[] copy = Arrays.copyOfRange(in.bytes, in.position, in.position + n);
                in.position += n;
                return copy;
            }
            case LIST: {
                if (inList) {
                    throw new MessageDecodingException("a LIST inside a LIST at byte " + (in.position - 1)
                            + ": this codec never writes one; the bytes are damaged or not from this codec", null);
                }
                checkDepth(in, depth, "a LIST");
                int n = in.count("a LIST", 1); // every item takes at least its tag byte
                List<Object> values = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    values.add(readValue(in, depth + 1, true));
                }
                return values;
            }
            case RECORD:
                return readRecord(in, depth);
            case ENUM: {
                int at = in.position - 1;
                Class<?> type = resolve(in, at, false).type;
                String constant = in.name("an ENUM's constant name");
                try {
                    return enumConstant(type, constant);
                } catch (IllegalArgumentException e) {
                    throw new MessageDecodingException("enum " + type.getName() + " has no constant " + constant
                            + " (the ENUM at byte " + at + "): the sender has another version of it", e);
                }
            }
            case JAVA:
                throw new MessageDecodingException("a serialized value inside a LIST or RECORD at byte " + (in.position - 1)
                        + ": this codec never writes one; the bytes are damaged or not from this codec", null);
            default:
                throw new MessageDecodingException("unknown value tag " + tag + " at byte " + (in.position - 1)
                        + ": the sender uses another version of the workbook, or the bytes are damaged", null);
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object enumConstant(Class<?> type, String name) {
        return Enum.valueOf((Class) type, name);
    }

    private static void checkDepth(Input in, int depth, String what) {
        if (depth >= MAX_DEPTH) {
            throw new MessageDecodingException(what + " at byte " + (in.position - 1) + " is nested deeper than "
                    + MAX_DEPTH + " records and lists: damaged or hostile (this codec writes deeper values by"
                    + " serialization)", null);
        }
    }

    /** Reads a RECORD whose tag was just read: checks its class, then its components, then builds it. */
    private Object readRecord(Input in, int depth) {
        checkDepth(in, depth, "a RECORD");
        int at = in.position - 1;
        RecordShape shape = resolve(in, at, true).shape;
        int n = in.int32("a RECORD's component count");
        if (n != shape.components()) {
            throw new MessageDecodingException("record " + shape.type.getName() + " has " + shape.components()
                    + " components, but the RECORD at byte " + at + " has " + n + ": the sender has another version"
                    + " of the class, or the bytes are damaged", null);
        }
        Object[] values = new Object[n];
        for (int i = 0; i < n; i++) {
            Object value = readValue(in, depth + 1, false);
            String mismatch = shape.mismatch(i, value);
            if (mismatch != null) {
                throw new MessageDecodingException(mismatch + " (the RECORD at byte " + at + "): the sender has another"
                        + " version of the class, or the bytes are damaged", null);
            }
            values[i] = value;
        }
        return shape.construct(values);
    }

    /**
     * Reads the class name of a RECORD or ENUM and returns the class, loaded (not initialized: none
     * of its code runs) and allowed by this codec's policy, with its shape for a record.
     */
    private Resolved resolve(Input in, int at, boolean record) {
        String what = record ? "a RECORD" : "an ENUM";
        int n = in.count(what + "'s class name", 1);
        ClassLoader from = loader != null ? loader : contextLoader();
        Resolved last = lastResolved;
        if (last == null || last.loader != from || last.record != record
                || !Arrays.equals(last.nameBytes, 0, last.nameBytes.length, in.bytes, in.position, in.position + n)) {
            String name = new String(in.bytes, in.position, n, StandardCharsets.UTF_8);
            last = resolved.get(name);
            if (last == null || last.loader != from || last.record != record) {
                last = load(name, from, record, what, at);
                if (resolved.size() < MAX_RESOLVED) {
                    resolved.put(name, last);
                }
            }
            lastResolved = last;
        }
        in.position += n;
        if (last.refusal != null) {
            throw last.refusal.get();
        }
        return last;
    }

    private static ClassLoader contextLoader() {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        return context != null ? context : MessageCodec.class.getClassLoader();
    }

    /** Loads and judges a class named by a RECORD or ENUM; a refusal is kept as the error to throw. */
    private Resolved load(String name, ClassLoader from, boolean record, String what, int at) {
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        Class<?> type;
        try {
            type = Class.forName(name, false, from);
        } catch (ClassNotFoundException e) {
            throw new MessageDecodingException("cannot decode " + what + " at byte " + at + ": class " + name
                    + " is not on this process's class path", e);
        } catch (LinkageError e) {
            throw new MessageDecodingException("cannot decode " + what + " at byte " + at + ": class " + name
                    + " cannot be loaded in this JVM (" + e + ")", e);
        }
        if (patterns != null && patterns.checkInput(new ClassCheck(type)) != ObjectInputFilter.Status.ALLOWED) {
            String rejected = type.getName();
            return new Resolved(from, nameBytes, record, type, null,
                    () -> new MessageRejectedException(rejected, allowList, null));
        }
        if (record) {
            RecordShape shape = RecordShape.of(type);
            if (shape.ineligible != null) {
                String why = shape.ineligible;
                return new Resolved(from, nameBytes, true, type, null, () -> new MessageDecodingException(
                        "cannot decode a RECORD of " + name + ": " + why + "; this codec never writes one", null));
            }
            return new Resolved(from, nameBytes, true, type, shape, null);
        }
        if (!type.isEnum()) {
            return new Resolved(from, nameBytes, false, type, null, () -> new MessageDecodingException(
                    "cannot decode an ENUM of " + name + ": it is not an enum; the bytes are damaged", null));
        }
        return new Resolved(from, nameBytes, false, type, null, null);
    }

    /** Most class names a codec keeps resolved: a bound on what a stream of made-up names can grow. */
    private static final int MAX_RESOLVED = 256;

    /**
     * A class a RECORD or ENUM named, as this codec judged it for a loader: allowed (with its shape,
     * for a record), or the error that refuses it.
     */
    private record Resolved(ClassLoader loader, byte[] nameBytes, boolean record, Class<?> type, RecordShape shape,
                            java.util.function.Supplier<MessageDecodingException> refusal) {
    }

    /** What the allow-list patterns see of a class named by a RECORD or ENUM. */
    private record ClassCheck(Class<?> serialClass) implements ObjectInputFilter.FilterInfo {
        @Override
        public long arrayLength() {
            return -1;
        }

        @Override
        public long depth() {
            return 1;
        }

        @Override
        public long references() {
            return 1;
        }

        @Override
        public long streamBytes() {
            return 0;
        }
    }

    /** A bounds-checked cursor over the bytes being decoded: every shortfall is a clear error. */
    private static final class Input {
        final byte[] bytes;
        final int end;
        int position;

        Input(byte[] bytes, int offset, int end) {
            this.bytes = bytes;
            this.position = offset;
            this.end = end;
        }

        private void need(int n, String what) {
            if (end - position < n) {
                throw new MessageDecodingException(what + " needs " + n + " more bytes at byte " + position + ", but only "
                        + (end - position) + " are left: the value is cut short or damaged", null);
            }
        }

        byte tag() {
            need(1, "a value");
            return bytes[position++];
        }

        int int32(String what) {
            need(4, what);
            int value = (int) INTS.get(bytes, position);
            position += 4;
            return value;
        }

        long int64(String what) {
            need(8, what);
            long value = (long) LONGS.get(bytes, position);
            position += 8;
            return value;
        }

        /** Reads a count of units of {@code unitSize} bytes and checks that they are all there. */
        int count(String what, int unitSize) {
            int n = int32(what + "'s length");
            if (n < 0 || (long) n * unitSize > end - position) {
                throw new MessageDecodingException(what + " of length " + n + " at byte " + (position - 4) + ", but only "
                        + (end - position) + " bytes are left: the length is damaged", null);
            }
            return n;
        }

        /** A class or constant name: int32 n, n bytes of UTF-8. */
        String name(String what) {
            int n = count(what, 1);
            String name = new String(bytes, position, n, StandardCharsets.UTF_8);
            position += n;
            return name;
        }

        void expectEnd() {
            if (position != end) {
                throw new MessageDecodingException((end - position) + " bytes after the value: the bytes are damaged or"
                        + " not from this codec", null);
            }
        }
    }

    // ---------------------------------------------------------------- Java serialization

    private Object deserialize(byte[] bytes, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        Limits limits = new Limits(patterns, length);
        try (ObjectInputStream in = new PolicyInput(bytes, offset, length, loader)) {
            in.setObjectInputFilter(limits);
            return in.readObject();
        } catch (InvalidClassException e) {
            if (limits.overLimit != null) {
                throw new MessageDecodingException("refused to deserialize a stream with " + limits.overLimit
                        + ": damaged or hostile (the limits bound the work a message can cause)", e);
            }
            if (limits.rejected != null) {
                throw new MessageRejectedException(limits.rejected, allowList, e);
            }
            throw new MessageDecodingException("cannot deserialize: " + e.getMessage()
                    + " (the sender has another version of the class?)", e);
        } catch (ClassNotFoundException e) {
            throw new MessageDecodingException("cannot deserialize: class " + e.getMessage()
                    + " is not on this process's class path", e);
        } catch (IOException e) {
            throw new MessageDecodingException("cannot deserialize: " + e, e);
        } catch (LinkageError e) {
            // A class the stream names is on the class path but cannot be linked or initialized here
            // (compiled for a newer Java, a failing static initializer): found by fuzzing the trusting
            // codec, which resolves any name it is given.
            throw new MessageDecodingException("cannot deserialize: a class the stream names cannot be loaded in this"
                    + " JVM (" + e + ")", e);
        } catch (RuntimeException | StackOverflowError e) {
            // A readObject of an allowed class that trips over its own damaged state (a negative
            // size, a null where it expects a value...): still damaged input, not our bug.
            throw new MessageDecodingException("cannot deserialize: the stream is damaged (" + e + ")", e);
        }
    }

    /**
     * The allow-list and the work limits, checked for every class, array and reference of a stream
     * before it is built. Single use: it records why it refused. A trusting codec has no patterns and
     * keeps only the array limit, which no real stream reaches (every element takes at least a byte of
     * the stream) and which stops a few damaged bytes from allocating gigabytes.
     */
    private static final class Limits implements ObjectInputFilter {
        /** Null for a trusting codec. */
        private final ObjectInputFilter patterns;
        private final long maxArray;
        String overLimit;
        String rejected;

        Limits(ObjectInputFilter patterns, int streamLength) {
            this.patterns = patterns;
            this.maxArray = streamLength;
        }

        @Override
        public Status checkInput(FilterInfo info) {
            if (info.arrayLength() > maxArray) {
                overLimit = "an array of " + info.arrayLength() + " elements in a " + maxArray + "-byte stream";
            } else if (patterns != null && info.depth() > MAX_DEPTH) {
                overLimit = "objects nested deeper than " + MAX_DEPTH;
            } else if (patterns != null && info.references() > MAX_REFERENCES) {
                overLimit = "more than " + MAX_REFERENCES + " objects and references";
            }
            if (overLimit != null) {
                return Status.REJECTED;
            }
            if (patterns == null || info.serialClass() == null) {
                return Status.UNDECIDED; // a reference or a limits-only check
            }
            Status status = patterns.checkInput(info);
            if (status != Status.ALLOWED) {
                Class<?> type = info.serialClass();
                while (type.isArray()) {
                    type = type.getComponentType();
                }
                if (type.isPrimitive()) {
                    return Status.ALLOWED;
                }
                rejected = type.getName();
                return Status.REJECTED;
            }
            return status;
        }
    }

    /**
     * Resolves classes through the trusting codec's loader, or the thread's context loader (notebook
     * kernels define cell classes there), then the platform's loaders.
     */
    private static final class PolicyInput extends ObjectInputStream {
        private final ClassLoader loader;

        PolicyInput(byte[] bytes, int offset, int length, ClassLoader loader) throws IOException {
            super(new ByteArrayInputStream(bytes, offset, length));
            this.loader = loader != null ? loader : Thread.currentThread().getContextClassLoader();
        }

        @Override
        protected Class<?> resolveClass(ObjectStreamClass desc) throws IOException, ClassNotFoundException {
            if (loader != null) {
                try {
                    return Class.forName(desc.getName(), false, loader);
                } catch (ClassNotFoundException e) {
                    // primitives and the platform's classes
                }
            }
            return super.resolveClass(desc);
        }

        @Override
        @SuppressWarnings("deprecation")
        protected Class<?> resolveProxyClass(String[] interfaces) throws IOException, ClassNotFoundException {
            if (loader == null) {
                return super.resolveProxyClass(interfaces);
            }
            Class<?>[] types = new Class<?>[interfaces.length];
            for (int i = 0; i < interfaces.length; i++) {
                types[i] = Class.forName(interfaces[i], false, loader);
            }
            return Proxy.getProxyClass(loader, types);
        }
    }

    /**
     * Travels as a {@link SerialForm}: the default list as a flag and the patterns added to it, since
     * every queue and connection handle carries its codec.
     */
    private Object writeReplace() {
        if (allowList == null) {
            return new SerialForm(true, false, List.of());
        }
        boolean extendsDefaults = allowList.size() >= DEFAULT_ALLOW_LIST.size()
                && allowList.subList(0, DEFAULT_ALLOW_LIST.size()).equals(DEFAULT_ALLOW_LIST);
        return new SerialForm(false, extendsDefaults,
                extendsDefaults ? allowList.subList(DEFAULT_ALLOW_LIST.size(), allowList.size()) : allowList);
    }

    private void readObject(java.io.ObjectInputStream in) throws java.io.InvalidObjectException {
        throw new java.io.InvalidObjectException("a MessageCodec travels as its SerialForm");
    }

    /** The serialized form; a trusting codec arrives trusting the receiving thread's context loader. */
    private record SerialForm(boolean trusting, boolean extendsDefaults, List<String> patterns) implements Serializable {
        SerialForm {
            patterns = new ArrayList<>(patterns); // an ArrayList: a plain class to deserialize
        }

        private Object readResolve() {
            if (trusting) {
                ClassLoader context = Thread.currentThread().getContextClassLoader();
                return MessageCodec.trusting(context != null ? context : MessageCodec.class.getClassLoader());
            }
            return extendsDefaults ? defaults().allowing(patterns.toArray(String[]::new))
                    : allowOnly(patterns.toArray(String[]::new));
        }
    }

    @Override
    public String toString() {
        return allowList == null ? "MessageCodec[trusting " + loader + "]" : "MessageCodec" + allowList;
    }
}
