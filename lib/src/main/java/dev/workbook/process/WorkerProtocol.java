package dev.workbook.process;

import dev.workbook.codec.MessageCodec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.NotSerializableException;
import java.util.List;

/**
 * What a parent JVM and the child JVMs of this package say to each other: for each message, the
 * side that writes it and the side that reads it, one after the other. {@link Wire} carries the
 * messages as frames; this class owns what is inside them. The conversation:
 *
 * <pre>
 *   parent                                              child ({@link ChildMain})
 *   RUN   orders: names, pids, bundle, target     -->   becomes a {@link ChildProcess}
 *                                                 <--   READY, then DONE or FAILED failure
 *   INIT  orders: names, pids, bundle, initializer --> becomes a {@link ProcessPool} worker
 *                                                 <--   READY, or FAILED failure (the initializer threw)
 *   CALL  id, call: bundle changes, then a callable,
 *         or map-function changes and items,
 *         or held-callable changes                -->   runs it
 *                                                 <--   RESULT id, value(s), or FAILED id, failure
 *   STOP                                          -->   exits with code 0
 *                                                 <--   OUTPUT bytes of System.out, at any time
 * </pre>
 *
 * <p>The parent tracks what each worker holds ({@link WorkerHoldings}) and says in each call what to
 * add and what to drop, so the worker never guesses: it defines a class bundle and deserializes a map
 * function once, and forgets them when told to.
 *
 * <p>The read side of the parent's messages runs on the child's boot path, so it uses no lambdas and
 * builds no strings except on failure (see {@link ChildMain}); the write side runs in the parent only.
 * Every method is stateless and thread-safe.
 */
final class WorkerProtocol {

    /**
     * The codec of calls' items and results. Trusting: a worker's parent is the JVM that started it, and the
     * pool reads only its own workers' replies. It encodes with any loader; decoding names its own.
     */
    static final MessageCodec CODEC = MessageCodec.trusting(WorkerProtocol.class.getClassLoader());

    /**
     * Kinds of pool call: a serialized callable, a map function applied to a chunk of items, or a
     * stateless callable the worker holds.
     */
    private static final byte CALLABLE = 0;
    private static final byte APPLY = 1;
    private static final byte HELD = 2;

    private WorkerProtocol() {
    }

    // ---------------------------------------------------------------------------------------------
    // RUN and INIT: the child's orders

    /**
     * The payload of a {@link Wire#RUN} or {@link Wire#INIT} frame. The child's pid travels from the
     * parent, which has it from the launch: asking the JDK for it ({@code ProcessHandle.current()})
     * costs a fresh JVM some 4 ms, to set up a process reaper it never uses.
     *
     * <pre>
     *   UTF child name, long child pid, UTF parent name, long parent pid, bundle,
     *   int length, serialized target or initializer (length 0: no initializer)
     * </pre>
     */
    static byte[] writeOrders(ProcessInfo child, ProcessInfo parent, ClassBundle bundle, byte[] object) {
        return written(object.length + 256, out -> {
            out.writeUTF(child.name());
            out.writeLong(child.pid());
            out.writeUTF(parent.name());
            out.writeLong(parent.pid());
            bundle.write(out);
            out.writeInt(object.length);
            out.write(object);
        });
    }

    /** What a child reads from its first frame: who it is, who its parent is, and what to run. */
    static final class Orders {
        final ProcessInfo self;
        final ProcessInfo parent;
        final ClassBundle bundle;
        /** The serialized target or initializer; empty for no initializer. */
        final byte[] object;

        private Orders(ProcessInfo self, ProcessInfo parent, ClassBundle bundle, byte[] object) {
            this.self = self;
            this.parent = parent;
            this.bundle = bundle;
            this.object = object;
        }
    }

