package dev.workbook.sharedstate;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Whether a thread sees another's write to a stop flag: a plain {@code boolean}, a {@code volatile}
 * one, an {@code AtomicBoolean}, and an interrupt. Without a happens-before edge the JIT compiler may
 * read a plain field once, before the reader's loop, and never again (hoisting it), so the reader
 * spins forever; with one, it stops within microseconds. Whether the plain reader stops depends on the
 * JVM, its flags and the machine: the interpreter ({@code -Xint}) reads the field every time.
 *
 * <p>The probe ({@link VisibilityProbe}) runs in a child JVM, because a reader whose loop was
 * compiled with the read hoisted cannot be stopped from its own JVM: a second, volatile kill switch
 * read inside the loop would change the loop (the volatile read stops the hoisting, and the plain
 * reader would see its flag); one read outside the loop is never reached; and
 * {@code Thread.stop} is gone. So the reader is a daemon thread of a JVM whose main thread ends after
 * a bounded wait, and the parent destroys that JVM if it has not ended a few seconds later. Nothing
 * keeps spinning afterwards.
 *
 * <pre>{@code
 * Visibility.Outcome here = Visibility.probe(Visibility.currentJdk());
 * Visibility.table(List.of(here));   // "not seen within 1 s" for the plain flag, microseconds for the others
 * }</pre>
 */
public final class Visibility {

    /** How long the writer waits for the reader to stop. */
    public static final Duration BOUND = Duration.ofSeconds(1);

    /** How long a reader spins before its flag is set, so that its loop has been compiled. */
    static final Duration WARM_UP = Duration.ofMillis(300);

    /** How long the child JVM may take to end after its last result before it is destroyed. */
    static final Duration GRACE = Duration.ofSeconds(5);

    /** The longest the whole probe may take (start-up, four flags, exit) before the child is destroyed. */
    static final Duration TIME_LIMIT = Duration.ofSeconds(60);

    private static final Pattern RESULT = Pattern.compile("^RESULT flag=(\\S+) seen=(true|false) micros=(-?\\d+)$");

    private Visibility() {
    }

    /** One flag's result: whether the reader stopped within {@link #BOUND}, and how soon. */
    public record Sighting(String flag, boolean seen, long micros) {
    }

    /**
     * A probe's results in one child JVM.
     *
     * @param jvm               the child's {@code java -version} line, and its extra flags
     * @param sightings         one per flag, in the order they were tried
     * @param millisToEnd       from the child's last line to its exit
     * @param destroyed         whether the parent had to destroy the child (it did not end within the grace)
     */
    public record Outcome(String jvm, List<Sighting> sightings, long millisToEnd, boolean destroyed) {
    }

    /** The JDK this JVM runs on. */
    public static Path currentJdk() {
        return Path.of(System.getProperty("java.home"));
    }

