package dev.workbook.process;

import dev.workbook.codec.MessageCodec;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Classes a child JVM cannot load from its class path, shipped as bytes with the object that needs
 * them, plus the values of the JShell variables those classes read.
 *
 * <p>In a notebook the kernel's JShell compiles each cell into classes that exist only in its own
 * class loader's memory; a target defined in a cell refers to them. The parent reads their bytes
 * (JShell's loader serves them as resources), and the child defines them in a
 * {@link ShippedClassLoader} before deserializing the target.
 *
 * <p>A bundle is immutable. Its {@link #key()} identifies its content, so a pool worker defines the
 * classes of a bundle once and reuses the loader for later calls with the same key.
 */
final class ClassBundle {

    static final ClassBundle EMPTY = new ClassBundle("", Map.of(), List.of());

    /** A JShell variable's value: a static field of a snippet class, serialized on its own. */
    record StaticValue(String className, String fieldName, byte[] value) {
    }

    private final String key;
    private final Map<String, byte[]> classes;
    private final List<StaticValue> statics;

    /**
     * @param key     identifies the content; empty exactly when there is nothing to ship
     * @param classes binary class name to class file bytes
     * @param statics values to set after the classes are defined
     */
    ClassBundle(String key, Map<String, byte[]> classes, List<StaticValue> statics) {
        this.key = key;
        this.classes = Collections.unmodifiableMap(new LinkedHashMap<>(classes));
        this.statics = List.copyOf(statics);
    }

    String key() {
        return key;
    }

    boolean isEmpty() {
        return classes.isEmpty() && statics.isEmpty();
    }

    /** Whether it carries values (JShell variables read at packing time), not only code. */
    boolean carriesValues() {
        return !statics.isEmpty();
    }

    Map<String, byte[]> classes() {
        return classes;
    }

    List<StaticValue> statics() {
        return statics;
    }

    void write(DataOutputStream out) throws IOException {
        out.writeUTF(key);
        out.writeInt(classes.size());
        for (Map.Entry<String, byte[]> entry : classes.entrySet()) {
            out.writeUTF(entry.getKey());
            out.writeInt(entry.getValue().length);
            out.write(entry.getValue());
        }
        out.writeInt(statics.size());
        for (StaticValue value : statics) {
            out.writeUTF(value.className());
            out.writeUTF(value.fieldName());
            out.writeInt(value.value().length);
            out.write(value.value());
        }
    }

    /**
     * Reads what {@link #write} wrote. The bytes come from the trusted parent, but a frame damaged on
     * the way fails here with an {@link IOException} that says what was wrong (a negative count or
     * length, a frame cut short), never an unchecked exception; nothing is allocated ahead of the
     * bytes that really arrived.
     *
     * @throws IOException if the bundle is damaged or cut short
     */
    static ClassBundle read(DataInputStream in) throws IOException {
        String key = in.readUTF();
        int classCount = count(in, "classes");
        Map<String, byte[]> classes = new LinkedHashMap<>();
        for (int i = 0; i < classCount; i++) {
            String name = in.readUTF();
            classes.put(name, LengthPrefixed.read(in, "a class bundle", "class " + name));
        }
        int staticCount = count(in, "variables");
        List<StaticValue> statics = new ArrayList<>(); // not sized by the count: it has not been checked against the bytes
        for (int i = 0; i < staticCount; i++) {
            String className = in.readUTF();
            String fieldName = in.readUTF();
            statics.add(new StaticValue(className, fieldName, LengthPrefixed.read(in, "a class bundle", "variable " + className + "." + fieldName)));
        }
        return key.isEmpty() && classes.isEmpty() && statics.isEmpty() ? EMPTY : new ClassBundle(key, classes, statics);
    }

    private static int count(DataInputStream in, String what) throws IOException {
        int count = in.readInt();
        if (count < 0) {
            throw new IOException("a class bundle announces " + count + " " + what + ": the frame is damaged");
        }
        return count;
    }

    /**
     * Defines the classes in a new loader under {@code parent} and sets the shipped JShell variables.
     * Returns {@code parent} itself when there is nothing to ship.
     *
     * @throws ReflectiveOperationException if a variable cannot be set
     * @throws IOException                  if a variable's value cannot be deserialized
     */
    ClassLoader install(ClassLoader parent) throws IOException, ReflectiveOperationException {
        if (isEmpty()) {
            return parent;
        }
        ClassLoader loader = new ShippedClassLoader(classes, parent);
        for (StaticValue value : statics) {
            Class<?> owner = Class.forName(value.className(), false, loader);
            Field field = owner.getDeclaredField(value.fieldName());
            if (Modifier.isFinal(field.getModifiers())) {
                continue; // set by the class's own initializer
            }
            field.setAccessible(true);
            field.set(null, MessageCodec.trusting(loader).deserialize(value.value()));
        }
        return loader;
    }

    /**
     * Defines shipped classes on demand, parent first: a class the child can load from its class path
     * is never redefined. Also serves the bytes back, so that a child can ship the same classes on to
     * a grandchild.
     */
    static final class ShippedClassLoader extends ClassLoader {

        static {
            registerAsParallelCapable();
        }

        private final Map<String, byte[]> classes;

        ShippedClassLoader(Map<String, byte[]> classes, ClassLoader parent) {
            super("workbook-shipped", parent);
            this.classes = classes;
        }

        @Override
        protected Class<?> findClass(String name) throws ClassNotFoundException {
            byte[] bytes = classes.get(name);
            if (bytes == null) {
                throw new ClassNotFoundException(name);
            }
            return defineClass(name, bytes, 0, bytes.length);
        }

        /** The class file of a shipped class, by binary name, or null. */
        byte[] classBytes(String binaryName) {
            return classes.get(binaryName);
        }
    }
}
