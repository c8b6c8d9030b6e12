package dev.workbook.process;

import java.io.File;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One child JVM as the parent sees it: the launched {@code java} process running {@link ChildMain},
 * its output pumps, and the listening socket it connects back to. Shared by {@link ChildProcess}
 * and the workers of {@link ProcessPool}.
 *
 * <p>The socket lives in a fresh directory only this user can enter (so no other user can connect
 * in its place), and both are deleted as soon as the child has connected, or has failed to.
 */
final class ChildJvm {

    /** The flag Agrona needs in every JVM that loads it. */
    static final String AGRONA_EXPORT = "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED";

    /** Flags of this JVM that a child needs to load the same code the same way. */
    private static final List<String> INHERITED_PREFIXES = List.of(
            "--add-opens", "--add-exports", "--add-modules", "--add-reads", "--enable-preview", "--enable-native-access");

    private static volatile List<String> inheritedFlags;

    private final String name;
    private final Process process;
    private final ServerSocketChannel server;
    private final Path socketDirectory;
    private final LinePump stdout;
    private final LinePump stderr;

    private ChildJvm(String name, Process process, ServerSocketChannel server, Path socketDirectory) {
        this.name = name;
        this.process = process;
        this.server = server;
        this.socketDirectory = socketDirectory;
        this.stdout = LinePump.start(process.getInputStream(), StandardCharsets.UTF_8,
                LinePump.toCurrent(() -> System.out), name + "-stdout");
        this.stderr = LinePump.start(process.getErrorStream(), StandardCharsets.UTF_8,
                LinePump.toCurrent(() -> System.err), name + "-stderr");
    }

    /**
     * Starts a child JVM; returns as soon as the operating system has started it (it is not
     * connected yet: see {@link #connect}).
     *
     * @throws ChildStartException if the process cannot be launched
     */
    static ChildJvm launch(String name, JvmOptions options, ChildClassPath classPath) throws ChildStartException {
        Path directory = null;
        ServerSocketChannel server = null;
        try {
            directory = Files.createTempDirectory("wbp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            Path socket = directory.resolve("s");
            server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(socket));
            ProcessBuilder builder = new ProcessBuilder(command(name, options, classPath, socket))
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            Process process = builder.start();
            Processes.track(process);
            return new ChildJvm(name, process, server, directory);
        } catch (IOException | RuntimeException e) {
            closeQuietly(server);
            deleteQuietly(directory);
            throw new ChildStartException("cannot launch the JVM of " + name + ": " + e.getMessage(), e);
        }
    }

    /** The full command line of a child. */
    static List<String> command(String name, JvmOptions options, ChildClassPath classPath, Path socket) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> inherited = inheritedFlags();
        command.addAll(inherited);
        if (!inherited.contains(AGRONA_EXPORT)) {
            command.add(AGRONA_EXPORT);
        }
        // HotSpot prints its own messages ("Terminating due to java.lang.OutOfMemoryError", crash
        // banners) on standard output by default; on standard error they reach the failure messages.
        command.add("-XX:+DisplayVMOutputToStderr");
        command.addAll(options.commandLineFlags());
        command.add("-D" + Processes.FAMILY_PROPERTY + "=" + Processes.family());
        command.add("-D" + Processes.NAME_PROPERTY + "=" + name);
        command.add("-cp");
        command.add(classPath.asArgument());
        command.add(ChildMain.class.getName());
        command.add(socket.toString());
        return command;
    }

    /** This JVM's module flags, in the {@code --flag=value} form the runtime reports them in. */
    static List<String> inheritedFlags() {
        List<String> flags = inheritedFlags;
        if (flags == null) {
            List<String> found = new ArrayList<>();
            try {
                for (String argument : java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()) {
                    for (String prefix : INHERITED_PREFIXES) {
                        if (argument.equals(prefix) || argument.startsWith(prefix + "=")) {
                            found.add(argument);
                        }
                    }
                }
            } catch (LinkageError | RuntimeException e) {
                // a runtime without java.management: children get the Agrona flag only
            }
            flags = List.copyOf(found);
            inheritedFlags = flags;
        }
        return flags;
    }

    /**
     * Waits for the child to connect back. Deletes the socket and its directory either way.
     *
     * @throws ChildStartException if the child exits first, or does not connect within the timeout
     *                             (it is then killed)
     */
    Wire connect(Duration timeout) throws ChildStartException, InterruptedException {
        // accept() has no timeout: closing the listening socket is how the wait is cut short.
        CompletableFuture<Process> exited = process.onExit();
        exited.thenRun(() -> closeQuietly(server));
        CompletableFuture<Void> timer = CompletableFuture.runAsync(() -> closeQuietly(server),
                CompletableFuture.delayedExecutor(timeout.toMillis(), TimeUnit.MILLISECONDS));
        try {
            SocketChannel channel = server.accept();
            return new Wire(channel);
        } catch (ClosedChannelException e) {
            if (Thread.interrupted()) {
                process.toHandle().destroyForcibly();
                throw new InterruptedException("interrupted while " + name + " was starting");
            }
            if (process.isAlive()) {
                process.toHandle().destroyForcibly();
                throw new ChildStartException(name + " did not connect back within " + timeout.toSeconds()
                        + " s and was killed" + stderrSummary());
            }
            int exitCode = ExitStatus.exitCode(process.waitFor());
            stderr.awaitEnd(Duration.ofSeconds(1));
            throw new ChildStartException("the JVM of " + name + " " + ExitStatus.describe(exitCode)
                    + " before it connected back" + stderrSummary());
        } catch (IOException e) {
            process.toHandle().destroyForcibly();
            throw new ChildStartException("cannot accept the connection of " + name + ": " + e, e);
        } finally {
            timer.cancel(false);
            closeQuietly(server);
            deleteQuietly(socketDirectory);
        }
    }

    /** ": it printed:" and the last lines of its standard error, or nothing if it printed none. */
    String stderrSummary() {
        List<String> lines = stderr.tail();
        if (lines.isEmpty()) {
            return "";
        }
        return "; its last lines on standard error:\n    " + String.join("\n    ", lines);
    }

    String name() {
        return name;
    }

    Process process() {
        return process;
    }

    long pid() {
        return process.pid();
    }

    /** Waits for the process to end and returns its exit code, Python-style (see {@link ExitStatus}). */
    int awaitExitCode() throws InterruptedException {
        return ExitStatus.exitCode(process.waitFor());
    }

    /** Waits (a little) for the last output lines, so they are printed before anyone is told the child ended. */
    void awaitOutput(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        stdout.awaitEnd(timeout);
        stderr.awaitEnd(Duration.ofNanos(Math.max(1_000_000, deadline - System.nanoTime())));
    }

    private static void closeQuietly(ServerSocketChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // nothing to do
            }
        }
    }

    private static void deleteQuietly(Path directory) {
        if (directory == null) {
            return;
        }
        try {
            Files.deleteIfExists(directory.resolve("s"));
            Files.deleteIfExists(directory);
        } catch (IOException e) {
            // left for the system's tmp cleaner; cannot happen for our own fresh directory
        }
    }
}
