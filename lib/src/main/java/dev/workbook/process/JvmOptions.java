package dev.workbook.process;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Settings of the child JVMs a {@link ChildProcess} or {@link ProcessPool} starts. Immutable: each
 * {@code with...} method returns a copy.
 *
 * <p>Every child gets the parent's class path (see {@link ChildProcess}), the parent's module flags
 * ({@code --add-opens}, {@code --add-exports}, {@code --add-modules}, {@code --add-reads},
 * {@code --enable-preview}, {@code --enable-native-access}), and
 * {@code --add-exports java.base/jdk.internal.misc=ALL-UNNAMED}, which Agrona needs in every JVM.
 * On top of that, {@link #defaults()} adds flags that make a small child start faster without slowing
 * CPU-bound work (see {@link #withStartupTuning}), and whatever {@link #withFlags} adds, last, so
 * that it wins.
 */
public final class JvmOptions {

    private static final Pattern SIZE = Pattern.compile("[1-9][0-9]*[kKmMgGtT]?");

    /**
     * The flags of {@link #withStartupTuning}:
     * <ul>
     *   <li>{@code -XX:+UseSerialGC}: the serial collector starts fastest (no concurrent collector
     *       threads to set up) and suits a child that owns one core;</li>
     *   <li>{@code -XX:-UsePerfData}: no performance-data file ({@code /tmp/hsperfdata_*}) to create;</li>
     *   <li>{@code -Xshare:auto}: class-data sharing of the JDK's classes (the default since JDK 12);</li>
     *   <li>tier-3 (C1) invocation thresholds ten times the default: a fresh JVM otherwise compiles
     *       hundreds of lukewarm JDK methods (serialization, collections) in its first second, on the
     *       very cores the work needs. Hot code still compiles within milliseconds, and loops through
     *       their own (unchanged) back-edge counters, so peak speed is the same. Measured: a cold
     *       two-worker pool used 30-40 ms less CPU per run on the lesson's workload.</li>
     * </ul>
     * No flag here caps the JIT's optimisation level ({@code -XX:TieredStopAtLevel=1} starts faster
     * but makes CPU-bound code several times slower).
     */
    static final List<String> STARTUP_FLAGS = List.of("-XX:+UseSerialGC", "-XX:-UsePerfData", "-Xshare:auto",
            "-XX:Tier3InvocationThreshold=2000", "-XX:Tier3MinInvocationThreshold=1000", "-XX:Tier3CompileThreshold=20000");

    private static final JvmOptions DEFAULTS = new JvmOptions(null, true, List.of(), Duration.ofSeconds(60), null, List.of());

    private final String maxHeap;
    private final boolean startupTuning;
    private final List<String> flags;
    private final Duration startTimeout;
    private final Path classDataArchive;
    private final List<String> launchPrefix;

    private JvmOptions(String maxHeap, boolean startupTuning, List<String> flags, Duration startTimeout, Path classDataArchive,
            List<String> launchPrefix) {
        this.maxHeap = maxHeap;
        this.startupTuning = startupTuning;
        this.flags = List.copyOf(flags);
        this.startTimeout = startTimeout;
        this.classDataArchive = classDataArchive;
        this.launchPrefix = List.copyOf(launchPrefix);
    }

    /** No heap limit of its own (the JVM's default), start-up tuning on, no extra flags, 60 s to start. */
    public static JvmOptions defaults() {
        return DEFAULTS;
    }

    /**
     * The maximum heap, as for {@code -Xmx}: a number with an optional unit {@code k}, {@code m},
     * {@code g} or {@code t}, such as {@code "256m"}.
     *
     * @throws IllegalArgumentException if the size is malformed
     */
    public JvmOptions withMaxHeap(String size) {
        Objects.requireNonNull(size, "size");
        if (!SIZE.matcher(size).matches()) {
            throw new IllegalArgumentException("max heap '" + size + "' is not a size such as 512m or 2g"
                    + " (a positive number, then optionally k, m, g or t)");
        }
        return new JvmOptions(size, startupTuning, flags, startTimeout, classDataArchive, launchPrefix);
    }

    /**
     * Adds JVM flags, such as {@code -Dname=value} or {@code -XX:+UseParallelGC}, after all others.
     *
     * @throws IllegalArgumentException if a flag does not start with '-' (a flag, not a program argument)
     */
    public JvmOptions withFlags(String... extra) {
        List<String> all = new ArrayList<>(flags);
        for (String flag : extra) {
            Objects.requireNonNull(flag, "flag");
            if (!flag.startsWith("-")) {
                throw new IllegalArgumentException("JVM flag '" + flag + "' does not start with '-';"
                        + " give flags such as -Xss2m or -Dkey=value");
            }
            all.add(flag);
        }
        return new JvmOptions(maxHeap, startupTuning, all, startTimeout, classDataArchive, launchPrefix);
    }

    /** Whether to add the start-up flags (see {@link #STARTUP_FLAGS}: serial collector, no perf data, fewer early compilations). */
    public JvmOptions withStartupTuning(boolean on) {
        return new JvmOptions(maxHeap, on, flags, startTimeout, classDataArchive, launchPrefix);
    }

    /**
     * How long a child may take to start and report ready before it is killed and reported as failed
     * to start; generous by default because a loaded machine can be slow.
     */
    public JvmOptions withStartTimeout(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("start timeout must be positive, was " + timeout);
        }
        return new JvmOptions(maxHeap, startupTuning, flags, timeout, classDataArchive, launchPrefix);
    }

    /**
     * Keeps an application class-data sharing archive for the children in this directory: the
     * first child records the classes it loads when it exits, and later children start from the
     * archive instead of loading, parsing and verifying those classes again. Measured on 2 cores: a
     * worker's start-to-ready p50 drops from 71 to 47 ms; a two-worker pool started and stopped around
     * the lesson's workload took 1.44x-1.46x the thread pool's time with the archive, 1.49x-1.51x
     * without (recorded by a worker that ran the workload, as a pool's first worker does).
     *
     * <p>JDK 17 can only archive classes from jars: the option does nothing while the class path has
     * a non-empty directory (a build's {@code target/classes}). The archive is specific to the JDK,
     * class path (with its jars' sizes and times) and flags, and is named after them; the directory
     * keeps the newest eight. The recording child takes a few hundred milliseconds longer to exit.
     *
     * @param directory where to keep archives, created if needed; null for none (the default)
     */
    public JvmOptions withClassDataArchive(Path directory) {
        return new JvmOptions(maxHeap, startupTuning, flags, startTimeout, directory, launchPrefix);
    }

    /**
     * A command the child's {@code java} runs under, such as {@code taskset -c 1} to pin it to a core
     * (the benchmarks do): the child's command line is the prefix, then {@code java ...}. The prefix
     * must exec {@code java} in its own process, as {@code taskset}, {@code nice} and {@code chrt} do,
     * so that the child's pid stays the JVM's. Empty (the default) for none.
     *
     * @throws IllegalArgumentException if a word is blank
     */
    public JvmOptions withLaunchPrefix(String... command) {
        for (String word : command) {
            if (Objects.requireNonNull(word, "word").isBlank()) {
                throw new IllegalArgumentException("launch prefix " + List.of(command) + " has a blank word;"
                        + " give the command word by word, such as \"taskset\", \"-c\", \"1\"");
            }
        }
        return new JvmOptions(maxHeap, startupTuning, flags, startTimeout, classDataArchive, List.of(command));
    }

    /** The command the child's {@code java} runs under, or an empty list. */
    public List<String> launchPrefix() {
        return launchPrefix;
    }

    /** The directory of class-data sharing archives, or null for none. */
    public Path classDataArchive() {
        return classDataArchive;
    }

    /** The maximum heap, or null for the JVM's default. */
    public String maxHeap() {
        return maxHeap;
    }

    public boolean startupTuning() {
        return startupTuning;
    }

    /** The extra flags, in order. */
    public List<String> flags() {
        return flags;
    }

    public Duration startTimeout() {
        return startTimeout;
    }

    /** The flags these settings add to a child's command line, in order. */
    List<String> commandLineFlags() {
        List<String> out = new ArrayList<>();
        if (startupTuning) {
            // The JVM refuses two collector choices, so a collector in the extra flags replaces ours.
            boolean collectorChosen = flags.stream().anyMatch(flag -> flag.matches("-XX:\\+Use\\w+GC"));
            for (String flag : STARTUP_FLAGS) {
                if (!(collectorChosen && flag.equals("-XX:+UseSerialGC"))) {
                    out.add(flag);
                }
            }
        }
        if (maxHeap != null) {
            out.add("-Xmx" + maxHeap);
        }
        out.addAll(flags);
        return out;
    }

    @Override
    public String toString() {
        return "JvmOptions" + (launchPrefix.isEmpty() ? "" : launchPrefix + " ") + commandLineFlags() + " startTimeout=" + startTimeout
                + (classDataArchive != null ? " classDataArchive=" + classDataArchive : "");
    }
}
