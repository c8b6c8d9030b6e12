package dev.workbook.kernel.output;

import dev.workbook.kernel.exec.CellRun;
import dev.workbook.kernel.exec.KernelThreads;
import org.dflib.jjava.jupyter.messages.publish.PublishStream;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.ProcessBuilder.Redirect;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Stands in for {@code ProcessBuilder.start()} and {@code ProcessBuilder.startPipeline} in user code. A
 * child whose stdout or stderr is {@link Redirect#INHERIT inherited} would write straight to the kernel
 * JVM's own file descriptors, which end up in the terminal that started Jupyter. Here such a stream is
 * made a pipe instead, and a kernel thread copies it into the cell that started the child. For the
 * caller nothing changes: the returned process reads as end of stream on that stream, exactly as an
 * inherited one does, and {@link Process#waitFor()} returns after the copied output has been passed on.
 *
 * <p>Other redirects (pipes, files, discard) are left alone. Until {@link #install} is called (outside a
 * kernel) this is a plain {@code start()}.
 */
public final class ChildOutputCapture {

    private static volatile OutputRouter router;

    private ChildOutputCapture() {
    }

    /** Routes captured child output through {@code outputRouter} from now on. */
    public static void install(OutputRouter outputRouter) {
        router = outputRouter;
    }

    /** Replaces {@code builder.start()}. */
    public static Process start(ProcessBuilder builder) throws IOException {
        OutputRouter r = router;
        boolean out = inherits(builder.redirectOutput());
        boolean err = inherits(builder.redirectError()) && !builder.redirectErrorStream();
        if (r == null || !(out || err)) {
            return builder.start();
        }
        CellRun owner = CellRun.of(Thread.currentThread());
        Redirect oldOut = builder.redirectOutput();
        Redirect oldErr = builder.redirectError();
        Process process;
        try {
            if (out) {
                builder.redirectOutput(Redirect.PIPE);
            }
            if (err) {
                builder.redirectError(Redirect.PIPE);
            }
            process = builder.start();
        } finally {
            builder.redirectOutput(oldOut);
            builder.redirectError(oldErr);
        }
        return new CapturedProcess(process, out, err, r, owner);
    }

    /** Replaces {@code ProcessBuilder.startPipeline(builders)}. */
    public static List<Process> startPipeline(List<ProcessBuilder> builders) throws IOException {
        OutputRouter r = router;
        if (r == null || builders.isEmpty()) {
            return ProcessBuilder.startPipeline(builders);
        }
        int last = builders.size() - 1;
        boolean[] out = new boolean[builders.size()];
        boolean[] err = new boolean[builders.size()];
        Redirect[] oldOut = new Redirect[builders.size()];
        Redirect[] oldErr = new Redirect[builders.size()];
        for (int i = 0; i <= last; i++) {
            ProcessBuilder b = builders.get(i);
            oldOut[i] = b.redirectOutput();
            oldErr[i] = b.redirectError();
            out[i] = i == last && inherits(oldOut[i]);
            err[i] = inherits(oldErr[i]) && !b.redirectErrorStream();
        }
        CellRun owner = CellRun.of(Thread.currentThread());
        List<Process> started;
        try {
            for (int i = 0; i <= last; i++) {
                if (out[i]) {
                    builders.get(i).redirectOutput(Redirect.PIPE);
                }
                if (err[i]) {
                    builders.get(i).redirectError(Redirect.PIPE);
                }
            }
            started = ProcessBuilder.startPipeline(builders);
        } finally {
            for (int i = 0; i <= last; i++) {
                builders.get(i).redirectOutput(oldOut[i]);
                builders.get(i).redirectError(oldErr[i]);
            }
        }
        List<Process> wrapped = new ArrayList<>(started.size());
        for (int i = 0; i < started.size(); i++) {
            wrapped.add(out[i] || err[i] ? new CapturedProcess(started.get(i), out[i], err[i], r, owner) : started.get(i));
        }
        return wrapped;
    }

    private static boolean inherits(Redirect redirect) {
        return redirect.type() == Redirect.Type.INHERIT;
    }

    /** Copies one pipe of a child into the cell, on a kernel thread. */
    private static final class Pump {
        private final CountDownLatch done = new CountDownLatch(1);

        Pump(InputStream pipe, PublishStream.StreamType stream, OutputRouter router, CellRun owner, long pid) {
            KernelThreads.start("child-" + pid + "-" + (stream == PublishStream.StreamType.OUT ? "out" : "err"), () -> {
                Utf8Chunks chunks = new Utf8Chunks();
                byte[] buffer = new byte[8192];
                try (InputStream in = pipe) {
                    for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                        String text = chunks.decode(buffer, 0, n);
                        if (!text.isEmpty()) {
                            router.writeFor(owner, stream, text);
                        }
                    }
                } catch (IOException closed) {
                    // the child went away; what was read has been passed on
                } finally {
                    String rest = chunks.drain();
                    if (!rest.isEmpty()) {
                        router.writeFor(owner, stream, rest);
                    }
                    done.countDown();
                }
            });
        }

        void await(long millis) {
            try {
                done.await(millis, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * A started child whose inherited streams are being copied into the notebook; everything else is the
     * real process.
     */
    private static final class CapturedProcess extends Process {
        private static final long DRAIN_MILLIS = 2000;

        private final Process process;
        private final boolean out;
        private final boolean err;
        private final Pump outPump;
        private final Pump errPump;

        CapturedProcess(Process process, boolean out, boolean err, OutputRouter router, CellRun owner) {
            this.process = process;
            this.out = out;
            this.err = err;
            this.outPump = out ? new Pump(process.getInputStream(), PublishStream.StreamType.OUT, router, owner, process.pid()) : null;
            this.errPump = err ? new Pump(process.getErrorStream(), PublishStream.StreamType.ERR, router, owner, process.pid()) : null;
        }

        private void drain() {
            if (outPump != null) {
                outPump.await(DRAIN_MILLIS);
            }
            if (errPump != null) {
                errPump.await(DRAIN_MILLIS);
            }
        }

        @Override
        public OutputStream getOutputStream() {
            return process.getOutputStream();
        }

        @Override
        public InputStream getInputStream() {
            return out ? InputStream.nullInputStream() : process.getInputStream();
        }

        @Override
        public InputStream getErrorStream() {
            return err ? InputStream.nullInputStream() : process.getErrorStream();
        }

        @Override
        public int waitFor() throws InterruptedException {
            int status = process.waitFor();
            drain();
            return status;
        }

        @Override
        public boolean waitFor(long timeout, TimeUnit unit) throws InterruptedException {
            boolean exited = process.waitFor(timeout, unit);
            if (exited) {
                drain();
            }
            return exited;
        }

        @Override
        public int exitValue() {
            return process.exitValue();
        }

        @Override
        public void destroy() {
            process.destroy();
        }

        @Override
        public Process destroyForcibly() {
            process.destroyForcibly();
            return this;
        }

        @Override
        public boolean supportsNormalTermination() {
            return process.supportsNormalTermination();
        }

        @Override
        public boolean isAlive() {
            return process.isAlive();
        }

        @Override
        public long pid() {
            return process.pid();
        }

        @Override
        public CompletableFuture<Process> onExit() {
            return process.onExit().thenApply(p -> {
                drain();
                return this;
            });
        }

        @Override
        public ProcessHandle toHandle() {
            return process.toHandle();
        }

        @Override
        public ProcessHandle.Info info() {
            return process.info();
        }

        @Override
        public Stream<ProcessHandle> children() {
            return process.children();
        }

        @Override
        public Stream<ProcessHandle> descendants() {
            return process.descendants();
        }

        @Override
        public String toString() {
            return process.toString();
        }
    }
}
