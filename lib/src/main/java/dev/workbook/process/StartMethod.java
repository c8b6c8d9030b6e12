package dev.workbook.process;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * How a {@link ChildProcess} or a {@link ProcessPool} worker gets its JVM: Python's
 * {@code multiprocessing} start methods, under CPython's names.
 *
 * <ul>
 *   <li>{@link #SPAWN}: a fresh JVM for every child, as CPython's {@code spawn} starts a fresh
 *       interpreter. The child pays the JVM's whole start-up (some 60-100 ms on 2 cores).</li>
 *   <li>{@link #FORKSERVER}: the child takes a <em>spare</em>, a JVM started earlier that has booted,
 *       loaded this library and run its boot and call path once (Java serialization, lambdas, the
 *       message codec), and now waits for its orders; a new spare is started in the background.
 *       CPython's {@code forkserver} (its default on Linux since 3.14) keeps one clean process ready
 *       and forks new children from it; a JVM cannot fork, so here the clean process <em>becomes</em>
 *       the child. The name is CPython's so that code and notes translate one for one; what matters
 *       is the same: a clean process, started ahead of time, that inherits nothing from the code that
 *       ran in the parent.</li>
 * </ul>
 * CPython's third method, {@code fork}, does not exist on the JVM ({@link #named} says so).
 *
 * <h2>What a spare is</h2>
 * A child like any other: it takes the parent's class path and JVM options (the child's
 * {@link JvmOptions}), dies with the parent (its standard input is the parent's pipe, as every
 * child's), and is stopped at the parent's normal exit. It is handed out only to a child whose
 * settings are exactly the ones it started with: the same JVM options and launch prefix, the same
 * class path, and the same size and modification time of every jar on it. A notebook's {@code %jars}
 * changes the class path, so the spares started before it are stopped, never handed out; a rebuilt jar
 * likewise. (A <em>directory</em> on the class path, such as a build's {@code target/classes}, is
 * compared by name only.) A spare that died while it waited is not handed out: the child gets a fresh
 * JVM. Until a spare is handed out it is nobody's child: it is not in
 * {@link Processes#activeChildren()}, and its {@code ps} name is {@code spare-N}, not the child's.
 * JShell classes and variables are sent with the target, as with {@link #SPAWN}.
 *
 * <h2>What a spare costs</h2>
 * Memory and a JVM start. An idle spare is a whole JVM waiting on a pipe; measured on the development
 * machine (default {@link JvmOptions}): 46.5 MB resident on JDK 17, 52 MB on 25, and no CPU while it
 * waits (no clock tick in 10 s); booting and warming it up took 220 ms of CPU (see
 * {@code docs/processes.md}). Once a child that took a spare has ended, or at the latest
 * {@code ChildProcess.REFILL_DELAY} (50 ms) after it runs its target, the next spare starts, so a start
 * still costs a JVM boot's CPU, in the background rather than on the caller's path. A
 * {@link ProcessPool} leaves as many spares as it has workers (at most one per core) when it has shut
 * down, so that the next pool starts warm; the spares it takes while it is running (a dead worker's
 * replacement, {@link ProcessPool.Builder#maxTasksPerWorker}) are refilled as each replacement is
 * ready. Switch it off ({@link #SPAWN})
 * when memory is short, when children are started rarely (a spare then only sits there), or when the
 * cores are busy with the work the children do and each start is followed at once by heavy work (the
 * background boot then competes with it).
 *
 * <p>The default is {@link #defaultMethod()}: {@link #FORKSERVER} unless changed with
 * {@link #setDefault}, as CPython 3.14 on Linux. Each {@link ChildProcess} and pool may choose its own.
 */
public enum StartMethod {

    /** A fresh JVM for every child. */
    SPAWN("spawn"),

    /** A spare JVM started ahead of time becomes the child; a new spare is started in the background. */
    FORKSERVER("forkserver");

    private static volatile StartMethod defaultMethod = FORKSERVER;

    private final String pythonName;

    StartMethod(String pythonName) {
        this.pythonName = pythonName;
    }

    /** The name CPython gives this method: {@code spawn} or {@code forkserver}. */
    public String pythonName() {
        return pythonName;
    }

    /**
     * The method of this CPython name ({@code "spawn"}, {@code "forkserver"}), for code that follows
     * {@code multiprocessing.set_start_method("forkserver")}.
     *
     * @throws IllegalArgumentException for {@code "fork"} (the JVM cannot fork) and unknown names
     */
    public static StartMethod named(String name) {
        Objects.requireNonNull(name, "name");
        String wanted = name.strip().toLowerCase(Locale.ROOT);
        for (StartMethod method : values()) {
            if (method.pythonName.equals(wanted)) {
                return method;
            }
        }
        if (wanted.equals("fork")) {
            throw new IllegalArgumentException("start method 'fork' does not exist on the JVM: a JVM cannot fork"
                    + " (see ForkExample); use 'forkserver' for a child that starts almost as fast, or 'spawn'");
        }
        throw new IllegalArgumentException("unknown start method '" + name + "': use 'spawn' or 'forkserver'");
    }

    /**
     * The method of children and pools that do not choose one; Python's
     * {@code multiprocessing.get_start_method()}.
     */
    public static StartMethod defaultMethod() {
        return defaultMethod;
    }

    /**
     * Sets the method of children and pools that do not choose one, from now on; Python's
     * {@code multiprocessing.set_start_method}. Setting {@link #SPAWN} also stops the idle spares.
     */
    public static void setDefault(StartMethod method) {
        defaultMethod = Objects.requireNonNull(method, "method");
        if (method == SPAWN) {
            stopSpares();
        }
    }

    /**
     * Stops every idle spare JVM now (they are killed; none is handed out after this). Children that
     * took a spare are not affected. Returns at once; the spares exit within milliseconds.
     */
    public static void stopSpares() {
        Spares.stopAll();
    }

    /**
     * Waits until every spare started so far has booted and warmed up, or has failed, or the timeout
     * has passed: for timing a start "with a spare ready", as the benchmarks and notebook 1 do.
     *
     * @return whether all spares were warm (or gone) within the timeout
     * @throws InterruptedException if interrupted while waiting
     */
    public static boolean awaitSpares(Duration timeout) throws InterruptedException {
        return Spares.awaitWarm(timeout);
    }

    /** The CPython name. */
    @Override
    public String toString() {
        return pythonName;
    }
}
