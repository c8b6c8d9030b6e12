package dev.workbook.process;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.lang.reflect.Proxy;

/** Java serialization to and from byte arrays, resolving classes through a chosen class loader. */
final class Serial {

    private Serial() {
    }

    static byte[] serialize(Object value) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        serialize(value, bytes);
        return bytes.toByteArray();
    }

    /** Writes one object to {@code bytes}, after whatever they hold already. */
    static void serialize(Object value, ByteArrayOutputStream bytes) throws IOException {
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        }
    }

    /**
     * Reads one object, loading its classes through {@code loader} (then the platform's loaders).
     *
     * @throws IOException if the bytes are corrupt or a class is missing (the cause says which)
     */
    static Object deserialize(byte[] bytes, ClassLoader loader) throws IOException {
        return deserialize(bytes, 0, loader);
    }

    /** Reads one object from {@code bytes}, starting at {@code offset}; see {@link #deserialize(byte[], ClassLoader)}. */
    static Object deserialize(byte[] bytes, int offset, ClassLoader loader) throws IOException {
        try (ObjectInputStream in = new LoaderObjectInputStream(new ByteArrayInputStream(bytes, offset, bytes.length - offset), loader)) {
            return in.readObject();
        } catch (ClassNotFoundException e) {
            throw new IOException("cannot load class " + e.getMessage() + " to deserialize a value", e);
        }
    }

    private static final class LoaderObjectInputStream extends ObjectInputStream {
        private final ClassLoader loader;

        LoaderObjectInputStream(InputStream in, ClassLoader loader) throws IOException {
            super(in);
            this.loader = loader;
        }

        @Override
        protected Class<?> resolveClass(ObjectStreamClass desc) throws IOException, ClassNotFoundException {
            try {
                return Class.forName(desc.getName(), false, loader);
            } catch (ClassNotFoundException e) {
                return super.resolveClass(desc); // primitives and the platform's classes
            }
        }

        @Override
        @SuppressWarnings("deprecation")
        protected Class<?> resolveProxyClass(String[] interfaces) throws IOException, ClassNotFoundException {
            Class<?>[] types = new Class<?>[interfaces.length];
            for (int i = 0; i < interfaces.length; i++) {
                types[i] = Class.forName(interfaces[i], false, loader);
            }
            return Proxy.getProxyClass(loader, types);
        }
    }
}
