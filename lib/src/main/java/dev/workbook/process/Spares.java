package dev.workbook.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The idle spare JVMs of {@link StartMethod#FORKSERVER}, by the settings they were started with.
 *
 * <p>A spare is registered first (counted as coming, so that a child that starts meanwhile waits for
 * it rather than launch a fresh JVM) and launched then or a little later (see
 * {@link ChildProcess#REFILL_DELAY}). It is launched by a short-lived daemon thread of its own, which reads the spare's first
 * frame ({@link Wire#WARM}: booted and warmed up) and ends; from then on nobody reads the spare's
 * wire until a child takes it. Taking a spare that is still booting waits for it (it started before
 * any fresh JVM would), up to the start timeout.
 *
 * <p>Thread safety: every method may be called from any thread; the registry is guarded by a lock
 * that is never held while waiting for a spare.
 */
final class Spares {

    /** At most this many idle spares per settings: one per core serves a pool of that many workers. */
    static final int MAX_PER_SETTINGS = Math.max(1, Processes.cpuCount());
    /** Settings kept at once (say, a pool's and its children's); the least recently used beyond are stopped. */
    static final int MAX_SETTINGS = 2;

    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static final Object LOCK = new Object();
    /** Guarded by LOCK; in least-recently-used order. */
    private static final LinkedHashMap<Settings, Deque<Spare>> IDLE = new LinkedHashMap<>(4, 0.75f, true);

    private Spares() {
    }

    /**
     * What a spare must have been started with to be handed to a child: the launch (prefix, flags,
     * archive directory) and the class path, each jar with its size and modification time.
     */
    record Settings(List<String> launch, List<String> classPath) {

        static Settings of(JvmOptions options, ChildClassPath classPath) {
            List<String> launch = new ArrayList<>(options.launchPrefix());
            launch.add("|");
            launch.addAll(options.commandLineFlags());
            launch.add("|" + options.classDataArchive());
            List<String> entries = new ArrayList<>();
            for (String entry : classPath.entries()) {
                entries.add(entry + stamp(Path.of(entry)));
            }
            return new Settings(List.copyOf(launch), List.copyOf(entries));
        }

        private static String stamp(Path entry) {
            try {
                return Files.isRegularFile(entry) ? "@" + Files.size(entry) + "@" + Files.getLastModifiedTime(entry).toMillis() : "";
            } catch (IOException e) {
                return "@unreadable";
            }
        }
    }

    /**
     * One spare JVM: registered first (counted among the idle spares of its settings, so that a taker
     * waits for it rather than launch a fresh JVM), launched by {@link #launch()}, warm once its
     * {@link Wire#WARM} frame has come.
     */
    static final class Spare {
        final Settings settings;
        private final JvmOptions options;
        private final ChildClassPath classPath;
        private final AtomicBoolean launched = new AtomicBoolean();
        final CompletableFuture<ChildJvm> warm = new CompletableFuture<>();
        volatile ChildJvm jvm;
        volatile boolean stopped;

        private Spare(Settings settings, JvmOptions options, ChildClassPath classPath) {
            this.settings = settings;
            this.options = options;
            this.classPath = classPath;
        }

        /**
         * Starts the spare's boot thread, unless it was started already or the spare was stopped (then
         * its takers and waiters are told at once). Idempotent, returns at once, callable from any thread.
         */
        void launch() {
            if (!launched.compareAndSet(false, true)) {
                return;
            }
            if (stopped) {
                warm.completeExceptionally(new IllegalStateException("the spare was stopped before it was launched"));
                return;
            }
            // In the outermost thread group, not the caller's: the boot thread, and the spare's
            // standard-error pump it creates, outlive the call that asked for them, and a caller's
            // group may be waited for as a whole (JShell's local execution joins every thread of a
            // snippet's group).
            Thread boot = new Thread(outermostGroup(), () -> boot(options, classPath), "workbook-spare-boot");
            boot.setDaemon(true);
            boot.setContextClassLoader(Spares.class.getClassLoader());
            boot.start();
        }

        /** Launches the spare and reads its first frame; runs on the spare's own thread. */
        void boot(JvmOptions options, ChildClassPath classPath) {
            try {
                ChildJvm child = ChildJvm.launchSpare("spare-" + COUNTER.incrementAndGet(), options, classPath);
                jvm = child;
                if (stopped) {
                    child.process().toHandle().destroyForcibly();
                }
                child.process().onExit().thenRun(() -> forget(this));
                Wire.Frame frame;
                while ((frame = child.wire().receive(child::output)) != null) {
                    if (frame.type() == Wire.OUTPUT) {
                        child.output(frame.payload());
                    } else if (frame.type() == Wire.WARM) {
                        warm.complete(child);
                        return;
                    } else {
                        break;
                    }
                }
                throw new IOException("the spare JVM " + child.name() + " ended before it was warm" + child.stderrSummary());
            } catch (Throwable e) {
                warm.completeExceptionally(e);
                kill();
                forget(this);
            } finally {
                // ends the wait of a taker even if this thread was stopped before it got anywhere
                warm.completeExceptionally(new IllegalStateException("the spare's boot thread stopped"));
            }
        }

        /** The warm JVM, or null if it failed, died or did not get warm in time. */
        ChildJvm awaitWarm(Duration timeout) throws InterruptedException {
            try {
                ChildJvm child = warm.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
                return child.process().isAlive() ? child : null;
            } catch (ExecutionException | TimeoutException e) {
                return null;
            }
        }

        void kill() {
            stopped = true;
            if (!launched.get()) {
                launch(); // completes the waits on it, launches nothing
            }
            ChildJvm child = jvm;
            if (child != null) {
                child.process().toHandle().destroyForcibly();
                child.closeWire();
            }
        }

        long pid() {
            ChildJvm child = jvm;
            return child == null ? -1 : child.pid();
        }
    }

    /**
     * Hands out a warm spare started with exactly these settings, renamed {@code name}, or returns null
     * if there is none (the caller launches a fresh JVM). Spares of the same launch with another class
     * path are stopped: the class path has changed since they started. Dead spares are dropped. Starts
     * no spare: the caller calls {@link #replenish} once its child runs, so that the next spare's boot
     * does not compete with this child's first moments.
     */
    static ChildJvm take(String name, JvmOptions options, ChildClassPath classPath) throws InterruptedException {
        Settings settings = Settings.of(options, classPath);
        ChildJvm taken = null;
        while (taken == null) {
            Spare spare;
            synchronized (LOCK) {
                dropStale(settings);
                Deque<Spare> idle = IDLE.get(settings);
                spare = idle == null ? null : idle.poll();
            }
            if (spare == null) {
                break;
            }
            spare.launch(); // registered but waiting for its refill delay: a taker wants it now
            taken = spare.awaitWarm(options.startTimeout());
            if (taken == null) {
                spare.kill(); // died while idle, or never got warm: replaced, not handed out
            }
        }
        if (taken != null) {
            taken.adopt(name);
        }
        return taken;
    }

    /**
     * Starts one more spare of these settings in the background, unless {@link #MAX_PER_SETTINGS} are
     * idle already: in the place of one a child took, or of the one it found missing. Returns at once.
     */
    static void replenish(JvmOptions options, ChildClassPath classPath) {
        Spare spare = register(options, classPath);
        if (spare != null) {
            spare.launch();
        }
    }

    /**
     * Counts one more spare of these settings among the idle ones, without launching it, unless
     * {@link #MAX_PER_SETTINGS} are idle already (then returns null). The caller launches it later with
     * {@link Spare#launch()}; a child that takes it first, and {@link #awaitWarm}, launch it at once.
     * Registering before launching lets a caller put the next spare's boot off (so that it does not
     * compete for the cores with the child that just started) while a start in the meantime still waits
     * for that spare rather than launch a fresh JVM. Returns at once.
     */
    static Spare register(JvmOptions options, ChildClassPath classPath) {
        Settings settings = Settings.of(options, classPath);
        List<Spare> added;
        List<Spare> evicted = new ArrayList<>();
        synchronized (LOCK) {
            Deque<Spare> spares = IDLE.get(settings);
            int idle = spares == null ? 0 : spares.size();
            added = registerUpTo(settings, options, classPath, idle + 1, evicted);
        }
        evicted.forEach(Spare::kill);
        return added.isEmpty() ? null : added.get(0);
    }

    /**
     * Starts spares in the background until {@code count} (at most {@link #MAX_PER_SETTINGS}) idle
     * spares of these settings exist. Returns at once.
     */
    static void ensure(JvmOptions options, ChildClassPath classPath, int count) {
        Settings settings = Settings.of(options, classPath);
        List<Spare> toBoot;
        List<Spare> evicted = new ArrayList<>();
        synchronized (LOCK) {
            toBoot = registerUpTo(settings, options, classPath, count, evicted);
        }
        evicted.forEach(Spare::kill);
        toBoot.forEach(Spare::launch);
    }

    /**
     * Adds unlaunched spares until {@code count} (at most {@link #MAX_PER_SETTINGS}) idle spares of these
     * settings exist, and moves the spares of the settings evicted to make room into {@code evicted},
     * for the caller to kill once it has let go of LOCK; called with LOCK held. Returns the spares added.
     */
    private static List<Spare> registerUpTo(Settings settings, JvmOptions options, ChildClassPath classPath, int count,
            List<Spare> evicted) {
        List<Spare> added = new ArrayList<>();
        dropStale(settings);
        Deque<Spare> idle = IDLE.computeIfAbsent(settings, key -> new ArrayDeque<>());
        while (idle.size() < Math.min(count, MAX_PER_SETTINGS)) {
            Spare spare = new Spare(settings, options, classPath);
            idle.add(spare);
            added.add(spare);
        }
        Iterator<Map.Entry<Settings, Deque<Spare>>> oldest = IDLE.entrySet().iterator();
        while (IDLE.size() > MAX_SETTINGS && oldest.hasNext()) {
            Map.Entry<Settings, Deque<Spare>> entry = oldest.next();
            if (!entry.getKey().equals(settings)) {
                evicted.addAll(entry.getValue());
                oldest.remove();
            }
        }
        return added;
    }

    private static ThreadGroup outermostGroup() {
        ThreadGroup group = Thread.currentThread().getThreadGroup();
        while (group.getParent() != null) {
            group = group.getParent();
        }
        return group;
    }

    /** Stops the spares of the same launch but another class path; called with LOCK held. */
    private static void dropStale(Settings wanted) {
        Iterator<Map.Entry<Settings, Deque<Spare>>> entries = IDLE.entrySet().iterator();
        while (entries.hasNext()) {
            Map.Entry<Settings, Deque<Spare>> entry = entries.next();
            if (entry.getKey().launch().equals(wanted.launch()) && !entry.getKey().classPath().equals(wanted.classPath())) {
                entry.getValue().forEach(Spare::kill);
                entries.remove();
            }
        }
    }

    /** Drops a spare that exited while idle (it is not handed out; the next take starts another). */
    private static void forget(Spare spare) {
        synchronized (LOCK) {
            Deque<Spare> idle = IDLE.get(spare.settings);
            if (idle != null) {
                idle.remove(spare);
            }
        }
    }

    /** Kills every idle spare. */
    static void stopAll() {
        List<Spare> all = new ArrayList<>();
        synchronized (LOCK) {
            IDLE.values().forEach(all::addAll);
            IDLE.clear();
        }
        all.forEach(Spare::kill);
    }

    /** The pids of the idle spares that have been launched, for tests and measurements. */
    static List<Long> idlePids() {
        List<Long> pids = new ArrayList<>();
        synchronized (LOCK) {
            for (Deque<Spare> idle : IDLE.values()) {
                for (Spare spare : idle) {
                    if (spare.pid() > 0) {
                        pids.add(spare.pid());
                    }
                }
            }
        }
        return pids;
    }

    /** Waits until every idle spare is warm or has failed; see {@link StartMethod#awaitSpares}. */
    static boolean awaitWarm(Duration timeout) throws InterruptedException {
        Objects.requireNonNull(timeout, "timeout");
        long deadline = System.nanoTime() + timeout.toNanos();
        List<CompletableFuture<ChildJvm>> pending = new ArrayList<>();
        List<Spare> all = new ArrayList<>();
        synchronized (LOCK) {
            IDLE.values().forEach(all::addAll);
        }
        for (Spare spare : all) {
            spare.launch(); // one waiting for its refill delay: whoever waits for the spares wants it now
            pending.add(spare.warm);
        }
        for (CompletableFuture<ChildJvm> warm : pending) {
            try {
                warm.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (ExecutionException e) {
                // failed: gone, which is not waiting
            } catch (TimeoutException e) {
                return false;
            }
        }
        return true;
    }
}
