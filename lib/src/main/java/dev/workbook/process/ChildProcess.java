package dev.workbook.process;

import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs a function in a child JVM: the JVM's answer to Python's {@code multiprocessing.Process}, whose
 * names it follows ({@code start}, {@code join}, {@code isAlive}, {@code exitCode}, {@code terminate},
 * {@code kill}, daemon flag). Named so as not to clash with {@link java.lang.Process}.
 *
 * <pre>{@code
 * List<Integer> nums = new ArrayList<>(List.of(20, 30, 40));
 * ChildProcess ping = new ChildProcess(Example::subTask, "Ping", nums);
 * ping.start();      // the child works on its own copy of nums
 * ping.join();
 * ping.exitCode();   // 0
 * }</pre>
 *
 * <h2>What the child gets</h2>
 * The JVM cannot fork, so a child is a fresh JVM ({@code java} from this JVM's {@code java.home}),
 * or a spare one booted ahead of time with the same settings (the {@linkplain #setStartMethod start
 * method}, {@link StartMethod#FORKSERVER} by default), that receives the target serialized: the target and everything it captures (its arguments) travel
 * <em>by value</em>, copied at {@link #start()}. Static fields are the child's own, freshly
 * initialized, except JShell variables read by a notebook-defined target, which travel by value too.
 * The class path is this JVM's: {@code java.class.path} plus the jars of the class loaders that
 * loaded the target (a notebook's {@code %jars}). Classes that exist only in memory, such as the
 * classes JShell compiles from notebook cells, are sent as bytes, so a target defined in a cell runs
 * in the child; Python's spawn mode cannot do that. See {@link JvmOptions} for the JVM flags.
 *
 * <h2>Output, failure, exit</h2>
 * The child's standard output and error are copied live, line by line, to this JVM's
 * {@code System.out} and {@code System.err} as they are when each line arrives (so in a notebook,
 * to the running cell); lines of several children never mix mid-line. Its {@code System.in} is empty.
 * (The child's file descriptors 0 and 1 carry the parent's control messages, so code that writes
 * to file descriptor 1 behind {@code System.out}'s back, through JNI say, breaks the child.)
 * When the target returns, the child exits once the non-daemon threads it started have finished, as
 * a Java program does. If the target throws, the child prints the stack trace, exits with code 1 at
 * once, and {@link #failure()} returns the exception, with the child's stack trace. {@link #exitCode()} follows Python: 0 for a
 * target that returned, the code given to {@code System.exit}, or minus the signal number for a
 * child ended by a signal ({@code -15} after {@link #terminate()}, {@code -9} after {@link #kill()}).
 *
 * <h2>Lifetime</h2>
 * A child never outlives its parent. If this JVM dies, even by SIGKILL, its children notice at once
 * (their connection to it closes) and halt. When this JVM shuts down normally, live children are sent
 * SIGTERM, then killed if still there a second later. Until then, as with threads, a non-daemon child
 * keeps this JVM running after {@code main} returns, while a daemon child ({@link #setDaemon}) does not.
 *
 * <p>Thread safety: all methods may be called from any thread. A child can be started once.
 */
public final class ChildProcess {

    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static final Duration OUTPUT_DRAIN = Duration.ofSeconds(2);

    /**
     * With {@link StartMethod#FORKSERVER}, how long after a child runs its target the next spare is
     * launched at the latest; it is launched sooner if the child ends first. On a machine with few
     * cores, a spare's boot (some 200 ms of CPU) launched while the child runs its first moments slows
     * both: a child that does little has ended within this delay, and its {@code join()} is not held up
     * by the boot; a child that works longer than this gets its cores shared, as before. The spare is
     * counted (registered) as soon as the target runs, so a start during the delay waits for that spare,
     * launched at once, rather than launch a fresh JVM.
     */
    static final Duration REFILL_DELAY = Duration.ofMillis(50);
    /** {@link #REFILL_DELAY}, changed by tests only, to tell "the child ended" from "the delay passed". */
    static volatile Duration refillDelay = REFILL_DELAY;

    private final SerializableRunnable target;
    private final Object lock = new Object();
    private String name;
    private boolean daemon;
    private JvmOptions options = JvmOptions.defaults();
    private StartMethod startMethod;
    /** Set by {@link #start()} while it gets the JVM (which may wait for a booting spare), outside the lock. */
    private boolean starting;
    private ChildJvm jvm;
    private final CompletableFuture<ChildProcess> ended = new CompletableFuture<>();
    private final CompletableFuture<Void> ready = new CompletableFuture<>();
    private volatile Integer exitCode;
    private volatile Throwable failure;

    /**
     * A child that will run {@code target}. Not started: call {@link #start()}.
     *
     * @param target what to run; it and what it captures must be serializable
     */
    public ChildProcess(SerializableRunnable target) {
        this.target = Objects.requireNonNull(target, "target");
        this.name = "Process-" + COUNTER.incrementAndGet();
    }

    /** A child that will run {@code target.accept(argument)}, with its own copy of the argument. */
    public <T> ChildProcess(SerializableConsumer<T> target, T argument) {
        this(new Bound1<>(Objects.requireNonNull(target, "target"), argument));
    }

    /**
     * A child that will run {@code target.accept(first, second)}, with its own copies of the
     * arguments: Python's {@code Process(target=f, args=(a, b))}.
     */
    public <T, U> ChildProcess(SerializableBiConsumer<T, U> target, T first, U second) {
        this(new Bound2<>(Objects.requireNonNull(target, "target"), first, second));
    }

    // Plain classes rather than records: a fresh JVM takes some 20 ms to deserialize its first record.
    // Package-private so that a spare's warm-up (SpareWarmUp) can deserialize each once.

    static final class Bound1<T> implements SerializableRunnable {
        private static final long serialVersionUID = 1L;
        private final SerializableConsumer<T> target;
        private final T argument;

        Bound1(SerializableConsumer<T> target, T argument) {
            this.target = target;
            this.argument = argument;
        }

        @Override
        public void run() throws Exception {
            target.accept(argument);
        }
    }

    static final class Bound2<T, U> implements SerializableRunnable {
        private static final long serialVersionUID = 1L;
        private final SerializableBiConsumer<T, U> target;
        private final T first;
        private final U second;

        Bound2(SerializableBiConsumer<T, U> target, T first, U second) {
            this.target = target;
            this.first = first;
            this.second = second;
        }

        @Override
        public void run() throws Exception {
            target.accept(first, second);
        }
    }

    /** The name, {@code Process-N} unless set; the child sees it as {@link Processes#current()}. */
    public String name() {
        synchronized (lock) {
            return name;
        }
    }

    /**
     * Renames the child; only before {@link #start()}, since the child is told its name then.
     *
     * @return this
     * @throws IllegalStateException if already started
     */
    public ChildProcess setName(String newName) {
        Objects.requireNonNull(newName, "name");
        synchronized (lock) {
            requireNew("rename");
            name = newName;
        }
        return this;
    }

    /** Whether this is a daemon child: one that does not keep this JVM running. */
    public boolean isDaemon() {
        synchronized (lock) {
            return daemon;
        }
    }

    /**
     * Marks the child daemon or not; only before {@link #start()}. A non-daemon child (the default)
     * keeps this JVM running until it ends, as a non-daemon thread does; a daemon child is stopped
     * when this JVM exits.
     *
     * @return this
     */
    public ChildProcess setDaemon(boolean on) {
        synchronized (lock) {
            requireNew("change the daemon flag of");
            daemon = on;
        }
        return this;
    }

    /** The settings of the child JVM. */
    public JvmOptions jvmOptions() {
        synchronized (lock) {
            return options;
        }
    }

    /**
     * Sets the child JVM's heap, flags and start timeout; only before {@link #start()}.
     *
     * @return this
     */
    public ChildProcess setJvmOptions(JvmOptions newOptions) {
        Objects.requireNonNull(newOptions, "options");
        synchronized (lock) {
            requireNew("change the JVM options of");
            options = newOptions;
        }
        return this;
    }

    /**
     * How the child gets its JVM: {@link StartMethod#defaultMethod()} unless set.
     */
    public StartMethod startMethod() {
        synchronized (lock) {
            return startMethod != null ? startMethod : StartMethod.defaultMethod();
        }
    }

    /**
     * Chooses how the child gets its JVM, only before {@link #start()}: a fresh one
     * ({@link StartMethod#SPAWN}) or a warm spare ({@link StartMethod#FORKSERVER}); Python's
     * {@code multiprocessing.get_context(method).Process}.
     *
     * @return this
     */
    public ChildProcess setStartMethod(StartMethod method) {
        Objects.requireNonNull(method, "method");
        synchronized (lock) {
            requireNew("change the start method of");
            startMethod = method;
        }
        return this;
    }

    /**
     * Launches the child JVM, or takes a spare one (see {@link StartMethod}), and returns without
     * waiting for the target to run. With {@link StartMethod#SPAWN} the JVM then takes a tenth of a
     * second or more to start (several children start in parallel); a warm spare runs the target within
     * milliseconds. With {@link StartMethod#FORKSERVER} the next spare starts in the background when
     * the child ends or {@link #REFILL_DELAY} after its target runs, whichever comes first, and this waits for a spare that is still booting rather than launch a second JVM (at most the start
     * timeout; an interrupt during that wait launches a fresh JVM instead, and leaves the interrupt
     * status set).
     *
     * <p>The target is serialized first, in the calling thread: a target that cannot be copied is
     * refused here, before any process is launched. A child JVM that then fails to start (a bad flag)
     * ends with a non-zero exit code and a {@link ChildStartException} as {@link #failure()}.
     *
     * @throws NotSerializableTargetException if the target, or something it captures, cannot be serialized
     * @throws ChildStartException            if the operating system cannot launch {@code java}
     * @throws IllegalStateException          if already started
     */
    public void start() throws ChildStartException {
        String childName;
        boolean daemonChild;
        JvmOptions childOptions;
        StartMethod method;
        synchronized (lock) {
            if (jvm != null || starting) {
                throw new IllegalStateException(name + " was already started: a process can be started only once");
            }
            childName = name;
            daemonChild = daemon;
            childOptions = options;
            method = startMethod != null ? startMethod : StartMethod.defaultMethod();
        }
        Packer.Packed packed = Packer.packForNewChild("the target of " + childName, target);
        synchronized (lock) {
            if (jvm != null || starting) {
                throw new IllegalStateException(name + " was already started: a process can be started only once");
            }
            starting = true;
        }
        ChildJvm child = null;
        try {
            try {
                child = ChildJvm.start(method, childName, childOptions, packed.classPath());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                child = ChildJvm.launch(childName, childOptions, packed.classPath());
            }
        } finally {
            synchronized (lock) {
                starting = false;
                jvm = child;
            }
        }
        byte[] payload = WorkerProtocol.writeOrders(new ProcessInfo(childName, jvm.pid()), Processes.current(), packed.bundle(), packed.bytes());
        Processes.started(this);
        byte[] toSend = payload;
        if (jvm.wasSpare()) {
            // A warm spare is reading already: sent here, the orders do not wait for the monitor thread to
            // be scheduled (a visible delay on busy cores); a fresh JVM may take a while to read them.
            try {
                jvm.wire().send(Wire.RUN, 0, payload);
            } catch (IOException e) {
                // the spare died just now: the monitor sees the end of its output and reports the exit
            }
            toSend = null;
        }
        byte[] orders = toSend;
        Refill refill = method == StartMethod.FORKSERVER ? new Refill(childOptions, packed.classPath()) : null;
        Thread monitor = new Thread(() -> monitor(orders, childOptions.startTimeout(), refill), childName + "-monitor");
        monitor.setDaemon(daemonChild); // a non-daemon monitor keeps this JVM alive, like a non-daemon thread
        monitor.start();
    }

    /**
     * The spare that replaces the one a forkserver child took: registered once the child runs its
     * target (not before: a registered spare is launched at the latest {@link #refillDelay} later, and
     * its boot would slow this child's first moments), launched when the child ends or when the delay
     * has passed, whichever comes first. Used by the child's monitor thread and the delay's timer.
     */
    private static final class Refill {
        private final JvmOptions options;
        private final ChildClassPath classPath;
        private volatile Spares.Spare spare;

        Refill(JvmOptions options, ChildClassPath classPath) {
            this.options = options;
            this.classPath = classPath;
        }

        /** The child runs: counts the next spare, and launches it after the delay unless the end comes first. */
        void childRunning() {
            Spares.Spare registered = Spares.register(options, classPath);
            spare = registered;
            if (registered != null) {
                CompletableFuture.delayedExecutor(refillDelay.toNanos(), TimeUnit.NANOSECONDS, Runnable::run)
                        .execute(registered::launch);
            }
        }

        /** The child has ended: its cores are free for the next spare's boot. */
        void childEnded() {
            Spares.Spare registered = spare;
            if (registered != null) {
                registered.launch();
            }
        }
    }

    /**
     * Feeds the child its target (unless {@code payload} is null: sent already), prints its output,
     * collects its report, waits for its exit. {@code refill} (null unless forkserver) is told when the
     * target runs and when the child has ended.
     */
    private void monitor(byte[] payload, Duration startTimeout, Refill refill) {
        ClassLoader resolver = target.getClass().getClassLoader();
        jvm.killIfNotReady(ready, startTimeout);
        try {
            Wire wire = jvm.wire();
            if (payload != null) {
                wire.send(Wire.RUN, 0, payload);
            }
            Wire.Frame frame;
            while ((frame = wire.receive(jvm::output)) != null) {
                switch (frame.type()) {
                    case Wire.OUTPUT -> jvm.output(frame.payload());
                    case Wire.READY -> {
                        ready.complete(null);
                        if (refill != null) {
                            refill.childRunning();
                        }
                    }
                    case Wire.FAILED -> failure = WorkerProtocol.readFailure(frame.payload(), resolver);
                    default -> { } // DONE: the exit code says it
                }
            }
        } catch (Wire.NotAFrameException e) {
            failure = new IllegalStateException(name() + " broke the protocol with its parent and was killed: " + e.getMessage(), e);
            jvm.process().toHandle().destroyForcibly();
        } catch (IOException e) {
            // the pipe broke: the child died; its exit code says how
        } finally {
            exitCode = jvm.awaitExitCode();
            jvm.finishOutput(OUTPUT_DRAIN);
            if (!ready.isDone() && failure == null) {
                failure = jvm.startFailure(exitCode, startTimeout);
            }
            jvm.closeWire();
            Processes.ended(this);
            ready.complete(null);
            ended.complete(this);
            if (refill != null) {
                // After join() has been woken, not before: launching costs the monitor a millisecond or
                // two on busy cores. The spare was counted when the target ran, so a start right after
                // join() waits for it, and launches it itself if it gets there first.
                refill.childEnded();
            }
        }
    }

    /**
     * Waits for the child to end; when this returns, all its output has been printed and
     * {@link #exitCode()} and {@link #failure()} are set.
     *
     * @throws InterruptedException  if interrupted while waiting (the child keeps running)
     * @throws IllegalStateException if not started
     */
    public void join() throws InterruptedException {
        requireStarted("join");
        try {
            ended.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot happen: the end of a child never fails", e);
        }
    }

    /**
     * Waits at most {@code timeout} for the child to end.
     *
     * @return whether it has ended
     * @throws InterruptedException  if interrupted while waiting (the child keeps running)
     * @throws IllegalStateException if not started
     */
    public boolean join(Duration timeout) throws InterruptedException {
        requireStarted("join");
        try {
            ended.get(Math.max(0, timeout.toNanos()), TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot happen: the end of a child never fails", e);
        }
    }

    /** Whether the child has been started and has not ended yet (ended: exited and its output printed). */
    public boolean isAlive() {
        synchronized (lock) {
            if (jvm == null) {
                return false;
            }
        }
        return !ended.isDone();
    }

    /**
     * The exit code: null before the child has ended, 0 if its target returned, 1 if the target
     * threw, the code passed to {@code System.exit}, or {@code -N} if signal N ended it.
     */
    public Integer exitCode() {
        return ended.isDone() ? exitCode : null;
    }

    /**
     * What stopped the target, once the child has ended: the exception it threw (rebuilt in this JVM,
     * with the child's stack trace; a {@link RemoteThrowable} if its class cannot be rebuilt here), or
     * a {@link ChildStartException} if the child never got to run it. Empty while running, and for a
     * child that returned normally, called {@code System.exit} or was killed.
     */
    public Optional<Throwable> failure() {
        return ended.isDone() ? Optional.ofNullable(failure) : Optional.empty();
    }

    /**
     * The operating-system pid of the child.
     *
     * @throws IllegalStateException if not started
     */
    public long pid() {
        synchronized (lock) {
            if (jvm == null) {
                throw new IllegalStateException(name + " has no pid: it has not been started");
            }
            return jvm.pid();
        }
    }

    /**
     * Asks the child to stop: SIGTERM, on which the child JVM runs its shutdown hooks and exits
     * (exit code {@code -15}). Does nothing if the child has ended.
     *
     * @throws IllegalStateException if not started
     */
    public void terminate() {
        requireStarted("terminate");
        // Through the handle: Process.destroy() would also close our ends of the child's pipes, and
        // what the child prints while it shuts down would be lost.
        jvm.process().toHandle().destroy();
    }

    /**
     * Stops the child at once: SIGKILL (exit code {@code -9}). Does nothing if it has ended.
     *
     * @throws IllegalStateException if not started
     */
    public void kill() {
        requireStarted("kill");
        jvm.process().toHandle().destroyForcibly();
    }

    /**
     * A future that completes with this child once it has ended (as {@link #join()} returns).
     * Completing or cancelling the returned future has no effect on the child.
     */
    public CompletableFuture<ChildProcess> onExit() {
        return ended.copy();
    }

    private void requireNew(String action) {
        if (jvm != null || starting) {
            throw new IllegalStateException("cannot " + action + " " + name + ": it has already been started");
        }
    }

    private void requireStarted(String action) {
        synchronized (lock) {
            if (jvm == null) {
                throw new IllegalStateException("cannot " + action + " " + name + ": it has not been started");
            }
        }
    }

    @Override
    public String toString() {
        synchronized (lock) {
            String state = jvm == null ? "initial" : ended.isDone() ? "stopped exitcode=" + exitCode : "started";
            return "<ChildProcess name='" + name + "'" + (jvm != null ? " pid=" + jvm.pid() : "")
                    + " " + state + (daemon ? " daemon" : "") + ">";
        }
    }
}
