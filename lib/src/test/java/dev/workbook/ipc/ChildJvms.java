package dev.workbook.ipc;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Starts child JVMs running a main class of the test sources, collects their output, and kills every
 * one of them on {@link #close()}: tests call it from {@code @AfterEach}, so no child outlives its test.
 */
final class ChildJvms implements AutoCloseable {

    private final List<Child> children = new ArrayList<>();

    /** A running child and everything it has printed so far (stdout and stderr merged). */
    static final class Child {
        final Process process;
        private final StringBuffer output = new StringBuffer();
        private final Thread reader;

        Child(Process process) {
            this.process = process;
            this.reader = new Thread(() -> {
                try (InputStream in = process.getInputStream()) {
                    byte[] buffer = new byte[4096];
                    int read;
                    while ((read = in.read(buffer)) >= 0) {
                        output.append(new String(buffer, 0, read, StandardCharsets.UTF_8));
                    }
                } catch (IOException ignored) {
                    // the child is gone
                }
            }, "child-output-" + process.pid());
            reader.setDaemon(true);
            reader.start();
        }

        long pid() {
            return process.pid();
        }

        String output() {
            return output.toString();
        }

        /** Waits until the child has printed a line containing {@code text}. */
        void awaitOutput(String text, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!output.toString().contains(text)) {
                if (!process.isAlive() && !reader.isAlive()) {
                    throw new AssertionError("child " + pid() + " exited (" + process.exitValue()
                            + ") before printing '" + text + "'; it printed:\n" + output);
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("child " + pid() + " did not print '" + text + "' within " + timeout
                            + "; it printed:\n" + output);
                }
                Thread.sleep(5);
            }
        }

        /** Waits for the child to exit normally and returns its output. */
        String awaitExit(Duration timeout) throws InterruptedException {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("child " + pid() + " did not exit within " + timeout + "; it printed:\n" + output);
            }
            reader.join(5_000);
            if (process.exitValue() != 0) {
                throw new AssertionError("child " + pid() + " exited with " + process.exitValue() + ":\n" + output);
            }
            return output.toString();
        }

        /** Kills the child with SIGKILL and waits until it is reaped. */
        void kill() throws InterruptedException {
            process.destroyForcibly();
            process.waitFor();
        }
    }

    /** Starts {@code main} with the test class path and Agrona's export. */
    Child start(Class<?> main, String... args) {
        return start(true, main, args);
    }

    /** Starts {@code main} without Agrona's export, as a user who forgot it would. */
    Child startWithoutAgronaExport(Class<?> main, String... args) {
        return start(false, main, args);
    }

    private Child start(boolean export, Class<?> main, String... args) {
        List<String> command = new ArrayList<>();
        command.add(javaExecutable());
        if (export) {
            command.add("--add-exports");
            command.add("java.base/jdk.internal.misc=ALL-UNNAMED");
        }
        command.add("-XX:TieredStopAtLevel=1"); // the children run briefly: start fast
        command.add("-Xshare:auto");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(main.getName());
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            Child child = new Child(process);
            children.add(child);
            return child;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String javaExecutable() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    /** Kills every child still running and waits for it. */
    @Override
    public void close() {
        for (Child child : children) {
            child.process.destroyForcibly();
        }
        boolean interrupted = false;
        for (Child child : children) {
            try {
                child.process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        children.clear();
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Serializes an object to base64, to pass on a child's command line. */
    static String encode(Serializable value) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Base64.getEncoder().encodeToString(bytes.toByteArray());
    }

    /** Reads back what {@link #encode} wrote; a primitive's handle attaches here. */
    @SuppressWarnings("unchecked")
    static <T> T decode(String base64) {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(Base64.getDecoder().decode(base64)))) {
            return (T) in.readObject();
        } catch (IOException | ClassNotFoundException e) {
            throw new IllegalStateException("cannot decode handle", e);
        }
    }
}