    /**
     * A JDK of this feature release installed under {@code /usr/lib/jvm} (a directory whose name
     * contains {@code -<feature>} and has {@code bin/java}), if there is one.
     */
    public static Optional<Path> findJdk(int feature) {
        Path jvms = Path.of("/usr/lib/jvm");
        if (!Files.isDirectory(jvms)) {
            return Optional.empty();
        }
        try (DirectoryStream<Path> candidates = Files.newDirectoryStream(jvms, "*-" + feature + "*")) {
            for (Path candidate : candidates) {
                if (Files.isExecutable(candidate.resolve("bin/java"))) {
                    return Optional.of(candidate);
                }
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    /**
     * Runs the probe in a child JVM of the JDK at {@code javaHome}, with extra JVM flags (say
     * {@code -Xint}). Blocks for about four warm-ups and one {@link #BOUND} plus the child's start-up.
     *
     * @throws IllegalArgumentException if {@code javaHome} has no {@code bin/java}
     * @throws IllegalStateException    if the child fails, prints something unexpected, or takes longer
     *                                  than {@link #TIME_LIMIT} (it is destroyed)
     * @throws InterruptedException     if interrupted; the child is destroyed
     */
    public static Outcome probe(Path javaHome, String... jvmFlags) throws IOException, InterruptedException {
        Path java = javaHome.resolve("bin/java");
        if (!Files.isExecutable(java)) {
            throw new IllegalArgumentException(javaHome + " is not a JDK: it has no executable bin/java;"
                    + " give the directory that contains bin/java, e.g. Visibility.currentJdk()");
        }
        List<String> command = new ArrayList<>(List.of(java.toString()));
        command.addAll(List.of(jvmFlags));
        command.addAll(List.of("-cp", ownClassPath(), VisibilityProbe.class.getName(),
                String.valueOf(BOUND.toMillis()), String.valueOf(WARM_UP.toMillis())));
        String version = versionLine(java, jvmFlags) + (jvmFlags.length == 0 ? "" : " " + String.join(" ", jvmFlags));
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        // Whatever happens to this thread, the child does not outlive the time limit.
        CompletableFuture.delayedExecutor(TIME_LIMIT.toMillis(), TimeUnit.MILLISECONDS).execute(child::destroyForcibly);
        try {
            List<Sighting> sightings = new ArrayList<>();
            StringBuilder other = new StringBuilder();
            boolean done = false;
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while (!done && (line = lines.readLine()) != null) {
                    Matcher result = RESULT.matcher(line);
                    if (result.matches()) {
                        sightings.add(new Sighting(result.group(1), Boolean.parseBoolean(result.group(2)),
                                Long.parseLong(result.group(3))));
                    } else if (line.equals("DONE")) {
                        done = true;
                    } else {
                        other.append(line).append('\n');
                    }
                }
            }
            long doneAt = System.nanoTime();
            boolean ended = child.waitFor(GRACE.toMillis(), TimeUnit.MILLISECONDS);
            long millisToEnd = (System.nanoTime() - doneAt) / 1_000_000;
            if (!ended) {
                child.destroyForcibly().waitFor();
            }
            if (!done || sightings.size() != VisibilityProbe.FLAGS.length) {
                throw new IllegalStateException("the visibility probe on " + version + " ended without its results"
                        + (child.isAlive() ? "" : " (exit code " + child.exitValue() + ")") + "; it printed:\n" + other);
            }
            return new Outcome(version, List.copyOf(sightings), millisToEnd, !ended);
        } finally {
            if (child.isAlive()) {
                child.destroyForcibly();
            }
        }
    }

    /** One row per JVM and flag: whether the reader saw the write, how soon, and how its JVM ended. */
    public static Table table(List<Outcome> outcomes) {
        StringColumn jvm = StringColumn.create("jvm");
        StringColumn flag = StringColumn.create("flag");
        StringColumn seen = StringColumn.create("reader stopped");
        DoubleColumn micros = DoubleColumn.create("after_us");
        StringColumn ending = StringColumn.create("child JVM");
        for (Outcome outcome : outcomes) {
            for (Sighting sighting : outcome.sightings()) {
                jvm.append(outcome.jvm());
                flag.append(sighting.flag());
                seen.append(sighting.seen() ? "yes" : "not seen within " + BOUND.toSeconds() + " s");
                if (sighting.seen()) {
                    micros.append(sighting.micros());
                } else {
                    micros.appendMissing();
                }
                ending.append(outcome.destroyed() ? "destroyed by the parent"
                        : "ended by itself " + outcome.millisToEnd() + " ms after its last result");
            }
        }
        return Table.create("a stop flag set by one thread, read in a loop by another", jvm, flag, seen, micros, ending);
    }

    private static String versionLine(Path java, String... jvmFlags) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(java.toString()));
        command.addAll(List.of(jvmFlags));
        command.add("-version");
        Process version = new ProcessBuilder(command).redirectErrorStream(true).start();
        String text = new String(version.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!version.waitFor(20, TimeUnit.SECONDS)) {
            version.destroyForcibly();
        }
        // "openjdk version "17.0.15" 2025-04-15" ... "OpenJDK 64-Bit Server VM (build ..., mixed mode, sharing)":
        // the version, and whether the JIT is on (mixed mode) or not (interpreted mode, with -Xint).
        Matcher number = Pattern.compile("version \"([^\"]+)\"").matcher(text);
        Matcher mode = Pattern.compile("(mixed|interpreted|compiled) mode").matcher(text);
        return (number.find() ? number.group(1) : java.toString()) + (mode.find() ? ", " + mode.group() : "");
    }

    /** Where VisibilityProbe's class file is (a jar or a directory); it needs nothing else. */
    private static String ownClassPath() {
        CodeSource source = VisibilityProbe.class.getProtectionDomain().getCodeSource();
        if (source == null || source.getLocation() == null) {
            throw new IllegalStateException("cannot tell where " + VisibilityProbe.class.getName() + " was loaded from,"
                    + " so a child JVM cannot load it; put the workbook library on the class path as a jar or directory");
        }
        try {
            return Path.of(source.getLocation().toURI()).toString();
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new IllegalStateException("the class path entry " + source.getLocation() + " is not a local file", e);
        }
    }
}
