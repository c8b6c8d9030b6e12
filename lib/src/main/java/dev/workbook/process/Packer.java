package dev.workbook.process;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.NotSerializableException;
import java.io.ObjectOutputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Prepares an object to travel to a child JVM: serializes it, and works out which of the classes it
 * needs the child cannot load from its class path, so that their bytes travel with it.
 *
 * <p>Use: {@link #serialize} the object(s), then ask for the {@link #bundle} for the child's class
 * path. Serialization records every class written; each one the child cannot load is shipped
 * together with every class its constant pool refers to that comes from the same loader and is not
 * on the child's class path either (a JShell snippet class calls methods of earlier snippets). For
 * JShell snippet classes, the static fields they read (JShell's top-level variables) are serialized
 * too, so a cell's variables reach the child by value, as its captured variables do.
 *
 * <p>Not thread-safe: one packer per object sent.
 */
final class Packer {

    private static final String JSHELL_WRAPPER_PREFIX = "REPL.$JShell$";

    private final String what;
    private final Set<Class<?>> written = new LinkedHashSet<>();
    private final List<String> warnings = new ArrayList<>();

    /** @param what what is being sent, for messages: "the target of Process-1" */
    Packer(String what) {
        this.what = what;
    }

    /**
     * Serializes one object, recording its classes.
     *
     * @throws NotSerializableTargetException naming the path to the value that cannot be serialized
     */
    byte[] serialize(Object root) {
        try {
            return write(root);
        } catch (IOException e) {
            throw notSerializable(root, e);
        }
    }

    /** Every class loader that defined a class written so far; the child's class path must cover them. */
    Set<ClassLoader> loaders() {
        Set<ClassLoader> loaders = new LinkedHashSet<>();
        for (Class<?> type : written) {
            if (type.getClassLoader() != null) {
                loaders.add(type.getClassLoader());
            }
        }
        return loaders;
    }

    /** Problems that did not stop the packing, such as a JShell variable that stays behind. */
    List<String> warnings() {
        return warnings;
    }

    /**
     * The classes, written so far, that a child with this class path cannot load, with the classes
     * they refer to and the JShell variables they read.
     *
     * @throws NotSerializableTargetException if such a class's bytes cannot be read
     */
    ClassBundle bundle(ChildClassPath classPath) {
        Map<String, byte[]> shipped = new LinkedHashMap<>();
        Map<String, ClassLoader> shippedLoaders = new LinkedHashMap<>();
        List<ClassBundle.StaticValue> statics = new ArrayList<>();
        Set<String> staticsDone = new HashSet<>();
        Set<Class<?>> examined = new HashSet<>();
        Deque<String> pendingNames = new ArrayDeque<>();
        Map<String, ClassLoader> pendingLoaders = new LinkedHashMap<>();
        Set<String> fieldRefs = new LinkedHashSet<>();
        boolean progress = true;
        while (progress) {
            progress = false;
            for (Class<?> type : List.copyOf(written)) {
                Class<?> element = type;
                while (element.isArray()) {
                    element = element.getComponentType();
                }
                if (!examined.add(element) || element.isPrimitive() || classPath.canLoad(element)) {
                    continue;
                }
                if (!shipped.containsKey(element.getName()) && !pendingLoaders.containsKey(element.getName())) {
                    byte[] bytes = classBytes(element.getClassLoader(), element.getName());
                    if (bytes == null) {
                        String message = "Cannot send " + what + ": it needs class " + element.getName()
                                + ", which the child JVM cannot load from its class path, and whose loader ("
                                + element.getClassLoader() + ") does not serve its class file. Put the class in a jar"
                                + " or directory on the class path.";
                        throw new NotSerializableTargetException(message, element.getName(), what, null);
                    }
                    pendingNames.add(element.getName());
                    pendingLoaders.put(element.getName(), element.getClassLoader());
                }
            }
            while (!pendingNames.isEmpty()) {
                String name = pendingNames.poll();
                ClassLoader loader = pendingLoaders.get(name);
                byte[] bytes = classBytes(loader, name);
                if (bytes == null) {
                    continue; // a name inside a descriptor that no loader knows
                }
                shipped.put(name, bytes);
                shippedLoaders.put(name, loader);
                progress = true;
                ClassFileReferences references;
                try {
                    references = ClassFileReferences.parse(bytes);
                } catch (IOException e) {
                    throw new NotSerializableTargetException("Cannot send " + what + ": the class file of " + name
                            + " is unreadable (" + e.getMessage() + ")", name, what, e);
                }
                fieldRefs.addAll(references.fields());
                for (String internalName : references.classNames()) {
                    String binaryName = internalName.replace('/', '.');
                    if (isPlatformName(internalName) || shipped.containsKey(binaryName)
                            || pendingLoaders.containsKey(binaryName)) {
                        continue;
                    }
                    String resource = internalName + ".class";
                    if (!classPath.canLoad(resource) && classBytes(loader, binaryName) != null) {
                        pendingNames.add(binaryName);
                        pendingLoaders.put(binaryName, loader);
                    }
                }
            }
            for (String ref : fieldRefs) {
                int dot = ref.lastIndexOf('.');
                String owner = ref.substring(0, dot).replace('/', '.');
                if (!owner.startsWith(JSHELL_WRAPPER_PREFIX) || owner.indexOf('$', JSHELL_WRAPPER_PREFIX.length()) >= 0
                        || !shipped.containsKey(owner) || !staticsDone.add(ref)) {
                    continue;
                }
                ClassBundle.StaticValue value = jshellVariable(owner, ref.substring(dot + 1), shippedLoaders.get(owner));
                if (value != null) {
                    statics.add(value);
                    progress = true; // its value may have brought new classes
                }
            }
        }
        if (shipped.isEmpty() && statics.isEmpty()) {
            return ClassBundle.EMPTY;
        }
        return new ClassBundle(key(shipped, statics), shipped, statics);
    }

    /** A JShell top-level variable, serialized; null if it is not one, or cannot travel (with a warning). */
    private ClassBundle.StaticValue jshellVariable(String owner, String fieldName, ClassLoader loader) {
        Field field;
        try {
            field = Class.forName(owner, false, loader).getDeclaredField(fieldName);
        } catch (ReflectiveOperationException | LinkageError e) {
            return null;
        }
        int modifiers = field.getModifiers();
        if (!Modifier.isStatic(modifiers) || Modifier.isFinal(modifiers)) {
            return null;
        }
        Object value;
        try {
            field.setAccessible(true);
            value = field.get(null);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
        try {
            return new ClassBundle.StaticValue(owner, fieldName, write(value));
        } catch (IOException e) {
            warnings.add("JShell variable '" + fieldName + "' (" + value.getClass().getName() + ") is not serializable:"
                    + " it is null in the child JVM. Pass what the child needs as a captured value instead.");
            return null;
        }
    }

    private byte[] write(Object root) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(512);
        try (ObjectOutputStream out = new ObjectOutputStream(bytes) {
            @Override
            protected void annotateClass(Class<?> type) {
                written.add(type);
            }

            @Override
            protected void annotateProxyClass(Class<?> type) {
                written.add(type);
                written.addAll(List.of(type.getInterfaces()));
            }
        }) {
            out.writeObject(root);
        }
        return bytes.toByteArray();
    }

    private NotSerializableTargetException notSerializable(Object root, IOException e) {
        SerializabilityProbe.Finding finding = SerializabilityProbe.find(root, "target");
        String offending = finding != null ? finding.offendingClass().getName()
                : e instanceof NotSerializableException ? e.getMessage() : "?";
        String path = finding != null ? finding.path() : "target";
        StringBuilder message = new StringBuilder("Cannot send ").append(what)
                .append(" to another JVM: it is not serializable. ");
        if (finding != null) {
            message.append(finding.path()).append(' ').append(finding.problem()).append(". ");
        } else {
            message.append(e).append(". ");
        }
        message.append("A child JVM gets a copy of everything the target captures: capture only serializable values"
                + " (the data the child needs), make the class implement java.io.Serializable, or mark the field transient.");
        return new NotSerializableTargetException(message.toString(), offending, path, e);
    }

    /** Classes of the JDK: every JVM loads them itself. */
    private static boolean isPlatformName(String internalName) {
        return internalName.startsWith("java/") || internalName.startsWith("javax/") || internalName.startsWith("jdk/")
                || internalName.startsWith("sun/") || internalName.startsWith("com/sun/");
    }

    /** The class file of a class as its loader serves it, or null. */
    static byte[] classBytes(ClassLoader loader, String binaryName) {
        if (loader == null) {
            return null;
        }
        if (loader instanceof ClassBundle.ShippedClassLoader shippedLoader) {
            byte[] bytes = shippedLoader.classBytes(binaryName);
            if (bytes != null) {
                return bytes;
            }
        }
        try (InputStream in = loader.getResourceAsStream(binaryName.replace('.', '/') + ".class")) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            return null;
        }
    }

    private static String key(Map<String, byte[]> classes, List<ClassBundle.StaticValue> statics) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (Map.Entry<String, byte[]> entry : classes.entrySet()) {
                digest.update(entry.getKey().getBytes(StandardCharsets.UTF_8));
                digest.update((byte) 0);
                digest.update(entry.getValue());
            }
            for (ClassBundle.StaticValue value : statics) {
                digest.update((value.className() + "." + value.fieldName()).getBytes(StandardCharsets.UTF_8));
                digest.update((byte) 0);
                digest.update(value.value());
            }
            return HexFormat.of().formatHex(digest.digest(), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }
}
