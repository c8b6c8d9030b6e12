package dev.workbook.process;

import dev.workbook.codec.MessageCodec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The main class of every child JVM this package starts; not an API.
 *
 * <p>The child reads frames from its standard input and writes frames to its standard output (see
 * {@link Wire}); its {@code System.out} is redirected into {@link Wire#OUTPUT} frames, and its
 * {@code System.err} is the real standard error. It then does what the first frame says: run one
 * {@link ChildProcess} target ({@link Wire#RUN}), or serve {@link ProcessPool} calls until told to
 * stop ({@link Wire#INIT}). It loads as few classes as it can before that, since its start-up time is
 * what every process pays.
 *
 * <p>A daemon thread reads standard input for the child's whole life. End-of-stream there means the
 * parent is gone (it exited, crashed or was killed with SIGKILL, and the kernel closed its end of the
 * pipe): the child halts at once, so no child outlives its parent.
 */
public final class ChildMain {

    /** The exit code of a child that halts because its parent is gone. */
    static final int PARENT_GONE = 1;
    /** The exit code of a child whose target threw, as in Python. */
    static final int TARGET_FAILED = 1;
    /** The exit code of a child that could not read its orders. */
    static final int BOOTSTRAP_FAILED = 2;

    /** Kinds of pool call: a serialized callable, or a map function applied to a chunk of items. */
    private static final byte CALLABLE = 0;
    private static final byte APPLY = 1;

    /** Set when this JVM is exiting on purpose, so that the watcher does not mistake it for a gone parent. */
    private static volatile boolean leaving;

    private ChildMain() {
    }

    public static void main(String[] args) {
        // Standard input through a channel: closing a channel wakes a thread blocked reading it.
        FileChannel input = new FileInputStream(FileDescriptor.in).getChannel();
        Wire wire = new Wire(Channels.newInputStream(input), new FileOutputStream(FileDescriptor.out));
        // File descriptors 0 and 1 carry frames: user code gets an empty System.in, and a System.out
        // that sends frames. UTF-8 whatever the locale: the parent decodes it so.
        System.setIn(InputStream.nullInputStream());
        System.setOut(new PrintStream(new OutputFrames(wire), true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8));
        // At exit, HotSpot waits up to 300 ms for threads blocked in native code, such as the
        // watcher's read. Closing standard input first wakes the watcher, so a child exits in
        // milliseconds, whether it returns, throws, calls System.exit or receives SIGTERM.
        Runtime.getRuntime().addShutdownHook(new Thread(new CloseOnExit(input), "workbook-close-input"));
        Wire.Frame first;
        try {
            first = wire.receive();
        } catch (IOException e) {
            System.err.println("child JVM: cannot read its orders from the parent: " + e);
            System.exit(BOOTSTRAP_FAILED);
            return;
        }
        if (first == null) {
            Runtime.getRuntime().halt(PARENT_GONE);
        }
        switch (first.type()) {
            case Wire.RUN -> runTarget(wire, first.payload());
            case Wire.INIT -> serve(wire, first.payload());
            default -> {
                System.err.println("child JVM: unexpected first frame of type " + first.type());
                System.exit(BOOTSTRAP_FAILED);
            }
        }
    }

    // The child's boot path uses named classes, not lambdas, and no string concatenation: in a fresh
    // JVM the first lambda costs some 5 ms and the first concatenation some 10 ms of bootstrapping.

    /** The shutdown hook: marks the exit as deliberate and wakes the watcher. */
    private static final class CloseOnExit implements Runnable {
        private final FileChannel input;

        CloseOnExit(FileChannel input) {
            this.input = input;
        }

        @Override
        public void run() {
            leaving = true;
            try {
                input.close();
            } catch (IOException e) {
                // exiting anyway
            }
        }
    }

    /** {@code System.out} of a child: each write becomes one {@link Wire#OUTPUT} frame. */
    private static final class OutputFrames extends OutputStream {
        private final Wire wire;

        OutputFrames(Wire wire) {
            this.wire = wire;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            if (length > 0) {
                wire.send(Wire.OUTPUT, 0, bytes, offset, length);
            }
        }
    }

    /**
     * Runs one target and reports how it ended. If it threw, exits with code 1 at once; if it
     * returned, returns from {@code main}, so that the JVM exits (with 0) once the non-daemon threads
     * the target started have finished, as a Java program and a Python child process do.
     */
    private static void runTarget(Wire wire, byte[] payload) {
        String name = "child";
        try {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(payload));
            name = in.readUTF();
            long pid = in.readLong();
            ProcessInfo parent = new ProcessInfo(in.readUTF(), in.readLong());
            Processes.becomeChild(new ProcessInfo(name, pid), parent);
            watchParent(wire, null);
            ClassBundle bundle = ClassBundle.read(in);
            byte[] target = in.readNBytes(in.readInt());
            ClassLoader loader = bundle.install(ChildMain.class.getClassLoader());
            Thread.currentThread().setContextClassLoader(loader);
            SerializableRunnable runnable = (SerializableRunnable) MessageCodec.trusting(loader).deserialize(target);
            wire.send(Wire.READY, 0);
            runnable.run();
        } catch (Throwable failure) {
            report(name, failure);
            try {
                wire.send(Wire.FAILED, 0, Failures.encode(failure));
            } catch (IOException | RuntimeException e) {
                // the parent is gone; the exit code still says what happened
            }
            System.exit(TARGET_FAILED);
        }
        try {
            wire.send(Wire.DONE, 0);
        } catch (IOException e) {
            // the parent is gone
        }
    }

    /** Serves pool calls one at a time until {@link Wire#STOP}, then exits with code 0. */
    private static void serve(Wire wire, byte[] payload) {
        BlockingQueue<Wire.Frame> inbox = new LinkedBlockingQueue<>();
        String name = "worker";
        ClassLoader base = ChildMain.class.getClassLoader();
        try {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(payload));
            name = in.readUTF();
            long pid = in.readLong();
            ProcessInfo parent = new ProcessInfo(in.readUTF(), in.readLong());
            Processes.becomeChild(new ProcessInfo(name, pid), parent);
            // Calls are read on another thread, so that end-of-stream is seen even during a long call.
            watchParent(wire, inbox);
            ClassBundle bundle = ClassBundle.read(in);
            byte[] initializer = in.readNBytes(in.readInt());
            if (initializer.length > 0) {
                ClassLoader loader = bundle.install(base);
                Thread.currentThread().setContextClassLoader(loader);
                ((SerializableRunnable) MessageCodec.trusting(loader).deserialize(initializer)).run();
                Thread.currentThread().setContextClassLoader(base);
            }
            wire.send(Wire.READY, 0);
        } catch (Throwable failure) {
            report(name, failure);
            try {
                wire.send(Wire.FAILED, 0, Failures.encode(failure));
            } catch (IOException | RuntimeException e) {
                // the parent is gone
            }
            System.exit(TARGET_FAILED);
        }
        Map<String, ClassLoader> loaders = new HashMap<>();
        loaders.put("", base);
        Map<Long, SerializableFunction<Object, Object>> functions = new HashMap<>();
        while (true) {
            Wire.Frame frame;
            try {
                frame = inbox.take();
            } catch (InterruptedException e) {
                continue; // nothing interrupts this thread on purpose; keep serving
            }
            if (frame.type() == Wire.STOP) {
                System.out.flush();
                System.err.flush();
                System.exit(0);
            }
            byte[] reply;
            int replyType;
            try {
                Object result = call(frame.payload(), loaders, functions, base);
                try {
                    MessageCodec codec = MessageCodec.trusting(base);
                    reply = result instanceof AppliedChunk chunk ? codec.encodeList(chunk.results) : codec.encode(result);
                    replyType = Wire.RESULT;
                } catch (IllegalArgumentException e) {
                    String what = result instanceof AppliedChunk ? "a result of the map function"
                            : "the result of the call, a " + result.getClass().getName() + ",";
                    reply = Failures.encode(new java.io.NotSerializableException(what + " is not serializable, so it cannot be sent back: "
                            + e.getMessage()));
                    replyType = Wire.FAILED;
                }
            } catch (Throwable failure) {
                reply = Failures.encode(failure);
                replyType = Wire.FAILED;
            } finally {
                Thread.currentThread().setContextClassLoader(base);
            }
            try {
                wire.send(replyType, frame.id(), reply);
            } catch (IOException e) {
                Runtime.getRuntime().halt(PARENT_GONE);
            }
        }
    }

    /** The results of a map chunk, told apart from a callable that returned a list. */
    private static final class AppliedChunk {
        final List<Object> results;

        AppliedChunk(List<Object> results) {
            this.results = results;
        }
    }

    private static Object call(byte[] payload, Map<String, ClassLoader> loaders, Map<Long, SerializableFunction<Object, Object>> functions,
            ClassLoader base) throws Exception {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(payload));
        String key = in.readUTF();
        if (in.readBoolean()) {
            loaders.put(key, ClassBundle.read(in).install(base));
        }
        String dropKey = in.readUTF();
        if (!dropKey.isEmpty()) {
            loaders.remove(dropKey);
        }
        ClassLoader loader = loaders.get(key);
        if (loader == null) {
            throw new IllegalStateException("the parent referred to class bundle " + key + ", which this worker does not have");
        }
        Thread.currentThread().setContextClassLoader(loader);
        if (in.readByte() == CALLABLE) {
            Callable<?> callable = (Callable<?>) MessageCodec.trusting(loader).deserialize(in.readNBytes(in.readInt()));
            return callable.call();
        }
        long functionId = in.readLong();
        if (in.readBoolean()) {
            @SuppressWarnings("unchecked")
            SerializableFunction<Object, Object> function =
                    (SerializableFunction<Object, Object>) MessageCodec.trusting(loader).deserialize(in.readNBytes(in.readInt()));
            functions.put(functionId, function);
        }
        long dropFunction = in.readLong();
        if (dropFunction != 0) {
            functions.remove(dropFunction);
        }
        SerializableFunction<Object, Object> function = functions.get(functionId);
        if (function == null) {
            throw new IllegalStateException("the parent referred to map function " + functionId + ", which this worker does not have");
        }
        List<?> items = (List<?>) MessageCodec.trusting(loader).decode(in.readNBytes(in.readInt()));
        List<Object> results = new ArrayList<>(items.size());
        for (Object item : items) {
            results.add(function.apply(item));
        }
        return new AppliedChunk(results);
    }

    /**
     * Starts the thread that reads standard input: frames go to {@code inbox} (if any), and the end of
     * the stream, or an error, halts this JVM.
     */
    private static void watchParent(Wire wire, BlockingQueue<Wire.Frame> inbox) {
        Thread watcher = new Thread(new Watcher(wire, inbox), "workbook-parent-watcher");
        watcher.setDaemon(true);
        watcher.start();
    }

    private static final class Watcher implements Runnable {
        private final Wire wire;
        private final BlockingQueue<Wire.Frame> inbox;

        Watcher(Wire wire, BlockingQueue<Wire.Frame> inbox) {
            this.wire = wire;
            this.inbox = inbox;
        }

        @Override
        public void run() {
            try {
                Wire.Frame frame;
                while ((frame = wire.receive()) != null) {
                    if (inbox != null) {
                        inbox.add(frame);
                    }
                }
            } catch (IOException e) {
                // a broken pipe is a gone parent too, unless this JVM closed it on its way out
            }
            if (!leaving) {
                Runtime.getRuntime().halt(PARENT_GONE);
            }
        }
    }

    /** Prints the failure as an uncaught exception would be, naming the process (Python does the same). */
    private static void report(String name, Throwable failure) {
        System.err.println("Exception in " + name + " (pid " + Processes.current().pid() + "):");
        failure.printStackTrace();
        System.err.flush();
    }

    /** The payload of a {@link Wire#RUN} frame: the child's name and pid, its parent's, the target. */
    static byte[] runPayload(ProcessInfo child, ProcessInfo parent, ClassBundle bundle, byte[] target) {
        return payload(child, parent, bundle, target);
    }

    /** The payload of a {@link Wire#INIT} frame; {@code initializer} is empty for none. */
    static byte[] initPayload(ProcessInfo child, ProcessInfo parent, ClassBundle bundle, byte[] initializer) {
        return payload(child, parent, bundle, initializer);
    }

    // The child's pid travels from the parent, which has it from the launch: asking the JDK for it
    // (ProcessHandle.current()) costs a fresh JVM some 4 ms, to set up a process reaper it never uses.
    private static byte[] payload(ProcessInfo child, ProcessInfo parent, ClassBundle bundle, byte[] object) {
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

    /**
     * The payload of a {@link Wire#CALL} frame that runs a serialized callable.
     *
     * <pre>
     *   UTF bundle key, bool bundle follows, [bundle], UTF bundle to drop ("" for none),
     *   byte CALLABLE, int length, serialized callable
     * </pre>
     */
    static byte[] callPayload(String key, ClassBundle bundleToSend, String dropKey, byte[] call) {
        return written(call.length + 64, out -> {
            writeBundle(out, key, bundleToSend, dropKey);
            out.writeByte(CALLABLE);
            out.writeInt(call.length);
            out.write(call);
        });
    }

    /**
     * The payload of a {@link Wire#CALL} frame that applies a map function to a chunk of items.
     *
     * <pre>
     *   UTF bundle key, bool bundle follows, [bundle], UTF bundle to drop ("" for none),
     *   byte APPLY, long function id, bool function follows, [int length, serialized function],
     *   long function to drop (0 for none), int length, items ({@link dev.workbook.codec.MessageCodec#encodeList})
     * </pre>
     *
     * @param function the serialized function, or null if the worker has it already
     */
    static byte[] applyPayload(String key, ClassBundle bundleToSend, String dropKey, long functionId, byte[] function,
            long dropFunction, byte[] items) {
        return written(items.length + (function == null ? 0 : function.length) + 64, out -> {
            writeBundle(out, key, bundleToSend, dropKey);
            out.writeByte(APPLY);
            out.writeLong(functionId);
            out.writeBoolean(function != null);
            if (function != null) {
                out.writeInt(function.length);
                out.write(function);
            }
            out.writeLong(dropFunction);
            out.writeInt(items.length);
            out.write(items);
        });
    }

    /** Fields written to a payload. */
    private interface Fields {
        void write(DataOutputStream out) throws IOException;
    }

    // Payloads are built in the parent only, so lambdas are fine here (see the note on the boot path).
    private static byte[] written(int sizeHint, Fields fields) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(sizeHint);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            fields.write(out);
        } catch (IOException e) {
            throw new IllegalStateException("writing to a byte array cannot fail", e);
        }
        return bytes.toByteArray();
    }

    private static void writeBundle(DataOutputStream out, String key, ClassBundle bundleToSend, String dropKey) throws IOException {
        out.writeUTF(key);
        out.writeBoolean(bundleToSend != null);
        if (bundleToSend != null) {
            bundleToSend.write(out);
        }
        out.writeUTF(dropKey == null ? "" : dropKey);
    }
}
