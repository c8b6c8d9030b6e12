package dev.workbook.process;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.NotSerializableException;
import java.io.ObjectOutputStream;
import java.lang.invoke.SerializedLambda;
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
 * too, so a cell's variables reach the child by value, as its captured variables do. Only the
 * variables read by code the target can run count: the methods of the classes written, the bodies of
 * the lambdas written, and what they call, transitively, within the shipped classes.
 *
 * <p>Not thread-safe: one packer per object sent.
 */
final class Packer {

    private static final String JSHELL_WRAPPER_PREFIX = "REPL.$JShell$";

    private final String what;
    private final Set<Class<?>> written = new LinkedHashSet<>();
    private final List<SerializedLambda> lambdas = new ArrayList<>();

    /**
     * An object packed for a child: its serialized bytes, the class path the child has (or is to be
     * launched with), and the classes the object needs that this class path lacks.
     */
    record Packed(byte[] bytes, ClassBundle bundle, ChildClassPath classPath) {
    }

    /**
     * Packs {@code object} for a running child JVM that has this class path.
     *
     * @param what what is being sent, for messages: "a task for ProcessPool-1"
     * @throws NotSerializableTargetException if it cannot be serialized or its classes cannot be shipped
     */
    static Packed pack(String what, Object object, ChildClassPath classPath) {
        Packer packer = new Packer(what);
        byte[] bytes = packer.serialize(object);
        return new Packed(bytes, packer.bundle(classPath), classPath);
    }

    /**
     * Packs {@code object} for a child JVM yet to be launched, with the class path it needs: the
     * parent's, plus the jars and directories of every loader that defined a class written and of
     * {@code object}'s own class (a notebook's {@code %jars} are in JShell's loader only).
     *
     * @param what what is being sent, for messages: "the target of Process-1"
     * @throws NotSerializableTargetException if it cannot be serialized or its classes cannot be shipped
     */
    static Packed packForNewChild(String what, Object object) {
        Packer packer = new Packer(what);
        byte[] bytes = packer.serialize(object);
        Set<ClassLoader> loaders = new HashSet<>(packer.loaders());
        loaders.add(object.getClass().getClassLoader());
        ChildClassPath classPath = ChildClassPath.forLoaders(loaders);
        return new Packed(bytes, packer.bundle(classPath), classPath);
    }

    /**
     * Whether every instance of {@code type} serializes to the same bytes and behaves the same, so
     * that one deserialized copy may serve every call: a lambda (a hidden class) with no captured
     * values (no instance fields). What such a lambda reads from elsewhere it reads when it runs,
     * except JShell variables, which travel in its bundle (see {@link ClassBundle#carriesValues}).
     */
    static boolean isStateless(Class<?> type) {
        if (!type.isHidden() || !type.isSynthetic() || type.getSuperclass() != Object.class) {
            return false;
        }
        for (Field field : type.getDeclaredFields()) {
            if (!Modifier.isStatic(field.getModifiers())) {
                return false;
            }
        }
        return true;
    }

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