    /** Reads what {@link #writeOrders} wrote. */
    static Orders readOrders(byte[] payload) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(payload));
        ProcessInfo self = new ProcessInfo(in.readUTF(), in.readLong());
        ProcessInfo parent = new ProcessInfo(in.readUTF(), in.readLong());
        ClassBundle bundle = ClassBundle.read(in);
        return new Orders(self, parent, bundle, LengthPrefixed.read(in, "a worker's orders", "the initializer"));
    }

    // ---------------------------------------------------------------------------------------------
    // CALL: one pool call

    /**
     * What a call asks of a worker besides the call itself: the class bundle it runs with, that
     * bundle's bytes if the worker lacks it, and a bundle the worker may forget.
     *
     * @param key    the bundle the call's classes come from; "" for the worker's class path
     * @param toSend the bundle to define first, or null if the worker has it
     * @param toDrop the key of a bundle to forget, or "" for none
     */
    record BundleChange(String key, ClassBundle toSend, String toDrop) {
    }

    /**
     * The payload of a {@link Wire#CALL} frame that runs a serialized callable.
     *
     * <pre>
     *   bundle change: UTF key, bool bundle follows, [bundle], UTF key to drop ("" for none)
     *   byte CALLABLE, int length, serialized callable
     * </pre>
     */
    static byte[] writeCallable(BundleChange bundles, byte[] callable) {
        return written(callable.length + 64, out -> {
            writeBundleChange(out, bundles);
            out.writeByte(CALLABLE);
            out.writeInt(callable.length);
            out.write(callable);
        });
    }

    /**
     * The payload of a {@link Wire#CALL} frame that applies a map function to a chunk of items.
     *
     * <pre>
     *   bundle change (as for a callable)
     *   byte APPLY, long function id, bool function follows, [int length, serialized function],
     *   long function id to drop (0 for none), int length, items ({@link MessageCodec#encodeList})
     * </pre>
     *
     * @param function the serialized function, or null if the worker has it already
     */
    static byte[] writeApply(BundleChange bundles, long functionId, byte[] function, long functionToDrop, byte[] items) {
        return written(items.length + (function == null ? 0 : function.length) + 64, out -> {
            writeBundleChange(out, bundles);
            writeHolding(out, APPLY, functionId, function, functionToDrop);
            out.writeInt(items.length);
            out.write(items);
        });
    }

    /**
     * The payload of a {@link Wire#CALL} frame that calls a stateless callable the worker holds, or is
     * sent now to hold: the same every time, so the worker deserializes it once.
     *
     * <pre>
     *   bundle change (as for a callable)
     *   byte HELD, long callable id, bool callable follows, [int length, serialized callable],
     *   long id to drop (0 for none)
     * </pre>
     *
     * @param callable the serialized callable, or null if the worker has it already
     */
    static byte[] writeHeldCall(BundleChange bundles, long callableId, byte[] callable, long toDrop) {
        return written((callable == null ? 0 : callable.length) + 48, out -> {
            writeBundleChange(out, bundles);
            writeHolding(out, HELD, callableId, callable, toDrop);
        });
    }

    /** The part of a call about what the worker holds: kind, id, the object if sent now, id to drop. */
    private static void writeHolding(DataOutputStream out, byte kind, long id, byte[] object, long toDrop) throws IOException {
        out.writeByte(kind);
        out.writeLong(id);
        out.writeBoolean(object != null);
        if (object != null) {
            out.writeInt(object.length);
            out.write(object);
        }
        out.writeLong(toDrop);
    }

    private static void writeBundleChange(DataOutputStream out, BundleChange bundles) throws IOException {
        out.writeUTF(bundles.key());
        out.writeBoolean(bundles.toSend() != null);
        if (bundles.toSend() != null) {
            bundles.toSend().write(out);
        }
        out.writeUTF(bundles.toDrop());
    }

    /** A call as the worker reads it: see {@link #writeCallable}, {@link #writeApply} and {@link #writeHeldCall}. */
    static final class CallOrder {
        final String bundleKey;
        /** The bundle to define before the call, or null. */
        final ClassBundle bundle;
        /** The bundle to forget, or "". */
        final String dropBundle;
        /** The serialized callable, or null for a map chunk or a held callable. */
        final byte[] callable;
        /** The map function or held callable to run. */
        final long functionId;
        /** The serialized map function or held callable, or null if the worker has it (or for a callable). */
        final byte[] function;
        /** The map function or held callable to forget, or 0. */
        final long dropFunction;
        /** The encoded items of a map chunk, or null for a callable. */
        final byte[] items;

        private CallOrder(String bundleKey, ClassBundle bundle, String dropBundle, byte[] callable, long functionId,
                byte[] function, long dropFunction, byte[] items) {
            this.bundleKey = bundleKey;
            this.bundle = bundle;
            this.dropBundle = dropBundle;
            this.callable = callable;
            this.functionId = functionId;
            this.function = function;
            this.dropFunction = dropFunction;
            this.items = items;
        }

        boolean isMapChunk() {
            return items != null;
        }

        /** Whether this calls the held callable {@link #functionId}. */
        boolean isHeldCall() {
            return callable == null && items == null;
        }
    }

    /** Reads what {@link #writeCallable} or {@link #writeApply} wrote. */
    static CallOrder readCall(byte[] payload) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(payload));
        String key = in.readUTF();
        ClassBundle bundle = in.readBoolean() ? ClassBundle.read(in) : null;
        String dropKey = in.readUTF();
        byte kind = in.readByte();
        if (kind == CALLABLE) {
            return new CallOrder(key, bundle, dropKey, LengthPrefixed.read(in, "a call", "its callable"), 0, null, 0, null);
        }
        if (kind != APPLY && kind != HELD) {
            throw new IOException("unknown kind of call: " + kind);
        }
        long functionId = in.readLong();
        byte[] function = in.readBoolean() ? LengthPrefixed.read(in, "a call", "its function") : null;
        long dropFunction = in.readLong();
        byte[] items = kind == APPLY ? LengthPrefixed.read(in, "a call", "its items") : null;
        return new CallOrder(key, bundle, dropKey, null, functionId, function, dropFunction, items);
    }

    // ---------------------------------------------------------------------------------------------
    // RESULT and FAILED: the worker's reply

    /**
     * The payload of a {@link Wire#RESULT} frame: the value a callable returned, or the list of a map
     * chunk's results, in {@link MessageCodec}'s encoding.
     *
     * @throws NotSerializableException naming what could not be sent back
     */
    static byte[] writeResult(Object result, boolean mapChunk) throws NotSerializableException {
        try {
            return mapChunk ? CODEC.encodeList((List<?>) result) : CODEC.encode(result);
        } catch (IllegalArgumentException e) {
            String what = mapChunk ? "a result of the map function" : "the result of the call, a " + result.getClass().getName() + ",";
            throw new NotSerializableException(what + " is not serializable, so it cannot be sent back: " + e.getMessage());
        }
    }

    /** Reads what {@link #writeResult} wrote, resolving classes with {@code loader}. */
    static Object readResult(byte[] payload, ClassLoader loader) {
        return MessageCodec.trusting(loader).decode(payload);
    }

    /** The payload of a {@link Wire#FAILED} frame: what a target, initializer or call threw. */
    static byte[] writeFailure(Throwable failure) {
        return Failures.encode(failure);
    }

    /** Reads what {@link #writeFailure} wrote: the exception itself, or a {@link RemoteThrowable}. */
    static Throwable readFailure(byte[] payload, ClassLoader loader) {
        return Failures.decode(payload, loader);
    }

    // ---------------------------------------------------------------------------------------------

    /** Fields written to a payload. */
    private interface Fields {
        void write(DataOutputStream out) throws IOException;
    }

    private static byte[] written(int sizeHint, Fields fields) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(sizeHint);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            fields.write(out);
        } catch (IOException e) {
            throw new IllegalStateException("writing to a byte array cannot fail", e);
        }
        return bytes.toByteArray();
    }
}
