package dev.workbook.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One child JVM as the parent sees it: the launched {@code java} process running {@link ChildMain},
 * the {@link Wire} over its standard input and output, and the line assemblers that print its
 * output. Shared by {@link ChildProcess} and the workers of {@link ProcessPool}.
 *
 * <p>The thread that reads the wire passes {@link Wire#OUTPUT} frames to {@link #output}; standard
 * error is copied by a pump thread of its own.
 */
final class ChildJvm {

    /** The flag Agrona needs in every JVM that loads it. */
    static final String AGRONA_EXPORT = "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED";

    /** Flags of this JVM that a child needs to load the same code the same way. */
    private static final List<String> INHERITED_PREFIXES = List.of(
            "--add-opens", "--add-exports", "--add-modules", "--add-reads", "--enable-preview", "--enable-native-access");

    private static volatile List<String> inheritedFlags;

    /** Changes once, when a spare is handed to a child; see {@link #adopt}. */
    private volatile String name;
    private volatile boolean adopted;
    private final Process process;
    private final Wire wire;
    private final LineAssembler stdout;
    private final LinePump stderr;
    private volatile boolean startTimedOut;

    private ChildJvm(String name, Process process) {
        this.name = name;
        this.process = process;
        this.wire = new Wire(process.getInputStream(), process.getOutputStream());
        this.stdout = new LineAssembler(StandardCharsets.UTF_8, LinePump.toCurrent(() -> System.out));
        this.stderr = LinePump.start(process.getErrorStream(), StandardCharsets.UTF_8,
                LinePump.toCurrent(() -> System.err), name + "-stderr");
    }

    /**
     * The JVM of a new child, by its start method: a spare if {@link StartMethod#FORKSERVER} has a warm
     * one of these settings (waiting for one that is still booting), else a fresh one. Returns as soon
     * as the child's JVM exists; the child reads its first frame when it is ready for it. Starts no
     * spare: see {@link Spares#replenish}.
     * @throws ChildStartException  if the process cannot be launched
     * @throws InterruptedException if interrupted while waiting for a spare that is still booting
     */
    static ChildJvm start(StartMethod method, String name, JvmOptions options, ChildClassPath classPath)
            throws ChildStartException, InterruptedException {
        if (method == StartMethod.FORKSERVER) {
            ChildJvm spare = Spares.take(name, options, classPath);
            if (spare != null) {
                return spare;
            }
        }
        return launch(name, options, classPath);
    }

    /**
     * Starts a child JVM; returns as soon as the operating system has started it.
     *
     * @throws ChildStartException if the process cannot be launched
     */
    static ChildJvm launch(String name, JvmOptions options, ChildClassPath classPath) throws ChildStartException {
        return launch(name, options, classPath, false);
    }

    /**
     * Starts a spare JVM: one that warms up, sends {@link Wire#WARM}, then waits for its orders as any
     * child does. See {@link Spares}.
     */
    static ChildJvm launchSpare(String name, JvmOptions options, ChildClassPath classPath) throws ChildStartException {
        return launch(name, options, classPath, true);
    }

    private static ChildJvm launch(String name, JvmOptions options, ChildClassPath classPath, boolean spare) throws ChildStartException {
        try {
            ClassDataArchive archive = ClassDataArchive.plan(options.classDataArchive(), classPath, options.commandLineFlags());
            List<String> command = command(name, options, classPath, archive == null ? List.of() : archive.flags());
            if (spare) {
                command.add(ChildMain.SPARE_ARGUMENT);
            }
            Process process;
            try {
                process = new ProcessBuilder(command).start();
            } catch (IOException | RuntimeException e) {
                if (archive != null) {
                    archive.childExited(-1);
                }
                throw e;
            }
            Processes.track(process);
            if (archive != null) {
                process.onExit().thenAccept(ended -> archive.childExited(ExitStatus.exitCode(ended.exitValue())));
            }
            return new ChildJvm(name, process);
        } catch (IOException | RuntimeException e) {
            throw new ChildStartException("cannot launch the JVM of " + name + ": " + e.getMessage(), e);
        }
    }

    /** The full command line of a child. */
    static List<String> command(String name, JvmOptions options, ChildClassPath classPath) {
        return command(name, options, classPath, List.of());
    }

    private static List<String> command(String name, JvmOptions options, ChildClassPath classPath, List<String> more) {
        List<String> command = new ArrayList<>(options.launchPrefix());
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> inherited = inheritedFlags();
        command.addAll(inherited);
        if (!inherited.contains(AGRONA_EXPORT)) {
            command.add(AGRONA_EXPORT);
        }
        // HotSpot prints some messages ("Terminating due to java.lang.OutOfMemoryError", crash banners)
        // on standard output, which carries frames here; on standard error they also reach the
        // failure messages.
        command.add("-XX:+DisplayVMOutputToStderr");
        // Unified logging writes its warnings to standard output by default; send them to standard
        // error. (Logging the user asks for, -Xlog:gc say, still goes to standard output, where the
        // parent passes it on as the child's output.)
        command.add("-Xlog:disable");
        command.add("-Xlog:all=warning:stderr");
        command.addAll(ClassDataArchive.compatible(options.commandLineFlags(), more));
        command.addAll(more);
        command.add("-D" + Processes.FAMILY_PROPERTY + "=" + Processes.family());
        command.add("-D" + Processes.NAME_PROPERTY + "=" + name);
        command.add("-cp");
        command.add(classPath.asArgument());
        command.add(ChildMain.class.getName());
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
     * Kills the child if {@code ready} has not completed within the timeout (a child that hangs
     * before it runs anything, on a machine too loaded or with a flag that makes it wait).
     */
    void killIfNotReady(CompletableFuture<?> ready, Duration timeout) {
        CompletableFuture.delayedExecutor(timeout.toMillis(), TimeUnit.MILLISECONDS).execute(() -> {
            if (!ready.isDone() && process.isAlive()) {
                startTimedOut = true;
                process.toHandle().destroyForcibly();
            }
        });
    }

    /** Why the child never became ready, once it has ended: it timed out, or its JVM exited. */
    ChildStartException startFailure(int exitCode, Duration timeout) {
        if (startTimedOut) {
            return new ChildStartException(name + " was not ready within " + timeout.toSeconds() + " s and was killed"
                    + stderrSummary());
        }
        return new ChildStartException("the JVM of " + name + " " + ExitStatus.describe(exitCode)
                + " before it was ready" + stderrSummary());
    }

    /** "; its last lines on standard error:" and those lines, or nothing if it printed none. */
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

    /** Gives a spare the name of the child it becomes (its messages name the child from now on). */
    void adopt(String childName) {
        name = childName;
        adopted = true;
    }

    /** Whether this JVM was a warm spare, already reading its standard input for its first frame. */
    boolean wasSpare() {
        return adopted;
    }

    Process process() {
        return process;
    }

    long pid() {
        return process.pid();
    }

    Wire wire() {
        return wire;
    }

    /** Prints what the child wrote to its {@code System.out} (the payload of an OUTPUT frame). */
    void output(byte[] bytes) {
        stdout.feed(bytes, 0, bytes.length);
    }

    /**
     * Waits for the process to end and returns its exit code, Python-style (see {@link ExitStatus}).
     * Called once the wire has ended, when the process is about to end or has: an interrupt is kept
     * for later rather than abandoning the wait.
     */
    int awaitExitCode() {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return ExitStatus.exitCode(process.waitFor());
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Prints what is left of the child's output once its wire has ended, waiting a little for its
     * standard error, so that everything is printed before anyone is told the child ended.
     */
    void finishOutput(Duration timeout) {
        stdout.finish();
        try {
            stderr.awaitEnd(timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Closes this side of the wire. */
    void closeWire() {
        try {
            wire.close();
        } catch (IOException e) {
            // nothing to do
        }
    }
}
