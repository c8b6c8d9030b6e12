package dev.workbook.process;

import java.io.Externalizable;
import java.io.Serializable;
import java.lang.invoke.MethodHandleInfo;
import java.lang.invoke.SerializedLambda;
import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import java.util.Collections;

/**
 * Finds which value makes an object graph unserializable, and the path to it, for error messages.
 * {@link java.io.NotSerializableException} names only the class; a user needs to know which captured
 * variable or field holds it.
 *
 * <p>Walks what Java serialization would write: the captured values of serializable lambdas (through
 * their {@link SerializedLambda}), the non-transient instance fields of serializable classes, array
 * elements, and the elements, keys and values of collections and maps (whose custom serialization
 * writes them). Fields of JDK classes that are not open to reflection are taken on trust. Only run
 * after serialization has failed, so its cost does not matter.
 */
final class SerializabilityProbe {

    /** Where the walk stops: deeper graphs are rare in targets, and the message would be unreadable. */
    private static final int MAX_DEPTH = 64;
    private static final int MAX_ELEMENTS = 100_000;

    /**
     * What was found.
     *
     * @param path           from the root to the offending value
     * @param offendingClass the class of the offending value
     * @param problem        why it cannot be serialized, as the end of a sentence
     */
    record Finding(String path, Class<?> offendingClass, String problem) {
    }

    private final Set<Object> visited = Collections.newSetFromMap(new IdentityHashMap<>());

    private SerializabilityProbe() {
    }

    /** The first unserializable value reachable from {@code root}, or null if none is found. */
    static Finding find(Object root, String rootLabel) {
        return new SerializabilityProbe().visit(root, rootLabel, 0);
    }

    private Finding visit(Object value, String path, int depth) {
        if (value == null || depth > MAX_DEPTH || !visited.add(value)) {
            return null;
        }
        Class<?> type = value.getClass();
        if (value instanceof String || value instanceof Number || value instanceof Boolean
                || value instanceof Character || value instanceof Enum<?> || value instanceof Class<?>) {
            return null;
        }
        if (isLambda(type)) {
            return visitLambda(value, type, path, depth);
        }
        if (!(value instanceof Serializable)) {
            return new Finding(path, type, "is a " + type.getName() + ", which is not Serializable");
        }
        if (type.isArray()) {
            if (type.getComponentType().isPrimitive()) {
                return null;
            }
            int length = Math.min(Array.getLength(value), MAX_ELEMENTS);
            for (int i = 0; i < length; i++) {
                Finding found = visit(Array.get(value, i), path + "[" + i + "]", depth + 1);
                if (found != null) {
                    return found;
                }
            }
            return null;
        }
        if (value instanceof Collection<?> collection) {
            int index = 0;
            for (Object element : collection) {
                if (index >= MAX_ELEMENTS) {
                    break;
                }
                Finding found = visit(element, path + " → element #" + index, depth + 1);
                if (found != null) {
                    return found;
                }
                index++;
            }
            return null;
        }
        if (value instanceof Map<?, ?> map) {
            int index = 0;
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                if (index++ >= MAX_ELEMENTS) {
                    break;
                }
                Finding found = visit(entry.getKey(), path + " → key " + shortly(entry.getKey()), depth + 1);
                if (found == null) {
                    found = visit(entry.getValue(), path + " → value for key " + shortly(entry.getKey()), depth + 1);
                }
                if (found != null) {
                    return found;
                }
            }
            return null;
        }
        if (value instanceof Externalizable) {
            return null; // writes what it chooses
        }
        for (Class<?> level = type; level != null && Serializable.class.isAssignableFrom(level); level = level.getSuperclass()) {
            for (Field field : level.getDeclaredFields()) {
                int modifiers = field.getModifiers();
                if (Modifier.isStatic(modifiers) || Modifier.isTransient(modifiers) || field.getType().isPrimitive()) {
                    continue;
                }
                Object fieldValue;
                try {
                    field.setAccessible(true);
                    fieldValue = field.get(value);
                } catch (RuntimeException | IllegalAccessException e) {
                    break; // a JDK class closed to reflection: trust it
                }
                Finding found = visit(fieldValue,
                        path + " → field '" + field.getName() + "' of " + level.getName(), depth + 1);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    private Finding visitLambda(Object lambda, Class<?> type, String path, int depth) {
        if (!(lambda instanceof Serializable)) {
            StringBuilder interfaces = new StringBuilder();
            for (Class<?> implemented : type.getInterfaces()) {
                interfaces.append(interfaces.length() == 0 ? "" : ", ").append(implemented.getName());
            }
            return new Finding(path, type, "is a lambda or method reference of type " + interfaces
                    + ", which is not Serializable: give it a serializable type such as SerializableRunnable");
        }
        SerializedLambda form;
        try {
            Method writeReplace = type.getDeclaredMethod("writeReplace");
            writeReplace.setAccessible(true);
            form = (SerializedLambda) writeReplace.invoke(lambda);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
        String where = describe(form);
        boolean hasReceiver = form.getImplMethodKind() == MethodHandleInfo.REF_invokeSpecial
                || form.getImplMethodKind() == MethodHandleInfo.REF_invokeVirtual
                || form.getImplMethodKind() == MethodHandleInfo.REF_invokeInterface;
        boolean isLambdaBody = form.getImplMethodName().startsWith("lambda$");
        int variable = 1;
        for (int i = 0; i < form.getCapturedArgCount(); i++) {
            Object captured = form.getCapturedArg(i);
            String label;
            if (i == 0 && hasReceiver) {
                label = isLambdaBody ? "its enclosing instance (this)" : "its bound receiver";
            } else {
                label = "captured variable #" + variable++;
            }
            String typeName = captured == null ? "null" : captured.getClass().getName();
            Finding found = visit(captured, path + " (" + where + ") → " + label + " (" + typeName + ")", depth + 1);
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    /** "lambda in Main.main" or "method reference Main::work". */
    private static String describe(SerializedLambda form) {
        String owner = form.getImplClass().replace('/', '.');
        owner = owner.substring(owner.lastIndexOf('.') + 1);
        String method = form.getImplMethodName();
        if (method.startsWith("lambda$")) {
            String[] parts = method.split("\\$");
            return "lambda in " + owner + (parts.length > 1 && !parts[1].isEmpty() ? "." + parts[1] : "");
        }
        return "method reference " + owner + "::" + method;
    }

    static boolean isLambda(Class<?> type) {
        return type.isSynthetic() && type.getName().contains("$$Lambda");
    }

    private static String shortly(Object key) {
        String text = String.valueOf(key);
        return text.length() <= 40 ? "'" + text + "'" : "'" + text.substring(0, 37) + "...'";
    }
}
