package dev.workbook.process;

import dev.workbook.codec.MessageCodec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An object packed to run in a JVM that already runs and lacks some of its classes: its serialized
 * bytes, plus the bytes of every class it needs that the receiver cannot load (the classes a notebook
 * cell compiled, which exist only in JShell's memory) and the JShell variables its code reads. This is
 * how {@link ChildProcess} and {@link ProcessPool} ship notebook code, opened to transports other than
 * this package's own pipes (the cluster module sends it to Hazelcast members).
 *
 * <p>The sender {@linkplain #pack packs}; the receiver {@linkplain #unpack unpacks} under its own class
 * loader. A receiver defines the classes of one bundle once and reuses them for every later object that
 * ships the same classes (a map's chunks, a notebook's repeated calls).
 *
 * <p><b>Trust:</b> unpacking defines the shipped classes and deserializes without any filter, so it runs
 * whatever code the sender chose. Unpack only what comes from a sender you trust, as a pool worker trusts
 * its parent.
 *
 * <p>Immutable; serializable (it travels as a plain Java object of strings and byte arrays); thread-safe.
 */
public final class PortableCode implements Serializable {

    private static final long serialVersionUID = 1L;
    /** Bundles kept defined per receiver: enough for a notebook session's live functions. */
    private static final int INSTALLED_BUNDLES = 64;
    private static final Map<Installed, ClassLoader> INSTALLED = new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<Installed, ClassLoader> eldest) {
            return size() > INSTALLED_BUNDLES;
        }
    };

    private record Installed(ClassLoader parent, String key) {
    }

    private final String what;
    private final byte[] object;
    private final byte[] classes;
    private final String bundleKey;

    private PortableCode(String what, byte[] object, byte[] classes, String bundleKey) {
        this.what = what;
        this.object = object;
        this.classes = classes;
        this.bundleKey = bundleKey;
    }

    /**
     * Packs {@code value} for receivers whose class path holds what the class loaders of
     * {@code receiverHas} hold (with this JVM's {@code java.class.path}): classes it needs from
     * anywhere else travel as bytes.
     *
     * @param what        what is sent, for messages: "a task for cluster workbook-1"
     * @param value       the object; it and what it captures must be serializable
     * @param receiverHas classes whose loaders' jars and directories the receivers also have
     * @throws NotSerializableTargetException naming the value that cannot be serialized, or the class
     *                                        that cannot be shipped
     */
    public static PortableCode pack(String what, Object value, Class<?>... receiverHas) {
        Objects.requireNonNull(what, "what");
        List<ClassLoader> loaders = new ArrayList<>();
        for (Class<?> type : receiverHas) {
            if (type.getClassLoader() != null) {
                loaders.add(type.getClassLoader());
            }
        }
        Packer.Packed packed = Packer.pack(what, value, ChildClassPath.forLoaders(loaders));
        ByteArrayOutputStream bundle = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bundle)) {
            packed.bundle().write(out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot happen: writing to memory", e);
        }
        return new PortableCode(what, packed.bytes(), bundle.toByteArray(), packed.bundle().key());
    }

    /**
     * The class path entries (absolute jars and directories) a JVM needs to load what the class loaders
     * of these classes load, with this JVM's {@code java.class.path}: what {@link #pack} assumes the
     * receivers have, for a receiver about to be launched.
     */
    public static List<String> classPathFor(Class<?>... types) {
        List<ClassLoader> loaders = new ArrayList<>();
        for (Class<?> type : types) {
            if (type.getClassLoader() != null) {
                loaders.add(type.getClassLoader());
            }
        }
        return ChildClassPath.forLoaders(loaders).entries();
    }

    /** What was packed, as given to {@link #pack}. */
    public String what() {
        return what;
    }

    /** The size of the packed object and its shipped classes, in bytes. */
    public int size() {
        return object.length + classes.length;
    }

    /**
     * The class loader that sees the shipped classes, defined under {@code parent} the first time this
     * receiver sees this set of classes and reused after; {@code parent} itself if nothing was shipped.
     *
     * @throws IllegalStateException if the shipped bytes are damaged or a shipped variable cannot be set
     */
    public ClassLoader classLoader(ClassLoader parent) {
        Objects.requireNonNull(parent, "parent");
        if (bundleKey.isEmpty()) {
            return parent;
        }
        Installed id = new Installed(parent, bundleKey);
        synchronized (INSTALLED) {
            ClassLoader loader = INSTALLED.get(id);
            if (loader == null) {
                try {
                    loader = ClassBundle.read(new DataInputStream(new ByteArrayInputStream(classes))).install(parent);
                } catch (IOException | ReflectiveOperationException | RuntimeException e) {
                    throw new IllegalStateException("cannot define the classes shipped with " + what + ": " + e, e);
                }
                INSTALLED.put(id, loader);
            }
            return loader;
        }
    }

    /**
     * The object, deserialized in this JVM through {@link #classLoader(ClassLoader) classLoader(parent)}.
     * Trusting: see the class comment.
     *
     * @throws IllegalStateException if the bytes do not deserialize here (a class neither shipped nor on
     *                               this JVM's class path, say)
     */
    public Object unpack(ClassLoader parent) {
        ClassLoader loader = classLoader(parent);
        try {
            return MessageCodec.trusting(loader).deserialize(object);
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot unpack " + what + " in this JVM: " + e.getMessage(), e);
        }
    }

    /**
     * An exception encoded to travel back to the sender: the exception itself when it serializes, and a
     * copy of its names, messages and stack trace in any case. Never fails.
     */
    public static byte[] encodeFailure(Throwable failure) {
        return Failures.encode(failure);
    }

    /**
     * What {@link #encodeFailure} wrote: the original exception if its class resolves through
     * {@code loader}, else a {@link RemoteThrowable} with the same message and stack trace.
     */
    public static Throwable decodeFailure(byte[] encoded, ClassLoader loader) {
        return Failures.decode(encoded, loader);
    }

    @Override
    public String toString() {
        return "PortableCode[" + what + ", " + size() + " bytes"
                + (bundleKey.isEmpty() ? "" : ", with classes " + bundleKey) + "]";
    }
}
