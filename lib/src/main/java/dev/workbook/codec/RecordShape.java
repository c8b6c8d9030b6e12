package dev.workbook.codec;

import java.io.Serializable;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;

/**
 * How {@link MessageCodec} writes a record's components and rebuilds it through its canonical
 * constructor, worked out once per class ({@link #of}) and kept with the class: getters of the
 * components' fields (read as serialization reads them, whatever an accessor returns) and the
 * constructor as method handles, the class name's UTF-8 bytes, and each component's type.
 *
 * <p>A record gets a shape only if Java serialization would rebuild it the same way: it is
 * {@link Serializable} (the codec sends nothing that serialization would refuse), it declares no
 * {@code writeReplace} or {@code readResolve} (serialization honours both for records, so such a
 * record keeps travelling by serialization), and its fields and constructor can be reached. For any
 * other record {@link #of} says why not, and the codec falls back to Java serialization.
 *
 * <p>Immutable and thread-safe.
 */
final class RecordShape {

    private static final ClassValue<RecordShape> SHAPES = new ClassValue<>() {
        @Override
        protected RecordShape computeValue(Class<?> type) {
            return new RecordShape(type);
        }
    };

    final Class<?> type;
    /** The UTF-8 bytes of the class's name, as a RECORD value starts with them. */
    final byte[] nameBytes;
    /** Why the codec cannot write this record's components itself, or null if it can. */
    final String ineligible;
    /** Per component: {@code (Object record) -> Object value}, reading the component's field. */
    private final MethodHandle[] fields;
    /** Per component: the class a value must be an instance of (boxed for a primitive). */
    private final Class<?>[] valueTypes;
    private final boolean[] primitive;
    private final String[] componentNames;
    /** {@code (Object[] values) -> Object record}. */
    private final MethodHandle constructor;

    private RecordShape(Class<?> type) {
        this.type = type;
        this.nameBytes = type.getName().getBytes(StandardCharsets.UTF_8);
        String why = null;
        MethodHandle[] handles = null;
        Class<?>[] types = null;
        boolean[] primitives = null;
        String[] names = null;
        MethodHandle canonical = null;
        if (!type.isRecord()) {
            why = type.getName() + " is not a record";
        } else if (!Serializable.class.isAssignableFrom(type)) {
            why = type.getName() + " is not Serializable";
        } else if (declares(type, "writeReplace") || declares(type, "readResolve")) {
            why = type.getName() + " declares writeReplace or readResolve, which Java serialization honours";
        } else {
            try {
                RecordComponent[] components = type.getRecordComponents();
                int n = components.length;
                handles = new MethodHandle[n];
                types = new Class<?>[n];
                primitives = new boolean[n];
                names = new String[n];
                Class<?>[] declared = new Class<?>[n];
                MethodHandles.Lookup lookup = MethodHandles.lookup();
                for (int i = 0; i < n; i++) {
                    // The field, not the accessor: serialization writes the fields, whatever an accessor returns.
                    Field field = type.getDeclaredField(components[i].getName());
                    field.setAccessible(true);
                    handles[i] = lookup.unreflectGetter(field).asType(MethodType.methodType(Object.class, Object.class));
                    declared[i] = components[i].getType();
                    primitives[i] = declared[i].isPrimitive();
                    types[i] = primitives[i] ? MethodType.methodType(declared[i]).wrap().returnType() : declared[i];
                    names[i] = components[i].getName();
                }
                Constructor<?> constructor = type.getDeclaredConstructor(declared);
                constructor.setAccessible(true);
                canonical = lookup.unreflectConstructor(constructor)
                        .asType(MethodType.genericMethodType(n).changeReturnType(Object.class))
                        .asSpreader(Object[].class, n);
            } catch (ReflectiveOperationException | RuntimeException e) {
                // InaccessibleObjectException: a record of a named module that does not open its package
                why = "the fields or canonical constructor of " + type.getName() + " cannot be reached (" + e + ")";
                handles = null;
            }
        }
        this.ineligible = why;
        this.fields = why == null ? handles : null;
        this.valueTypes = types;
        this.primitive = primitives;
        this.componentNames = names;
        this.constructor = why == null ? canonical : null;
    }

    private static boolean declares(Class<?> type, String method) {
        try {
            type.getDeclaredMethod(method);
            return true;
        } catch (NoSuchMethodException e) {
            return false;
        }
    }

    /** The shape of a class (computed once per class); see {@link #ineligible} before using it. */
    static RecordShape of(Class<?> type) {
        return SHAPES.get(type);
    }

    int components() {
        return fields.length;
    }

    /** The value of component {@code i} of {@code record}, boxed. */
    Object component(Object record, int i) {
        try {
            return fields[i].invokeExact(record);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("reading " + componentNames[i] + " threw " + e, e);
        }
    }

    /**
     * Why {@code value} cannot be component {@code i}, or null if it can: the check made before the
     * constructor sees it, so that a wrong type is a decoding error and not a ClassCastException.
     */
    String mismatch(int i, Object value) {
        if (value == null) {
            return primitive[i] ? "component " + componentNames[i] + " of " + type.getName() + " is a "
                    + valueTypes[i].getSimpleName() + ", but the message has null" : null;
        }
        return valueTypes[i].isInstance(value) ? null : "component " + componentNames[i] + " of " + type.getName()
                + " is a " + valueTypes[i].getName() + ", but the message has a " + value.getClass().getName();
    }

    /**
     * Calls the canonical constructor.
     *
     * @throws MessageDecodingException if it throws (a record whose constructor validates its
     *                                  components refuses what it was sent)
     */
    Object construct(Object[] values) {
        try {
            return constructor.invokeExact(values);
        } catch (VirtualMachineError e) {
            if (e instanceof StackOverflowError) {
                throw new MessageDecodingException("the canonical constructor of " + type.getName() + " overflowed the stack", e);
            }
            throw e;
        } catch (Throwable e) {
            throw new MessageDecodingException("the canonical constructor of " + type.getName() + " refused the"
                    + " message's components: " + e, e);
        }
    }
}