    /**
     * The classes, written so far, that a child with this class path cannot load, with the classes
     * they refer to and the JShell variables the sent code reads.
     *
     * @throws NotSerializableTargetException if such a class's bytes cannot be read, or if the code
     *                                        reads a JShell variable whose value cannot be serialized
     */
    ClassBundle bundle(ChildClassPath classPath) {
        Map<String, byte[]> shipped = new LinkedHashMap<>();
        Map<String, ClassLoader> loaderOf = new LinkedHashMap<>();
        Map<String, ClassFileReferences> parsed = new LinkedHashMap<>();
        List<ClassBundle.StaticValue> statics = new ArrayList<>();
        Set<Class<?>> examined = new HashSet<>();
        Set<String> visitedMethods = new HashSet<>();
        Set<String> variablesDone = new HashSet<>();
        Deque<String> pendingMethods = new ArrayDeque<>();
        int lambdasSeen = 0;
        boolean progress = true;
        while (progress) {
            progress = false;
            // 1. Classes written that the child cannot load, and what they refer to, from the same loader.
            Deque<String> pendingClasses = new ArrayDeque<>();
            for (Class<?> type : List.copyOf(written)) {
                Class<?> element = type;
                while (element.isArray()) {
                    element = element.getComponentType();
                }
                if (!examined.add(element) || element.isPrimitive() || classPath.canLoad(element)
                        || loaderOf.containsKey(element.getName())) {
                    continue;
                }
                if (classBytes(element.getClassLoader(), element.getName()) == null) {
                    String message = "Cannot send " + what + ": it needs class " + element.getName()
                            + ", which the child JVM cannot load from its class path, and whose loader ("
                            + element.getClassLoader() + ") does not serve its class file. Put the class in a jar"
                            + " or directory on the class path.";
                    throw new NotSerializableTargetException(message, element.getName(), what, null);
                }
                pendingClasses.add(element.getName());
                loaderOf.put(element.getName(), element.getClassLoader());
            }
            while (!pendingClasses.isEmpty()) {
                String name = pendingClasses.poll();
                ClassLoader loader = loaderOf.get(name);
                byte[] bytes = classBytes(loader, name);
                if (bytes == null) {
                    loaderOf.remove(name);
                    continue; // a name inside a descriptor that no loader knows
                }
                ClassFileReferences references;
                try {
                    references = ClassFileReferences.parse(bytes);
                } catch (IOException | RuntimeException e) {
                    throw new NotSerializableTargetException("Cannot send " + what + ": the class file of " + name
                            + " is unreadable (" + e + ")", name, what, e);
                }
                shipped.put(name, bytes);
                parsed.put(name, references);
                progress = true;
                if (!isJShellWrapper(name)) {
                    // Any method of a class with instances may run: its code counts as reachable.
                    for (String method : references.methods().keySet()) {
                        pendingMethods.add(name.replace('.', '/') + "." + method.replaceFirst("\\(", " ("));
                    }
                }
                for (String internalName : references.classNames()) {
                    String binaryName = internalName.replace('/', '.');
                    if (isPlatformName(internalName) || loaderOf.containsKey(binaryName)) {
                        continue;
                    }
                    if (!classPath.canLoad(internalName + ".class") && classBytes(loader, binaryName) != null) {
                        pendingClasses.add(binaryName);
                        loaderOf.put(binaryName, loader);
                    }
                }
            }
            // 2. The bodies of the lambdas written are reachable.
            for (; lambdasSeen < lambdas.size(); lambdasSeen++) {
                SerializedLambda lambda = lambdas.get(lambdasSeen);
                pendingMethods.add(lambda.getImplClass() + "." + lambda.getImplMethodName() + " " + lambda.getImplMethodSignature());
            }
            // 3. Follow calls through shipped code; collect the JShell variables it reads.
            while (!pendingMethods.isEmpty()) {
                String method = pendingMethods.poll();
                if (!visitedMethods.add(method)) {
                    continue;
                }
                int dot = method.lastIndexOf('.', method.indexOf(' '));
                String owner = method.substring(0, dot).replace('/', '.');
                ClassFileReferences references = parsed.get(owner);
                if (references == null) {
                    continue; // code on the child's class path cannot read a JShell variable
                }
                ClassFileReferences.MethodReferences body = references.methods().get(method.substring(dot + 1).replace(" ", ""));
                if (body == null) {
                    continue; // inherited: its declaring class is visited through its own methods
                }
                pendingMethods.addAll(body.calls());
                for (String read : body.staticReads()) {
                    int at = read.lastIndexOf('.');
                    String variableOwner = read.substring(0, at).replace('/', '.');
                    if (isJShellWrapper(variableOwner) && shipped.containsKey(variableOwner) && variablesDone.add(read)) {
                        ClassBundle.StaticValue value = jshellVariable(variableOwner, read.substring(at + 1), loaderOf.get(variableOwner));
                        if (value != null) {
                            statics.add(value);
                            progress = true; // its value may have brought new classes and lambdas
                        }
                    }
                }
            }
        }
        if (shipped.isEmpty()) {
            return ClassBundle.EMPTY;
        }
        return new ClassBundle(key(shipped, statics), shipped, statics);
    }

    /** The top-level class JShell wraps each snippet in; its static fields are the session's variables. */
    private static boolean isJShellWrapper(String binaryName) {
        return binaryName.startsWith(JSHELL_WRAPPER_PREFIX) && binaryName.indexOf('$', JSHELL_WRAPPER_PREFIX.length()) < 0;
    }

    /**
     * A JShell variable the sent code reads, serialized; null if the field is not a variable.
     *
     * @throws NotSerializableTargetException if its value cannot be serialized
     */
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
            SerializabilityProbe.Finding finding = SerializabilityProbe.find(value, "JShell variable '" + fieldName + "'");
            String offending = finding != null ? finding.offendingClass().getName() : value.getClass().getName();
            String path = finding != null ? finding.path() : "JShell variable '" + fieldName + "'";
            String problem = finding != null ? finding.problem() : "cannot be serialized (" + e + ")";
            throw new NotSerializableTargetException("Cannot send " + what + " to another JVM: it reads JShell variable '"
                    + fieldName + "', and " + path + " " + problem + ". A child JVM gets a copy of the variables its code reads:"
                    + " read only serializable ones, or copy what the child needs into a local variable it captures.",
                    offending, path, e);
        }
    }

    private byte[] write(Object root) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(512);
        try (ObjectOutputStream out = new ObjectOutputStream(bytes) {
            {
                enableReplaceObject(true); // to see the SerializedLambda of each lambda written
            }

            @Override
            protected Object replaceObject(Object object) {
                if (object instanceof SerializedLambda lambda) {
                    lambdas.add(lambda);
                }
                return object;
            }

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
