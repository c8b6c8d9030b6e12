package dev.workbook.process;

import dev.workbook.codec.MessageCodec;
import java.io.BufferedInputStream;
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
 * <p>This is the child's side of {@link WorkerProtocol} only: the parent's side is in
 * {@link ChildProcess} and {@link ProcessPool}. The child reads frames from its standard input and
 * writes frames to its standard output (see {@link Wire}); its {@code System.out} is redirected into {@link Wire#OUTPUT} frames, and its
 * {@code System.err} is the real standard error. It then does what the first frame says: run one
 * {@link ChildProcess} target ({@link Wire#RUN}), or serve {@link ProcessPool} calls until told to
 * stop ({@link Wire#INIT}). It loads as few classes as it can before that, since its start-up time is
 * what every process pays; except a spare ({@link StartMethod#FORKSERVER}, argument
 * {@link #SPARE_ARGUMENT}), which starts before anyone waits for it and so first runs
 * {@link SpareWarmUp} and sends {@link Wire#WARM}.
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

    /** The program argument of a spare JVM: warm up, say {@link Wire#WARM}, then wait for orders. */
    static final String SPARE_ARGUMENT = "--spare";

    /** Set when this JVM is exiting on purpose, so that the watcher does not mistake it for a gone parent. */
    private static volatile boolean leaving;

    private ChildMain() {
    }

    public static void main(String[] args) {
        // Standard input through a channel: closing a channel wakes a thread blocked reading it.
        FileChannel input = new FileInputStream(FileDescriptor.in).getChannel();
        // Buffered: a frame's header and payload then come in one read of the pipe, not four.
        Wire wire = new Wire(new BufferedInputStream(Channels.newInputStream(input), 1 << 16),
                new FileOutputStream(FileDescriptor.out));
        // File descriptors 0 and 1 carry frames: user code gets an empty System.in, and a System.out
        // that sends frames. UTF-8 whatever the locale: the parent decodes it so.
        System.setIn(InputStream.nullInputStream());
        System.setOut(new PrintStream(new OutputFrames(wire), true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8));
        // At exit, HotSpot waits up to 300 ms for threads blocked in native code, such as the
        // watcher's read. Closing standard input first wakes the watcher, so a child exits in
        // milliseconds, whether it returns, throws, calls System.exit or receives SIGTERM.
        Runtime.getRuntime().addShutdownHook(new Thread(new CloseOnExit(input), "workbook-close-input"));
        if (args.length > 0 && args[0].equals(SPARE_ARGUMENT)) {
            serveAsSpare(wire);
            return;
        }
        Wire.Frame first;
        try {
            first = wire.receive();
        } catch (IOException e) {
            if (leaving) {
                return; // stopped while it waited: nothing to report
            }
            System.err.println("child JVM: cannot read its orders from the parent: " + e);
            System.exit(BOOTSTRAP_FAILED);
            return;
        }
        if (first == null) {
            Runtime.getRuntime().halt(PARENT_GONE);
        }
        obey(wire, first, null);
    }

    /**
     * A spare: starts the parent watcher (idle), warms up, says {@link Wire#WARM}, and takes its orders
     * from the watcher. The watcher runs from the start, rather than from the orders on as in a fresh
     * child, so that starting a thread is not part of the time from orders to {@link Wire#READY}, which
     * a child that took the spare waits for; and a parent that dies while the spare warms up or waits is
     * seen at once (end of stream), as later.
     */
    private static void serveAsSpare(Wire wire) {
        BlockingQueue<Wire.Frame> inbox = new LinkedBlockingQueue<>();
        watchParent(wire, inbox);
        SpareWarmUp.run();
        try {
            wire.send(Wire.WARM, 0);
        } catch (IOException e) {
            Runtime.getRuntime().halt(PARENT_GONE);
        }
        Wire.Frame first;
        while (true) {
            try {
                first = inbox.take();
                break;
            } catch (InterruptedException e) {
                // nothing interrupts this thread on purpose; keep waiting for the orders
            }
        }
        obey(wire, first, inbox);
    }

    /**
     * Does what the first frame says. {@code inbox} is null if no watcher runs yet; else the watcher's
     * queue, which gets the frames after the first (for a pool worker, its calls).
     */
    private static void obey(Wire wire, Wire.Frame first, BlockingQueue<Wire.Frame> inbox) {
        switch (first.type()) {
            case Wire.RUN -> runTarget(wire, first.payload(), inbox != null);
            case Wire.INIT -> serve(wire, first.payload(), inbox);
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
    private static void runTarget(Wire wire, byte[] payload, boolean watched) {
        String name = "child";
        try {
            WorkerProtocol.Orders orders = WorkerProtocol.readOrders(payload);
            name = orders.self.name();
            Processes.becomeChild(orders.self, orders.parent);
            if (!watched) {
                watchParent(wire, null);
            }
            ClassLoader loader = orders.bundle.install(ChildMain.class.getClassLoader());
            Thread.currentThread().setContextClassLoader(loader);
            SerializableRunnable runnable = (SerializableRunnable) MessageCodec.trusting(loader).deserialize(orders.object);
            wire.send(Wire.READY, 0);
            runnable.run();
        } catch (Throwable failure) {
            failAndExit(wire, name, failure);
        }
        try {
            wire.send(Wire.DONE, 0);
        } catch (IOException e) {
            // the parent is gone
        }
    }

    /** Reports a target or initializer that threw, to standard error and to the parent, and exits. */
    private static void failAndExit(Wire wire, String name, Throwable failure) {
        report(name, failure);
        try {
            wire.send(Wire.FAILED, 0, WorkerProtocol.writeFailure(failure));
        } catch (IOException | RuntimeException e) {
            // the parent is gone; the exit code still says what happened
        }
        System.exit(TARGET_FAILED);
    }

    /** Serves pool calls one at a time until {@link Wire#STOP}, then exits with code 0. */
    private static void serve(Wire wire, byte[] payload, BlockingQueue<Wire.Frame> watchedInbox) {
        BlockingQueue<Wire.Frame> inbox = watchedInbox != null ? watchedInbox : new LinkedBlockingQueue<>();
        String name = "worker";
        ClassLoader base = ChildMain.class.getClassLoader();
        try {
            WorkerProtocol.Orders orders = WorkerProtocol.readOrders(payload);
            name = orders.self.name();
            Processes.becomeChild(orders.self, orders.parent);
            // Calls are read on another thread, so that end-of-stream is seen even during a long call.
            if (watchedInbox == null) {
                watchParent(wire, inbox);
            }
            if (orders.object.length > 0) {
                ClassLoader loader = orders.bundle.install(base);
                Thread.currentThread().setContextClassLoader(loader);
                ((SerializableRunnable) MessageCodec.trusting(loader).deserialize(orders.object)).run();
                Thread.currentThread().setContextClassLoader(base);
            }
            wire.send(Wire.READY, 0);
        } catch (Throwable failure) {
            failAndExit(wire, name, failure);
        }
        Holdings holdings = new Holdings(base);
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
                WorkerProtocol.CallOrder order = WorkerProtocol.readCall(frame.payload());
                reply = WorkerProtocol.writeResult(call(order, holdings), order.isMapChunk());
                replyType = Wire.RESULT;
            } catch (Throwable failure) {
                reply = WorkerProtocol.writeFailure(failure);
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

    /**
     * The worker's side of {@link WorkerHoldings}: the class loaders of the bundles it has defined and
     * the map functions and stateless callables it has deserialized, kept and dropped as the parent says.
     */
    private static final class Holdings {
        final Map<String, ClassLoader> loaders = new HashMap<>();
        /** Map functions and held callables, by id. */
        final Map<Long, Object> functions = new HashMap<>();
        final ClassLoader base;

        Holdings(ClassLoader base) {
            this.base = base;
            loaders.put("", base);
        }
    }

    /** Runs one call; returns what it returned, or the list of a map chunk's results. */
    private static Object call(WorkerProtocol.CallOrder order, Holdings holdings) throws Exception {
        if (order.bundle != null) {
            holdings.loaders.put(order.bundleKey, order.bundle.install(holdings.base));
        }
        if (!order.dropBundle.isEmpty()) {
            holdings.loaders.remove(order.dropBundle);
        }
        ClassLoader loader = holdings.loaders.get(order.bundleKey);
        if (loader == null) {
            throw new IllegalStateException("the parent referred to class bundle " + order.bundleKey + ", which this worker does not have");
        }
        Thread.currentThread().setContextClassLoader(loader);
        if (order.callable != null) {
            return ((Callable<?>) MessageCodec.trusting(loader).deserialize(order.callable)).call();
        }
        if (order.function != null) {
            holdings.functions.put(order.functionId, MessageCodec.trusting(loader).deserialize(order.function));
        }
        if (order.dropFunction != 0) {
            holdings.functions.remove(order.dropFunction);
        }
        Object held = holdings.functions.get(order.functionId);
        if (held == null) {
            throw new IllegalStateException("the parent referred to " + (order.isHeldCall() ? "callable " : "map function ")
                    + order.functionId + ", which this worker does not have");
        }
        if (order.isHeldCall()) {
            return ((Callable<?>) held).call();
        }
        @SuppressWarnings("unchecked")
        SerializableFunction<Object, Object> function = (SerializableFunction<Object, Object>) held;
        List<?> items = (List<?>) MessageCodec.trusting(loader).decode(order.items);
        List<Object> results = new ArrayList<>(items.size());
        for (Object item : items) {
            results.add(function.apply(item));
        }
        return results;
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
}
