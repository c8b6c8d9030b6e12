package dev.workbook.process;

import dev.workbook.codec.MessageCodec;
import java.io.File;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A pool of worker JVMs that run serializable functions: Python's
 * {@code concurrent.futures.ProcessPoolExecutor}, for CPU-bound work spread over all cores.
 *
 * <pre>{@code
 * try (ProcessPool pool = new ProcessPool()) {                 // one worker JVM per core
 *     List<Boolean> primes = pool.map(Primality::trialDivision, numbers);   // in input order
 *     Future<Long> one = pool.submit(() -> slowComputation());
 * }
 * }</pre>
 *
 * <h2>Workers</h2>
 * The workers are started when the pool is created, in parallel, and stay up ("warm"): a call
 * travels over the worker's open pipes (its standard input and output), so it costs a round trip and
 * its serialization, never a JVM start. Each worker runs one call at a time; a call goes to the first
 * idle worker, in submission order. Workers are child JVMs like {@link ChildProcess}'s: same class
 * path, JShell classes shipped, output copied line by line, no orphan when this JVM dies. Each runs
 * the {@linkplain Builder#initializer initializer} once before its first call, and is replaced by a
 * fresh one after {@linkplain Builder#maxTasksPerWorker max tasks per worker} calls, if set. A worker's
 * JVM is a fresh one or a warm spare, by the pool's {@linkplain Builder#startMethod start method}.
 *
 * <h2>Failures</h2>
 * A call that throws fails its future with the exception (rebuilt here, with the worker's stack
 * trace); the worker carries on. A worker that dies during a call (killed, {@code System.exit}, out
 * of memory: workers run with {@code -XX:+ExitOnOutOfMemoryError}) fails only the future of that call,
 * with a {@link WorkerDiedException} saying which worker died and how; the pool starts a replacement
 * and keeps serving. The pool gives up ("broken") only when workers cannot start at all: the
 * initializer throws, or three starts in a row fail; queued and new calls then fail with the reason.
 *
 * <p>A call is never handed to a worker whose process has exited, and a call whose write to its
 * worker fails (the worker died after it was checked, before it could read the call) goes back to
 * the head of the queue and runs on another worker, for {@code submit} and {@code map} alike, and
 * also while the pool shuts down: a call accepted before {@link #shutdown} still runs. One window is
 * left, and cannot be closed from this side of the pipe: a worker that dies after the call was
 * written to it (it may have read it and started it) fails that call with a
 * {@link WorkerDiedException} naming the worker and its exit status, since running it again could
 * repeat its side effects.
 *
 * <h2>Shutting down</h2>
 * {@link #shutdown(boolean)} (and {@link #close()}) stop new calls, optionally cancel the queued ones,
 * wait for the rest to finish, and stop the workers; {@link #shutdownNow()} kills the workers and
 * cancels every unfinished call at once. A worker also stops when this JVM exits.
 *
 * <h2>Interruption</h2>
 * Whatever ends one of the pool's waits early (an interrupt, or any throwable reaching the waiting
 * thread, as a notebook's interrupt does) stops the work that wait was for: {@code map} cancels all
 * of its calls, killing the workers that run one (the pool replaces them), and {@code shutdown} turns
 * into {@code shutdownNow}. No worker is left busy with work nobody waits for. The cleanup works even
 * in an interrupted notebook cell, whose threads cannot run this library's code for a while (see
 * {@code reclaimer}); and the pool makes threads only when it is built, since the notebook kernel
 * stops every thread made while the interrupted cell ran.
 *
 * <p>Thread safety: every method may be called from any thread.
 */
public final class ProcessPool implements PoolExecutor {

    /** Starts that fail in a row before the pool gives up: one failure may be bad luck, three are not. */
    private static final int MAX_START_FAILURES = 3;
    private static final Duration OUTPUT_DRAIN = Duration.ofMillis(500);
    /** How long {@link #shutdownNow()} waits for killed workers to be reaped; SIGKILL takes milliseconds. */
    private static final Duration KILL_WAIT = Duration.ofSeconds(10);
    private static final AtomicInteger POOL_COUNTER = new AtomicInteger();
    /** Whether processes have entries in {@code /proc} (Linux): see {@code Worker.isUp()}. */
    private static final boolean PROC_ENTRIES = new File("/proc/self").isDirectory();

    /*
     * The run state, guarded by the lock. Transitions, as ThreadPoolExecutor writes its own:
     *
     *   RUNNING -> SHUTDOWN     shutdown(): no new calls; queued and running ones finish (unless cancelled)
     *   RUNNING, SHUTDOWN -> BROKEN
     *                           workers cannot start (the initializer threw, or MAX_START_FAILURES starts
     *                           in a row failed): queued calls fail, no new ones are taken
     *   RUNNING, SHUTDOWN, BROKEN -> STOP
     *                           shutdownNow(), or shutdown() whose wait ended early (interrupt, a notebook
     *                           stop): queued calls cancelled, workers killed, running calls cancelled
     *   SHUTDOWN, BROKEN, STOP -> TERMINATED
     *                           the last worker has exited (shutdown() and shutdownNow() return)
     *
     * Only RUNNING takes calls; only RUNNING and SHUTDOWN (while calls are queued) start workers.
     */
    private enum State { RUNNING, SHUTDOWN, BROKEN, STOP, TERMINATED }

    private final String name;
    private final int size;
    private final int maxTasksPerWorker;
    private final JvmOptions options;
    private final StartMethod startMethod;
    private final ChildClassPath classPath;
    private final Packer.Packed initializer;
    private final ClassLoader initializerLoader;
    /**
     * Cancels abandoned calls when the thread that abandoned them cannot. Its one thread is started
     * with the pool, so that it is older than any notebook cell that uses the pool.
     *
     * <p>Why: in a notebook, the kernel compiles a stop check into the entry of every method of this
     * library, and while it stops a cell every check in that cell's threads throws. The thread that
     * caught the interrupt (or the kernel's error) cannot then run this package's code, cleanup
     * included; it can still call the JDK. So a wait that may be abandoned builds its cleanup before
     * waiting, and its catch block, inline and calling no method of ours but the cleanup itself, does:
     * <pre>{@code
     * try { cleanup.run(); } catch (Throwable stopped) { reclaimer.execute(cleanup); }
     * }</pre>
     * After the pool has terminated there is nothing left to clean up, and the task is discarded.
     */
    final ThreadPoolExecutor reclaimer;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Deque<Call<?>> queue = new ArrayDeque<>();
    private final Set<Worker> workers = new LinkedHashSet<>();
    private final Deque<Worker> idle = new ArrayDeque<>();
    private State state = State.RUNNING;
    private Throwable brokenBy;
    private int consecutiveStartFailures;
    /** Whether a worker has ever been ready: a pool whose workers never started leaves no spares behind. */
    private boolean everReady;
    private int workerCounter;
    private final AtomicLong callCounter = new AtomicLong();
    private final AtomicLong functionCounter = new AtomicLong();
    /** Stateless tasks packed once, by class, most recently used last; see {@link #packTask}. */
    private final Map<Class<?>, PackedCall> statelessTasks = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Class<?>, PackedCall> eldest) {
            return size() > WorkerHoldings.MAX_FUNCTIONS;
        }
    };

    /**
     * For tests: runs on the thread that writes a call to a worker, just before the write, with that
     * worker's pid. It lets a test kill a worker between the pool's check that it is up and the write.
     */
    volatile java.util.function.LongConsumer beforeWritingCall = workerPid -> { };

    /** A pool with one worker per core and default settings. */
    public ProcessPool() {
        this(builder());
    }

    /**
     * A pool with this many workers and default settings.
     *
     * @throws IllegalArgumentException if workers is below 1
     */
    public ProcessPool(int workers) {
        this(builder().workers(workers));
    }

    private ProcessPool(Builder builder) {
        this.name = builder.name != null ? builder.name : "ProcessPool-" + POOL_COUNTER.incrementAndGet();
        this.size = builder.workers;
        this.maxTasksPerWorker = builder.maxTasksPerWorker;
        this.options = builder.options.withFlags("-XX:+ExitOnOutOfMemoryError");
        this.startMethod = builder.startMethod != null ? builder.startMethod : StartMethod.defaultMethod();
        if (builder.initializer != null) {
            this.initializer = Packer.packForNewChild("the initializer of " + name, builder.initializer);
            this.initializerLoader = builder.initializer.getClass().getClassLoader();
        } else {
            this.initializer = new Packer.Packed(new byte[0], ClassBundle.EMPTY, ChildClassPath.forLoaders(Set.of()));
            this.initializerLoader = ProcessPool.class.getClassLoader();
        }
        this.classPath = initializer.classPath();
        this.reclaimer = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), work -> {
            Thread thread = new Thread(work, name + "-reclaimer");
            thread.setDaemon(true);
            return thread;
        }, new ThreadPoolExecutor.DiscardPolicy());
        reclaimer.prestartAllCoreThreads();
        lock.lock();
        try {
            for (int i = 0; i < size; i++) {
                startWorker(); // their spares are refilled when the pool ends, not while it works
            }
        } finally {
            lock.unlock();
        }
    }

    /** Settings for a pool: workers, initializer, max tasks per worker, JVM options, name. */
    public static Builder builder() {
        return new Builder();
    }

    /** Collects the settings of a {@link ProcessPool}; {@link #build()} starts it. */
    public static final class Builder {
        private int workers = Processes.cpuCount();
        private SerializableRunnable initializer;
        private int maxTasksPerWorker;
        private JvmOptions options = JvmOptions.defaults();
        private StartMethod startMethod;
        private String name;

        private Builder() {
        }

        /**
         * How workers get their JVM (default: {@link StartMethod#defaultMethod()}, read at
         * {@link #build()}). With {@link StartMethod#FORKSERVER} the first workers take warm spares if
         * there are any and the pool leaves as many spares as it has workers (at most one per core)
         * when it has shut down, so that the next pool starts warm; a replacement (a dead worker's, or
         * after {@link #maxTasksPerWorker}) takes a spare and starts the next one once it is ready.
         */
        public Builder startMethod(StartMethod method) {
            this.startMethod = Objects.requireNonNull(method, "method");
            return this;
        }

        /** How many worker JVMs (default: the number of cores). */
        public Builder workers(int count) {
            if (count < 1) {
                throw new IllegalArgumentException("a process pool needs at least 1 worker, was " + count);
            }
            this.workers = count;
            return this;
        }

        /**
         * Code each worker runs once, before its first call (to load data, warm a cache...). If it throws,
         * the pool is broken: calls fail with a {@link ChildStartException} whose cause is what it threw.
         */
        public Builder initializer(SerializableRunnable code) {
            this.initializer = Objects.requireNonNull(code, "initializer");
            return this;
        }

        /**
         * Replace a worker by a fresh JVM after it has run this many calls (a chunk of {@code map} counts
         * as one); 0, the default, for never. For code that leaks memory or state.
         */
        public Builder maxTasksPerWorker(int calls) {
            if (calls < 0) {
                throw new IllegalArgumentException("max tasks per worker must be 0 (no limit) or more, was " + calls);
            }
            this.maxTasksPerWorker = calls;
            return this;
        }

        /** The worker JVMs' settings (heap, flags, start timeout). */
        public Builder jvmOptions(JvmOptions jvmOptions) {
            this.options = Objects.requireNonNull(jvmOptions, "options");
            return this;
        }

        /** The pool's name, the prefix of its workers' names (default {@code ProcessPool-N}). */
        public Builder name(String poolName) {
            this.name = Objects.requireNonNull(poolName, "name");
            return this;
        }

        /**
         * Starts the pool's workers and returns without waiting for them to be up; calls submitted
         * meanwhile wait in the queue. See {@link ProcessPool#awaitReady()}.
         *
         * @throws NotSerializableTargetException if the initializer cannot be serialized
         */
        public ProcessPool build() {
            return new ProcessPool(this);
        }
    }

    /** The pool's name. */
    public String name() {
        return name;
    }

    /** How the pool's workers get their JVM; see {@link Builder#startMethod}. */
    public StartMethod startMethod() {
        return startMethod;
    }

    /** The number of workers the pool keeps. */
    public int size() {
        return size;
    }

    /**
     * The pids of the workers that are up now: ready, not being killed, and whose JVM has not exited.
     * A worker leaves this list as soon as its process is seen to have exited, even if the thread that
     * reads its last output has not yet reported it gone.
     */
    public List<Long> workerPids() {
        lock.lock();
        try {
            List<Long> pids = new ArrayList<>();
            for (Worker worker : workers) {
                if (worker.isUp()) {
                    pids.add(worker.jvm.pid());
                }
            }
            return pids;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until all workers are up and ready for calls (for timing work without start-up).
     *
     * @throws ChildStartException  if the pool cannot start its workers (it is broken)
     * @throws InterruptedException if interrupted while waiting
     */
    public void awaitReady() throws ChildStartException, InterruptedException {
        lock.lock();
        try {
            while (true) {
                if (state == State.BROKEN) {
                    throw new ChildStartException(name + " cannot start its workers: " + brokenBy.getMessage(), brokenBy);
                }
                if (state != State.RUNNING) {
                    throw new IllegalStateException(name + " is shut down");
                }
                long ready = workers.stream().filter(worker -> worker.isUp() && !worker.retiring).count();
                if (ready >= size) {
                    return;
                }
                changed.await();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Runs {@code task} in a worker.
     *
     * @return its future: the result, or an {@link ExecutionException} whose cause is what the task
     *         threw, a {@link WorkerDiedException}, or a {@link ChildStartException} if the pool broke
     * @throws NotSerializableTargetException if the task cannot be serialized (nothing is queued)
     * @throws RejectedExecutionException     if the pool is shut down or broken
     */
    public <R> Future<R> submit(SerializableCallable<R> task) {
        Objects.requireNonNull(task, "task");
        return enqueue(packTask(task));
    }

    /**
     * Packs a task; a stateless one ({@link Packer#isStateless}: a lambda that captures nothing, such
     * as {@code () -> 0}) is packed once per class and held by each worker, so that calling it again
     * costs neither JVM a serialization. Not when its bundle carries JShell variables' values, which
     * are read anew for each call.
     */
    private PackedCall packTask(SerializableCallable<?> task) {
        Class<?> type = task.getClass();
        if (!Packer.isStateless(type)) {
            return pack(task, type.getClassLoader(), "a task");
        }
        synchronized (statelessTasks) {
            PackedCall held = statelessTasks.get(type);
            if (held != null) {
                return held;
            }
        }
        Packer.Packed packed = Packer.pack("a task for " + name, task, classPath);
        if (packed.bundle().carriesValues()) {
            return new PackedCall(packed.bytes(), packed.bundle(), type.getClassLoader(), "a task", null);
        }
        PackedCall held = new PackedCall(null, packed.bundle(), type.getClassLoader(), "a task",
                new PackedCall.Function(functionCounter.incrementAndGet(), packed.bytes(), packed.bundle()));
        synchronized (statelessTasks) {
            statelessTasks.put(type, held);
        }
        return held;
    }

    /** Runs {@code function.apply(argument)} in a worker; see {@link #submit(SerializableCallable)}. */
    public <T, R> Future<R> submit(SerializableFunction<T, R> function, T argument) {
        Objects.requireNonNull(function, "function");
        return enqueue(pack(new BoundCall<>(function, argument), function.getClass().getClassLoader(), "a task"));
    }

    /**
     * Applies {@code function} to every item in the workers and returns the results in the items'
     * order; Python's {@code executor.map(fn, items, chunksize=n)}, except that it waits for all results.
     *
     * <p>Items travel in chunks of {@code chunkSize}: one round trip per chunk. Chunks of 1 (the
     * default) balance uneven work best; bigger chunks pay off when items are many and quick.
     *
     * <p>The function is serialized once per call of {@code map}, and each worker deserializes it
     * once, before the first chunk it runs: a worker applies the same instance to all of its chunks
     * (Python applies one copy per chunk). Items and results that are null, {@code Boolean},
     * {@code Integer}, {@code Long}, {@code Double} or {@code String} travel in a compact encoding of
     * their own, anything else by Java serialization; either way they arrive as equal copies.
     *
     * <p>Whatever ends this method early cancels all of its calls: a call that fails, an interrupt, or
     * any other throwable that reaches the waiting thread (a notebook's interrupt throws an
     * {@code Error} into it). Calls not yet started never start; running ones are stopped by killing
     * their workers, which the pool replaces, so that no worker is left busy with abandoned work.
     *
     * @throws ExecutionException             the first failure, with the cause as for {@link #submit};
     *                                        its message names the item that raised, by index and
     *                                        value (truncated), or the chunk's range when chunks hold
     *                                        several items (only the worker knows which one raised)
     * @throws InterruptedException           if interrupted while waiting
     * @throws NotSerializableTargetException if the function or an item cannot be serialized (naming
     *                                        the item by its index in {@code items}); the chunks
     *                                        queued before it are cancelled
     * @throws RejectedExecutionException     if the pool is shut down or broken
     * @throws IllegalArgumentException       if chunkSize is below 1
     */
    public <T, R> List<R> map(SerializableFunction<T, R> function, Collection<? extends T> items, int chunkSize)
            throws InterruptedException, ExecutionException {
        Objects.requireNonNull(function, "function");
        Objects.requireNonNull(items, "items");
        if (chunkSize < 1) {
            throw new IllegalArgumentException("chunk size must be at least 1, was " + chunkSize);
        }
        return new ChunkedMap<>(this, function, chunkSize).run(items);
    }

    /**
     * Stops taking calls, waits for those already submitted to finish, and stops the workers; Python's
     * {@code shutdown(wait=True, cancel_futures=cancelPending)}. Calling it again does no harm.
     *
     * <p>It waits as long as the running calls take: the pool cannot tell a long call from one that
     * never returns, and cutting either short would lose work the caller asked to finish. What ends
     * the wait early is the caller's: an interrupt, or any other throwable that reaches the waiting
     * thread (a notebook's interrupt), turns it into {@link #shutdownNow()}, and this method then
     * returns with the interrupt status set, or throws what it caught. Another thread may also call
     * {@code shutdownNow()} to end the wait.
     *
     * @param cancelPending whether to cancel the calls still queued (running calls always finish)
     */
    public void shutdown(boolean cancelPending) {
        List<Call<?>> cancelled = List.of();
        lock.lock();
        try {
            if (state == State.RUNNING) {
                state = State.SHUTDOWN;
            }
            if (cancelPending) {
                cancelled = new ArrayList<>(queue);
                queue.clear();
            }
        } finally {
            lock.unlock();
        }
        cancelled.forEach(call -> call.result.cancel(false));
        dispatch();
        Runnable stopNow = this::shutdownNow; // built before the wait, for the catch block (see reclaimer)
        Throwable endedEarly;
        try {
            awaitTermination();
            return;
        } catch (Throwable e) {
            endedEarly = e;
        }
        try {
            stopNow.run();
        } catch (Throwable stopped) {
            reclaimer.execute(stopNow);
        }
        if (endedEarly instanceof RuntimeException unchecked) {
            throw unchecked;
        }
        if (endedEarly instanceof Error error) {
            throw error;
        }
        Thread.currentThread().interrupt(); // the only checked exception of the wait: InterruptedException
    }

    /**
     * Stops the pool at once, as {@link java.util.concurrent.ExecutorService#shutdownNow()} does: takes
     * no more calls, cancels the queued ones, kills every worker, and cancels the calls they were
     * running (their futures throw {@link CancellationException}). Waits until the killed workers are
     * reaped, which takes milliseconds, but no more than 10 s. Calling it again does no harm.
     *
     * @return the calls that were queued and never started, in submission order
     */
    public List<Future<?>> shutdownNow() {
        List<Future<?>> neverStarted;
        List<Call<?>> running = new ArrayList<>();
        lock.lock();
        try {
            if (state != State.TERMINATED) {
                state = State.STOP;
            }
            neverStarted = new ArrayList<>(queue);
            queue.clear();
            for (Worker worker : workers) {
                if (worker.current != null) {
                    running.add(worker.current);
                }
                worker.destroy();
            }
        } finally {
            lock.unlock();
        }
        neverStarted.forEach(call -> call.cancel(false));
        running.forEach(call -> call.result.cancel(false));
        boolean interrupted = false;
        long deadline = System.nanoTime() + KILL_WAIT.toNanos();
        lock.lock();
        try {
            while (!workers.isEmpty() && System.nanoTime() < deadline) {
                try {
                    changed.awaitNanos(deadline - System.nanoTime());
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (workers.isEmpty()) {
                terminate();
            } else {
                System.err.println("warning: " + name + ": " + workers.size() + " killed worker(s) still not reaped after "
                        + KILL_WAIT.toSeconds() + " s");
            }
        } finally {
            lock.unlock();
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return neverStarted;
    }

    /** Waits until the last worker has exited, then marks the pool terminated. */
    private void awaitTermination() throws InterruptedException {
        lock.lock();
        try {
            while (!workers.isEmpty()) {
                changed.await();
            }
            terminate();
        } finally {
            lock.unlock();
        }
    }

    /** The end of the pool's life, once no worker is left; called with the lock held. */
    private void terminate() {
        if (state != State.TERMINATED && everReady && startMethod == StartMethod.FORKSERVER) {
            Spares.ensure(options, classPath, size);
        }
        state = State.TERMINATED;
        reclaimer.shutdown();
        changed.signalAll();
    }

    /** {@link #shutdown(boolean) shutdown(false)}: finishes every submitted call, then stops the workers. */
    @Override
    public void close() {
        shutdown(false);
    }

    // ---------------------------------------------------------------------------------------------
    // Calls

    /** Packs a callable for the workers. */
    PackedCall pack(SerializableCallable<?> callable, ClassLoader resolver, String what) {
        Packer.Packed packed = Packer.pack(what + " for " + name, callable, classPath);
        return new PackedCall(packed.bytes(), packed.bundle(), resolver, what, null);
    }

    /** Packs the function of a map call, once for all its chunks of scalar items. */
    PackedCall.Function packFunction(SerializableFunction<?, ?> function) {
        Packer.Packed packed = Packer.pack("the function of a map call for " + name, function, classPath);
        return new PackedCall.Function(functionCounter.incrementAndGet(), packed.bytes(), packed.bundle());
    }

    static byte[] encodeScalars(List<?> items) {
        return WorkerProtocol.CODEC.encodeList(items);
    }

    /**
     * Queues a packed call.
     *
     * @throws RejectedExecutionException if the pool is shut down or broken
     */
    <R> Call<R> enqueue(PackedCall packed) {
        Call<R> call;
        lock.lock();
        try {
            if (state != State.RUNNING) {
                String why = state == State.BROKEN ? "it is broken: " + brokenBy.getMessage() : "it is shut down";
                throw new RejectedExecutionException(name + " takes no more calls: " + why, brokenBy);
            }
            call = new Call<>(callCounter.incrementAndGet(), packed);
            queue.add(call);
        } finally {
            lock.unlock();
        }
        dispatch();
        return call;
    }

    /** A task that cancels these calls, stopping the running ones: a cleanup for {@link #reclaimer}. */
    Runnable canceller(List<? extends Call<?>> calls) {
        return new Canceller(calls);
    }

    private static final class Canceller implements Runnable {
        private final List<? extends Call<?>> calls;

        Canceller(List<? extends Call<?>> calls) {
            this.calls = calls;
        }

        @Override
        public void run() {
            for (Call<?> call : calls) {
                call.cancel(true);
            }
        }
    }

    /**
     * A submitted call: queued, then running on a worker, then done. {@code cancel(true)} on a running
     * call kills its worker (the pool replaces it); {@code cancel(false)} lets it finish and drops the
     * result.
     */
    final class Call<R> implements Future<R> {
        final long id;
        final PackedCall packed;
        final CompletableFuture<R> result = new CompletableFuture<>();
        /** Guarded by the pool lock; the worker running this call, or null. */
        Worker worker;
        /**
         * Where the call's frame is: queued, being written, written, or being written to a worker
         * already reported gone. The writer and {@link #onExit} settle which of them finishes a call
         * whose worker died during the write by a compare-and-set from {@link #WRITING}.
         */
        final AtomicInteger delivery = new AtomicInteger(QUEUED);
        static final int QUEUED = 0;
        static final int WRITING = 1;
        static final int DELIVERED = 2;
        static final int ABANDONED = 3;
        /** Set by {@link #onExit} before it abandons the call to its writer. */
        volatile WorkerDiedException diedWith;

        Call(long id, PackedCall packed) {
            this.id = id;
            this.packed = packed;
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            Worker running;
            lock.lock();
            try {
                if (result.isDone()) {
                    return false;
                }
                queue.remove(this);
                running = mayInterruptIfRunning ? worker : null;
                if (running != null) {
                    // Marked before the lock is let go: the worker may have written its reply already,
                    // and onReply must not hand a worker that is about to be killed the next call.
                    running.destroyed = true;
                }
                result.cancel(false);
            } finally {
                lock.unlock();
            }
            if (running != null) {
                running.destroy();
            }
            return true;
        }

        @Override
        public boolean isCancelled() {
            return result.isCancelled();
        }

        @Override
        public boolean isDone() {
            return result.isDone();
        }

        @Override
        public R get() throws InterruptedException, ExecutionException {
            return result.get();
        }

        @Override
        public R get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
            return result.get(timeout, unit);
        }

        @Override
        public String toString() {
            return "call " + id + " of " + name + (result.isDone() ? " (done)" : worker != null ? " (running on " + worker.name + ")" : " (queued)");
        }
    }

    /** Hands queued calls to idle workers, and stops idle workers once a shut-down pool's queue is empty. */
    private void dispatch() {
        List<Runnable> sends = new ArrayList<>();
        lock.lock();
        try {
            while (!idle.isEmpty() && !queue.isEmpty()) {
                Call<?> call = queue.poll();
                if (call.result.isDone()) {
                    continue;
                }
                Worker worker = idle.poll();
                if (!worker.isUp()) {
                    // Its process has exited but its thread has not reported it yet (it may still be
                    // draining output): the call waits for a live worker, and onExit replaces this one.
                    queue.addFirst(call);
                    continue;
                }
                worker.current = call;
                call.worker = worker;
                call.delivery.set(Call.WRITING);
                byte[] frame = worker.holdings.callPayload(call.packed);
                sends.add(() -> sendCall(worker, call, frame));
            }
            if (state != State.RUNNING && queue.isEmpty()) {
                while (!idle.isEmpty()) {
                    Worker worker = idle.poll();
                    worker.retiring = true;
                    sends.add(() -> worker.send(Wire.STOP, 0, new byte[0]));
                }
            }
        } finally {
            lock.unlock();
        }
        sends.forEach(Runnable::run);
    }

    /**
     * Writes a call to the worker {@link #dispatch} handed it to; called without the lock. A write that
     * fails means the worker died before it could read the call: the call goes back to the head of the
     * queue, for another worker. A write that goes through but whose worker is reported gone before this
     * method confirms it ({@link #onExit} got there first) may have been read: that call fails as one
     * whose worker died while running it.
     */
    private void sendCall(Worker worker, Call<?> call, byte[] frame) {
        try {
            beforeWritingCall.accept(worker.jvm.pid());
            worker.jvm.wire().send(Wire.CALL, call.id, frame);
        } catch (IOException brokenPipe) {
            putBack(worker, call);
            dispatch();
            return;
        }
        if (!call.delivery.compareAndSet(Call.WRITING, Call.DELIVERED)) {
            call.result.completeExceptionally(call.diedWith);
        }
    }

    /**
     * Takes back a call that could not be written to its worker, and makes sure that worker is never
     * handed another (it is killed, in case its process lives on with its input closed). The call is
     * queued first again, so it keeps its turn, while the pool runs or is shutting down: a call accepted
     * before {@link #shutdown} must still run. A broken pool fails it, a stopped one cancels it.
     */
    private void putBack(Worker worker, Call<?> call) {
        Throwable failure = null;
        boolean cancel = false;
        lock.lock();
        try {
            if (worker.current == call) {
                worker.current = null;
            }
            if (call.worker == worker) {
                call.worker = null;
            }
            worker.destroyed = true;
            call.delivery.set(Call.QUEUED);
            if (!call.result.isDone()) {
                switch (state) {
                    case RUNNING, SHUTDOWN -> queue.addFirst(call);
                    case BROKEN -> failure = new ChildStartException(name + " cannot start its workers: "
                            + brokenBy.getMessage(), brokenBy);
                    case STOP, TERMINATED -> cancel = true;
                }
            }
        } finally {
            lock.unlock();
        }
        worker.destroy();
        if (failure != null) {
            call.result.completeExceptionally(failure);
        }
        if (cancel) {
            call.result.cancel(false);
        }
    }

    /** What fails a call whose worker exited before answering it. */
    private static WorkerDiedException diedWhileRunning(Worker worker, Call<?> call, int exitCode) {
        long pid = worker.jvm.pid();
        String message = "worker " + worker.name + " (pid " + pid + ") died while running "
                + call.packed.description() + ": it " + ExitStatus.describe(exitCode) + worker.jvm.stderrSummary();
        return new WorkerDiedException(message, worker.name, pid, exitCode);
    }

    // ---------------------------------------------------------------------------------------------
    // Workers

    /** Creates and starts a worker; called with the lock held. */
    private void startWorker() {
        Worker first = newWorker();
        Thread thread = new Thread(() -> runWorkers(first), first.name);
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Runs a worker, then its replacement when it exits, and so on, on one thread. Threads are made
     * only when the pool is built, never later: a notebook's kernel takes every thread created while a
     * cell runs for one of that cell's, and stops it with the cell. A replacement started in answer
     * to that cell's interrupt would be stopped on its way up.
     */
    private static void runWorkers(Worker first) {
        for (Worker worker = first; worker != null; worker = worker.replacement) {
            Thread.currentThread().setName(worker.name);
            try {
                worker.run();
            } catch (RuntimeException bug) {
                System.err.println("warning: " + worker.name + " failed unexpectedly: " + bug); // and was reported gone
            }
        }
    }

    /** A new worker, counted in {@link #workers}, that some thread is about to run; called with the lock held. */
    private Worker newWorker() {
        // The first workers' spares are refilled when the pool ends; a replacement's once it is ready.
        Worker worker = new Worker(name + "-worker-" + ++workerCounter, workerCounter > size);
        workers.add(worker);
        return worker;
    }

    /**
     * Whether to start a worker after one left; called with the lock held. A shut-down pool still
     * starts one for queued calls, and for a call whose write to the worker that left is unfinished:
     * if that write fails, the call comes back to the queue and must still run.
     */
    private boolean needsReplacement(boolean callBeingWritten) {
        long active = workers.stream().filter(worker -> !worker.retiring).count();
        return switch (state) {
            case RUNNING -> active < size;
            case SHUTDOWN -> (!queue.isEmpty() || callBeingWritten) && active < size;
            case BROKEN, STOP, TERMINATED -> false;
        };
    }

    private void onReady(Worker worker) {
        lock.lock();
        try {
            worker.procEntry = new File("/proc", Long.toString(worker.jvm.pid()));
            worker.ready = true;
            everReady = true;
            consecutiveStartFailures = 0;
            if (state == State.BROKEN || state == State.STOP || state == State.TERMINATED) {
                worker.destroy();
            } else {
                idle.add(worker);
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        dispatch();
    }

    private void onReply(Worker worker, Wire.Frame frame) {
        Call<?> call;
        boolean retire = false;
        lock.lock();
        try {
            call = worker.current;
            if (call == null || call.id != frame.id()) {
                return; // cannot happen: a worker replies to the call it holds
            }
            worker.current = null;
            call.worker = null;
            worker.callsRun++;
            if (worker.destroyed) {
                // being killed (its call was cancelled): its thread reports the exit and starts the replacement
            } else if (maxTasksPerWorker > 0 && worker.callsRun >= maxTasksPerWorker) {
                retire = true;
                worker.retiring = true; // its thread starts the replacement once it has exited
            } else {
                idle.add(worker);
            }
        } finally {
            lock.unlock();
        }
        complete(call, frame);
        if (retire) {
            worker.send(Wire.STOP, 0, new byte[0]);
        }
        dispatch();
    }

    @SuppressWarnings("unchecked")
    private static <R> void complete(Call<R> call, Wire.Frame frame) {
        ClassLoader resolver = call.packed.resolver();
        if (frame.type() == Wire.RESULT) {
            try {
                call.result.complete((R) WorkerProtocol.readResult(frame.payload(), resolver));
            } catch (RuntimeException e) {
                call.result.completeExceptionally(new IOException("cannot read the result of " + call.packed.description()
                        + ": " + e.getMessage(), e));
            }
        } else {
            call.result.completeExceptionally(WorkerProtocol.readFailure(frame.payload(), resolver));
        }
    }

    private void onExit(Worker worker, int exitCode) {
        Call<?> held;
        WorkerDiedException died = null;
        boolean callBeingWritten = false;
        Throwable startFailure = null;
        List<Call<?>> orphaned = List.of();
        lock.lock();
        try {
            workers.remove(worker);
            idle.remove(worker);
            held = worker.current;
            worker.current = null;
            if (held != null) {
                died = diedWhileRunning(worker, held, exitCode);
                held.diedWith = died;
                if (held.delivery.compareAndSet(Call.WRITING, Call.ABANDONED)) {
                    // Its sender has not finished the write: it re-queues the call if the write fails,
                    // or fails it with diedWith if the write went through (see sendCall).
                    held = null;
                    callBeingWritten = true;
                }
            }
            if (!worker.ready) {
                consecutiveStartFailures++;
                startFailure = worker.startFailure != null ? worker.startFailure
                        : new ChildStartException(worker.name + " " + ExitStatus.describe(exitCode) + " before it was ready");
                if ((worker.initializerFailed || consecutiveStartFailures >= MAX_START_FAILURES)
                        && (state == State.RUNNING || state == State.SHUTDOWN)) {
                    state = State.BROKEN;
                    brokenBy = startFailure;
                    orphaned = new ArrayList<>(queue);
                    queue.clear();
                    workers.forEach(Worker::destroy);
                }
            }
            if (needsReplacement(callBeingWritten)) {
                worker.replacement = newWorker();
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (held != null) {
            held.result.completeExceptionally(died);
        }
        for (Call<?> call : orphaned) {
            call.result.completeExceptionally(new ChildStartException(name + " cannot start its workers: "
                    + startFailure.getMessage(), startFailure));
        }
        if (startFailure != null && orphaned.isEmpty() && state == State.RUNNING) {
            System.err.println("warning: " + startFailure.getMessage() + "; starting another");
        }
        dispatch();
    }

    /** One worker JVM; its thread starts it, then reads its replies until it exits. */
    private final class Worker {
        final String name;
        /** Whether this worker starts the next spare once it is ready (a replacement; see {@link Builder#startMethod}). */
        final boolean refillSpare;
        /** Set by the worker's thread before {@link #ready}; read under the lock or after ready. */
        volatile ChildJvm jvm;
        // Guarded by the pool lock:
        Call<?> current;
        int callsRun;
        boolean ready;
        boolean retiring;
        volatile boolean destroyed;
        Throwable startFailure;
        boolean initializerFailed;
        /** The worker this one's thread runs next, set when this one has exited; null for none. */
        Worker replacement;
        /** What this worker has been sent and keeps. */
        final WorkerHoldings holdings = new WorkerHoldings();
        /** The process's entry in {@code /proc}, set when it is ready; see {@link #isUp()}. */
        File procEntry;

        Worker(String name, boolean refillSpare) {
            this.name = name;
            this.refillSpare = refillSpare;
        }

        void run() {
            int exitCode = -1;
            CompletableFuture<Void> readySignal = new CompletableFuture<>();
            try {
                try {
                    jvm = ChildJvm.start(startMethod, name, options, classPath);
                } catch (InterruptedException e) {
                    // nothing interrupts a worker thread on purpose: launch a fresh JVM rather than wait
                    jvm = ChildJvm.launch(name, options, classPath);
                }
                lock.lock();
                try {
                    if (destroyed) {
                        jvm.process().toHandle().destroyForcibly();
                    }
                } finally {
                    lock.unlock();
                }
                jvm.killIfNotReady(readySignal, options.startTimeout());
                Wire wire = jvm.wire();
                wire.send(Wire.INIT, 0, WorkerProtocol.writeOrders(new ProcessInfo(name, jvm.pid()), Processes.current(),
                        initializer.bundle(), initializer.bytes()));
                Wire.Frame frame;
                while ((frame = wire.receive(jvm::output)) != null) {
                    switch (frame.type()) {
                        case Wire.OUTPUT -> jvm.output(frame.payload());
                        case Wire.READY -> {
                            readySignal.complete(null);
                            onReady(this);
                            if (refillSpare && startMethod == StartMethod.FORKSERVER) {
                                Spares.replenish(options, classPath); // once it is up, not to slow its start
                            }
                        }
                        case Wire.RESULT, Wire.FAILED -> {
                            if (readySignal.isDone()) {
                                onReply(this, frame);
                            } else {
                                initializerFailed(WorkerProtocol.readFailure(frame.payload(), initializerLoader));
                            }
                        }
                        default -> { }
                    }
                }
            } catch (ChildStartException e) {
                lock.lock();
                try {
                    startFailure = e;
                } finally {
                    lock.unlock();
                }
            } catch (Wire.NotAFrameException e) {
                System.err.println("warning: " + name + " broke the protocol with its parent and was killed: " + e.getMessage());
                jvm.process().toHandle().destroyForcibly();
            } catch (IOException e) {
                // the pipe broke: the worker died; its exit code says how
            } finally {
                if (jvm != null) {
                    exitCode = jvm.awaitExitCode();
                    jvm.finishOutput(OUTPUT_DRAIN);
                    jvm.closeWire();
                    if (!readySignal.isDone()) {
                        lock.lock();
                        try {
                            if (startFailure == null) {
                                startFailure = jvm.startFailure(exitCode, options.startTimeout());
                            }
                        } finally {
                            lock.unlock();
                        }
                    }
                }
                onExit(this, exitCode);
            }
        }

        /**
         * Whether this worker can take calls now; called with the lock held, before each call is handed
         * out. The operating system is asked too: a killed or crashed worker stays in {@link #workers}
         * until its thread has drained its output and called {@link #onExit}, and a caller that has
         * watched the process end must not still see it up. {@code Process.isAlive()} alone is not
         * enough: it turns false only once the JDK's reaper thread has run, which is after the process
         * is seen gone from outside.
         *
         * <p>Where there is a {@code /proc}, the question is whether the process's entry still exists:
         * one {@code stat}, some 2 µs, where {@code ProcessHandle.isAlive()} reads and parses
         * {@code /proc/<pid>/stat}, some 20 µs, which a warm round trip of 30 µs would feel. The answers
         * agree: both count a zombie as alive, and the entry goes when the JDK reaps the worker, its
         * parent being this JVM; its pid cannot be reused before {@code Process.isAlive()} turns false
         * a moment later.
         */
        boolean isUp() {
            if (!ready || destroyed || !jvm.process().isAlive()) {
                return false;
            }
            return PROC_ENTRIES ? procEntry.exists() : jvm.process().toHandle().isAlive();
        }

        private void initializerFailed(Throwable cause) {
            lock.lock();
            try {
                initializerFailed = true;
                startFailure = new ChildStartException("the initializer of " + ProcessPool.this.name
                        + " threw in " + name + ": " + cause, cause);
            } finally {
                lock.unlock();
            }
        }

        void send(int type, long id, byte[] payload) {
            try {
                jvm.wire().send(type, id, payload);
            } catch (IOException e) {
                // the worker is dying: its thread sees the end of the connection and reports it
            }
        }

        /**
         * Kills the worker JVM (or the launch in progress). Callers that may race a reply set
         * {@link #destroyed} under the pool lock first, so that the worker is never made idle again.
         */
        void destroy() {
            destroyed = true;
            ChildJvm child = jvm;
            if (child != null) {
                child.process().toHandle().destroyForcibly();
            }
        }
    }

    @Override
    public String toString() {
        lock.lock();
        try {
            return "<ProcessPool name='" + name + "' workers=" + size + " state=" + state.name().toLowerCase()
                    + " queued=" + queue.size() + ">";
        } finally {
            lock.unlock();
        }
    }
}
