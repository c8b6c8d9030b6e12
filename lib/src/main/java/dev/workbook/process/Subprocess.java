package dev.workbook.process;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Runs another program and collects its exit code and output: Python's {@code subprocess.run} and
 * {@code subprocess.call}, for notebooks that compare with another runtime (say, the Python version of
 * an experiment).
 *
 * <pre>{@code
 * CompletedProcess python = Subprocess.of("python3", "primes.py").timeout(Duration.ofMinutes(2)).run();
 * System.out.println(python.stdout());
 * int code = Subprocess.of("make", "test").call();   // output shown live, in the notebook cell too
 * }</pre>
 *
 * <p>{@link #run()} captures the output; {@link #call()} copies it live, line by line, to the current
 * {@code System.out} and {@code System.err}, as {@link ChildProcess} does. Output is decoded with the
 * platform's native encoding unless {@link #charset} says otherwise. Standard input is empty unless
 * {@link #input} gives it. With a {@link #timeout}, a program that runs too long is killed, with its
 * own children, and a {@link SubprocessException} is thrown. A program still running when this JVM
 * shuts down normally is stopped; one started here cannot be watched after a SIGKILL of this JVM.
 *
 * <p>A {@code Subprocess} is an immutable description: each setting returns a copy, and it may be run
 * any number of times, from any thread.
 */
public final class Subprocess {

    private final List<String> command;
    private final Path directory;
    private final Map<String, String> environment;
    private final String input;
    private final Duration timeout;
    private final Charset charset;

    private Subprocess(List<String> command, Path directory, Map<String, String> environment, String input,
            Duration timeout, Charset charset) {
        this.command = List.copyOf(command);
        this.directory = directory;
        this.environment = Map.copyOf(environment);
        this.input = input;
        this.timeout = timeout;
        this.charset = charset;
    }

    /**
     * A program and its arguments, such as {@code of("python3", "-c", "print(1)")}; the program is
     * looked up on the {@code PATH}. No shell is involved, so arguments need no quoting.
     *
     * @throws IllegalArgumentException if the command is empty
     */
    public static Subprocess of(String... command) {
        return of(List.of(command));
    }

    /** See {@link #of(String...)}. */
    public static Subprocess of(List<String> command) {
        if (command.isEmpty()) {
            throw new IllegalArgumentException("a command needs at least the program to run");
        }
        return new Subprocess(command, null, Map.of(), null, null, nativeCharset());
    }

    /** Runs in this directory instead of this JVM's working directory. */
    public Subprocess directory(Path workingDirectory) {
        return new Subprocess(command, Objects.requireNonNull(workingDirectory, "directory"), environment, input, timeout, charset);
    }

    /** Sets an environment variable for the program (on top of this JVM's environment). */
    public Subprocess environment(String name, String value) {
        Map<String, String> more = new HashMap<>(environment);
        more.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
        return new Subprocess(command, directory, more, input, timeout, charset);
    }

    /** Gives the program this text on its standard input (encoded with {@link #charset}). */
    public Subprocess input(String text) {
        return new Subprocess(command, directory, environment, Objects.requireNonNull(text, "input"), timeout, charset);
    }

    /**
     * Kills the program (and its children) if it runs longer than this.
     *
     * @throws IllegalArgumentException if the timeout is not positive
     */
    public Subprocess timeout(Duration limit) {
        Objects.requireNonNull(limit, "timeout");
        if (limit.isNegative() || limit.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, was " + limit);
        }
        return new Subprocess(command, directory, environment, input, limit, charset);
    }

    /** Decodes the program's output, and encodes its input, with this charset. */
    public Subprocess charset(Charset encoding) {
        return new Subprocess(command, directory, environment, input, timeout, Objects.requireNonNull(encoding, "charset"));
    }

    /**
     * Runs the program to completion and returns its exit code and captured output; a non-zero exit
     * code is not an error here (see {@link CompletedProcess#checkExitCode()}).
     *
     * @throws IOException          if the program cannot be started (not found, not executable), or
     *                              a {@link SubprocessException} if it ran past the timeout
     * @throws InterruptedException if interrupted while waiting; the program is then killed
     */
    public CompletedProcess run() throws IOException, InterruptedException {
        StringBuilder out = new StringBuilder();
        StringBuilder err = new StringBuilder();
        return execute(collector(out), collector(err), out, err);
    }

    /**
     * Runs the program to completion, printing its output live to the current {@code System.out} and
     * {@code System.err}, and returns its exit code; Python's {@code subprocess.call}.
     *
     * @throws IOException          as for {@link #run()}
     * @throws InterruptedException as for {@link #run()}
     */
    public int call() throws IOException, InterruptedException {
        return execute(LinePump.toCurrent(() -> System.out), LinePump.toCurrent(() -> System.err), null, null).exitCode();
    }

    private static LineAssembler.Sink collector(StringBuilder text) {
        return (line, terminated) -> {
            synchronized (text) {
                text.append(line);
                if (terminated) {
                    text.append('\n');
                }
            }
        };
    }

    private CompletedProcess execute(LineAssembler.Sink outSink, LineAssembler.Sink errSink, StringBuilder out, StringBuilder err)
            throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command);
        if (directory != null) {
            builder.directory(directory.toFile());
        }
        builder.environment().putAll(environment);
        if (input == null) {
            builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        }
        long started = System.nanoTime();
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new IOException("cannot run " + String.join(" ", command) + ": " + e.getMessage(), e);
        }
        Processes.track(process);
        LinePump stdout = LinePump.start(process.getInputStream(), charset, outSink, "subprocess-" + process.pid() + "-stdout");
        LinePump stderr = LinePump.start(process.getErrorStream(), charset, errSink, "subprocess-" + process.pid() + "-stderr");
        try {
            if (input != null) {
                try (OutputStream stdin = process.getOutputStream()) {
                    stdin.write(input.getBytes(charset));
                } catch (IOException e) {
                    // the program does not read its input: not our error
                }
            }
            boolean finished = timeout == null || process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS);
            if (!finished) {
                killTree(process);
            }
            int exitCode = ExitStatus.exitCode(process.waitFor());
            stdout.awaitEnd(Duration.ofSeconds(2));
            stderr.awaitEnd(Duration.ofSeconds(2));
            CompletedProcess result = new CompletedProcess(command, exitCode, text(out), text(err),
                    Duration.ofNanos(System.nanoTime() - started));
            if (!finished) {
                throw new SubprocessException(String.join(" ", command) + " did not finish within " + timeout
                        + " and was killed", result);
            }
            return result;
        } catch (InterruptedException e) {
            killTree(process);
            throw e;
        }
    }

    /**
     * Kills the program, then its descendants, listed first: once the program is dead they belong
     * to another parent. The program goes first so that it cannot see a child die and exit normally
     * before its own signal arrives.
     */
    private static void killTree(Process process) {
        List<ProcessHandle> descendants = process.descendants().toList();
        process.toHandle().destroyForcibly();
        descendants.forEach(ProcessHandle::destroyForcibly);
    }

    private static String text(StringBuilder builder) {
        if (builder == null) {
            return "";
        }
        synchronized (builder) {
            return builder.toString();
        }
    }

    private static Charset nativeCharset() {
        try {
            return Charset.forName(System.getProperty("native.encoding", Charset.defaultCharset().name()));
        } catch (RuntimeException e) {
            return Charset.defaultCharset();
        }
    }

    @Override
    public String toString() {
        return "Subprocess" + new ArrayList<>(command) + (timeout != null ? " timeout=" + timeout : "");
    }
}
