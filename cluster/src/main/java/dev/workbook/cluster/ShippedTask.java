package dev.workbook.cluster;

import dev.workbook.codec.MessageCodec;
import dev.workbook.process.PortableCode;
import dev.workbook.process.SerializableCallable;
import dev.workbook.process.SerializableFunction;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * One call of a {@link ClusterPool} as it travels to a member: the code (a callable, or the function of
 * a map call) and, for a map, the chunk's items, both packed with the classes the member lacks. This
 * class is on every member's class path; what it carries need not be.
 *
 * <p>It never throws: the result or the failure travels back as bytes, the first byte saying which, so
 * that the pool tells a task that failed (final) from a member that failed (the task runs again
 * elsewhere), and so that the caller decodes them through the loader of its own classes.
 */
final class ShippedTask implements Callable<byte[]>, Serializable {

    private static final long serialVersionUID = 1L;
    static final byte RETURNED = 0;
    static final byte THREW = 1;

    private final PortableCode code;
    private final PortableCode items;

    /** @param items the chunk's items (a list) for a map call, or null when {@code code} is a callable */
    ShippedTask(PortableCode code, PortableCode items) {
        this.code = code;
        this.items = items;
    }

    @Override
    public byte[] call() {
        ClassLoader base = ShippedTask.class.getClassLoader();
        Thread thread = Thread.currentThread();
        ClassLoader saved = thread.getContextClassLoader();
        try {
            ClassLoader loader = code.classLoader(base);
            thread.setContextClassLoader(loader);
            Object target = code.unpack(base);
            Object result;
            if (items == null) {
                result = ((SerializableCallable<?>) target).call();
            } else {
                @SuppressWarnings("unchecked")
                SerializableFunction<Object, Object> function = (SerializableFunction<Object, Object>) target;
                List<?> inputs = (List<?>) items.unpack(loader);
                List<Object> outputs = new ArrayList<>(inputs.size());
                for (Object input : inputs) {
                    outputs.add(function.apply(input));
                }
                result = outputs;
            }
            byte[] encoded = MessageCodec.trusting(loader).encode(result);
            byte[] reply = new byte[encoded.length + 1];
            reply[0] = RETURNED;
            System.arraycopy(encoded, 0, reply, 1, encoded.length);
            return reply;
        } catch (Throwable failure) {
            byte[] encoded = PortableCode.encodeFailure(failure);
            byte[] reply = new byte[encoded.length + 1];
            reply[0] = THREW;
            System.arraycopy(encoded, 0, reply, 1, encoded.length);
            return reply;
        } finally {
            thread.setContextClassLoader(saved);
        }
    }
}
