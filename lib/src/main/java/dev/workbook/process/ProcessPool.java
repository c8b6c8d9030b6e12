package dev.workbook.process;

import dev.workbook.codec.MessageCodec;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashSet;
import java.util.Iterator;
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
import java.util.concurrent.RejectedExecutionException;
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
 * fresh one after {@linkplain Builder#maxTasksPerWorker max tasks per worker} calls, if set.
 *
 * <h2>Failures</h2>
 * A call that throws fails its future with the exception (rebuilt here, with the worker's stack
 * trace); the worker carries on. A worker that dies during a call (killed, {@code System.exit}, out
 * of memory: workers run with {@code -XX:+ExitOnOutOfMemoryError}) fails only the future of that call,
 * with a {@link WorkerDiedException} saying which worker died and how; the pool starts a replacement
 * and keeps serving. The pool gives up ("broken") only when workers cannot start at all: the
 * initializer throws, or three starts in a row fail; queued and new calls then fail with the reason.
 *
 * <h2>Shutting down</h2>
 * {@link #shutdown(boolean)} (and {@link #close()}) stop new calls, optionally cancel the queued ones,
 * wait for the rest to finish, and stop the workers. A worker also stops when this JVM exits.
 *
 * <p>Thread safety: every method may be called from any thread.
 */
public final class ProcessPool implements AutoCloseable {

    /** Starts that fail in a row before the pool gives up: one failure may be bad luck, three are not. */
    private static final int MAX_START_FAILURES = 3;
    /** Class bundles a worker keeps (JShell code only); the least recently used is dropped after. */
    private static final int MAX_BUNDLES_PER_WORKER = 32;
    /** Map functions a worker keeps deserialized; the least recently used is dropped after. */
    private static final int MAX_FUNCTIONS_PER_WORKER = 8;
    private static final Duration OUTPUT_DRAIN = Duration.ofMillis(500);
    private static final AtomicInteger POOL_COUNTER = new AtomicInteger();

    private enum State { RUNNING, SHUTDOWN, BROKEN, TERMINATED }

    private final String name;
    private final int size;
    private final int maxTasksPerWorker;
    private final JvmOptions options;
    private final ChildClassPath classPath;
    private final ClassBundle initializerBundle;
    private final byte[] initializerBytes;
    private final ClassLoader initializerLoader;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Deque<Call<?>> queue = new ArrayDeque<>();
    private final Set<Worker> workers = new LinkedHashSet<>();
    private final Deque<Worker> idle = new ArrayDeque<>();
    private State state = State.RUNNING;
    private Throwable brokenBy;
    private int consecutiveStartFailures;
    private int workerCounter;
    private final AtomicLong callCounter = new AtomicLong();
    private final AtomicLong functionCounter = new AtomicLong();

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
        Set<ClassLoader> loaders = new HashSet<>();
        if (builder.initializer != null) {
            Packer packer = new Packer("the initializer of " + name);
            this.initializerBytes = packer.serialize(builder.initializer);
            loaders.addAll(packer.loaders());
            loaders.add(builder.initializer.getClass().getClassLoader());
            this.classPath = ChildClassPath.forLoaders(loaders);
            this.initializerBundle = packer.bundle(classPath);
            this.initializerLoader = builder.initializer.getClass().getClassLoader();
        } else {
            this.initializerBytes = new byte[0];
            this.classPath = ChildClassPath.forLoaders(loaders);
            this.initializerBundle = ClassBundle.EMPTY;
            this.initializerLoader = ProcessPool.class.getClassLoader();
        }
        lock.lock();
        try {
            for (int i = 0; i < size; i++) {
                startWorker();
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
        private String name;

        private Builder() {
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

    /** The number of workers the pool keeps. */
    public int size() {
        return size;
    }

    /** The pids of the workers that are up now. */
    public List<Long> workerPids() {
        lock.lock();
        try {
            List<Long> pids = new ArrayList<>();
            for (Worker worker : workers) {
                if (worker.ready) {
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
                long ready = workers.stream().filter(worker -> worker.ready && !worker.retiring).count();
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
        return this.<R>enqueue(List.of(prepare(task, task.getClass().getClassLoader(), "a task"))).get(0);
    }

    /** Runs {@code function.apply(argument)} in a worker; see {@link #submit(SerializableCallable)}. */
    public <T, R> Future<R> submit(SerializableFunction<T, R> function, T argument) {
        Objects.requireNonNull(function, "function");
        return this.<R>enqueue(List.of(prepare(new Apply<>(function, argument), function.getClass().getClassLoader(), "a task")))
                .get(0);
    }

    /** Same as {@link #map(SerializableFunction, Collection, int)} with chunks of one item. */
    public <T, R> List<R> map(SerializableFunction<T, R> function, Collection<? extends T> items)
            throws InterruptedException, ExecutionException {
        return map(function, items, 1);
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
     * <p>If a call fails, the calls not yet started are cancelled, the running ones are left to finish
     * (their results dropped) and this method throws at once. If interrupted, it cancels every call,
     * stopping the running ones by killing their workers (which the pool replaces).
     *
     * @throws ExecutionException             the first failure, with the cause as for {@link #submit}
     * @throws InterruptedException           if interrupted while waiting
     * @throws NotSerializableTargetException if the function or an item cannot be serialized (the calls
     *                                        of the chunks before it are cancelled)
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
        ClassLoader resolver = function.getClass().getClassLoader();
        // Each chunk is queued as soon as it is encoded, so that workers start on the first ones
        // while the rest are prepared.
        List<Call<List<R>>> calls = new ArrayList<>();
        List<T> chunk = new ArrayList<>(chunkSize);
        Iterator<? extends T> iterator = items.iterator();
        MapFunction shared = null;
        try {
            while (iterator.hasNext()) {
                chunk.add(iterator.next());
                if (chunk.size() == chunkSize || !iterator.hasNext()) {
                    Prepared prepared;
                    if (MessageCodec.allScalars(chunk)) {
                        if (shared == null) {
                            shared = prepareFunction(function);
                        }
                        prepared = new Prepared(encodeScalars(chunk), shared.bundle(), resolver, "a map call", shared);
                    } else {
                        // Items of other types may need shipped classes of their own: the chunk travels
                        // whole, function and items serialized together.
                        prepared = prepare(new Chunk<>(function, chunk), resolver, "a map call");
                    }
                    calls.add(this.<List<R>>enqueue(List.of(prepared)).get(0));
                    chunk = new ArrayList<>(chunkSize);
                }
            }
        } catch (RuntimeException e) {
            calls.forEach(call -> call.cancel(false));
            throw e;
        }
        CompletableFuture<Void> firstFailure = new CompletableFuture<>();
        for (Call<List<R>> call : calls) {
            call.result.whenComplete((value, error) -> {
                if (error != null) {
                    firstFailure.completeExceptionally(error);
                }
            });
        }
        CompletableFuture<Void> all = CompletableFuture.allOf(calls.stream().map(call -> call.result).toArray(CompletableFuture[]::new));
        try {
            CompletableFuture.anyOf(all, firstFailure).get();
        } catch (InterruptedException e) {
            calls.forEach(call -> call.cancel(true));
            throw e;
        } catch (ExecutionException e) {
            calls.forEach(call -> call.cancel(false));
            Throwable cause = e.getCause();
            if (cause instanceof CancellationException) {
                throw new ExecutionException("a call of this map was cancelled", cause);
            }
            throw new ExecutionException(cause);
        }
        List<R> results = new ArrayList<>(items.size());
        for (Call<List<R>> call : calls) {
            results.addAll(call.result.getNow(null));
        }
        return results;
    }

    /**
     * Stops taking calls, waits for those already submitted to finish, and stops the workers; Python's
     * {@code shutdown(wait=True, cancel_futures=cancelPending)}. Calling it again does no harm.
     *
     * <p>If interrupted while waiting, kills the workers, cancels every unfinished call, and returns
     * with the interrupt status set.
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
        boolean interrupted = false;
        lock.lock();
        try {
            while (!workers.isEmpty()) {
                try {
                    changed.await();
                } catch (InterruptedException e) {
                    interrupted = true;
                    abort();
                }
            }
            state = State.TERMINATED;
        } finally {
            lock.unlock();
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Cancels every unfinished call and kills every worker; called with the lock held. */
    private void abort() {
        state = State.TERMINATED;
        List<Call<?>> unfinished = new ArrayList<>(queue);
        queue.clear();
        for (Worker worker : workers) {
            if (worker.current != null) {
                unfinished.add(worker.current);
            }
            worker.destroy();
        }
        unfinished.forEach(call -> call.result.cancel(false));
    }

    /** {@link #shutdown(boolean) shutdown(false)}: finishes every submitted call, then stops the workers. */
    @Override
    public void close() {
        shutdown(false);
    }

    // ---------------------------------------------------------------------------------------------
    // Calls

    /**
     * A call serialized and ready to queue: a serialized {@link SerializableCallable} if
     * {@code function} is null, else the encoded items of a map chunk that {@code function} applies to.
     */
    private record Prepared(byte[] bytes, ClassBundle bundle, ClassLoader resolver, String description, MapFunction function) {
    }

    /** The function of one {@code map} call, serialized once; each worker gets its bytes once. */
    private record MapFunction(long id, byte[] bytes, ClassBundle bundle) {
    }

    private Prepared prepare(SerializableCallable<?> callable, ClassLoader resolver, String what) {
        Packer packer = new Packer(what + " for " + name);
        byte[] bytes = packer.serialize(callable);
        ClassBundle bundle = packer.bundle(classPath);
        return new Prepared(bytes, bundle, resolver, what, null);
    }

    private MapFunction prepareFunction(SerializableFunction<?, ?> function) {
        Packer packer = new Packer("the function of a map call for " + name);
        byte[] bytes = packer.serialize(function);
        return new MapFunction(functionCounter.incrementAndGet(), bytes, packer.bundle(classPath));
    }

    private static byte[] encodeScalars(List<?> items) {
        return MessageCodec.trusting(ProcessPool.class.getClassLoader()).encodeList(items);
    }

    // Apply and Chunk travel with every call: plain classes rather than records, since a fresh JVM
    // takes some 20 ms to deserialize its first record (through method handles), and 1 ms for a class.

    /** A function bound to its argument. */
    private static final class Apply<T, R> implements SerializableCallable<R> {
        private static final long serialVersionUID = 1L;
        private final SerializableFunction<T, R> function;
        private final T argument;

        Apply(SerializableFunction<T, R> function, T argument) {
            this.function = function;
            this.argument = argument;
        }

        @Override
        public R call() throws Exception {
            return function.apply(argument);
        }
    }

    /** A function bound to a chunk of items: one round trip for the lot. */
    private static final class Chunk<T, R> implements SerializableCallable<List<R>> {
        private static final long serialVersionUID = 1L;
        private final SerializableFunction<T, R> function;
        private final List<T> items;

        Chunk(SerializableFunction<T, R> function, List<T> items) {
            this.function = function;
            this.items = items;
        }

        @Override
        public List<R> call() throws Exception {
            List<R> results = new ArrayList<>(items.size());
            for (T item : items) {
                results.add(function.apply(item));
            }
            return results;
        }
    }

    @SuppressWarnings("unchecked")
    private <R> List<Call<R>> enqueue(List<Prepared> prepared) {
        List<Call<R>> calls = new ArrayList<>(prepared.size());
        lock.lock();
        try {
            if (state != State.RUNNING) {
                String why = state == State.BROKEN ? "it is broken: " + brokenBy.getMessage() : "it is shut down";
                throw new RejectedExecutionException(name + " takes no more calls: " + why, brokenBy);
            }
            for (Prepared call : prepared) {
                Call<R> queued = new Call<>(callCounter.incrementAndGet(), call);
                queue.add(queued);
                calls.add(queued);
            }
        } finally {
            lock.unlock();
        }
        dispatch();
        return calls;
    }

    /**
     * A submitted call: queued, then running on a worker, then done. {@code cancel(true)} on a running
     * call kills its worker (the pool replaces it); {@code cancel(false)} lets it finish and drops the
     * result.
     */
    private final class Call<R> implements Future<R> {
        final long id;
        final Prepared prepared;
        final CompletableFuture<R> result = new CompletableFuture<>();
        /** Guarded by the pool lock; the worker running this call, or null. */
        Worker worker;

        Call(long id, Prepared prepared) {
            this.id = id;
            this.prepared = prepared;
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
                running = worker;
                result.cancel(false);
            } finally {
                lock.unlock();
            }
            if (running != null && mayInterruptIfRunning) {
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
                worker.current = call;
                call.worker = worker;
                byte[] frame = worker.framePayload(call.prepared);
                sends.add(() -> worker.send(Wire.CALL, call.id, frame));
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

    // ---------------------------------------------------------------------------------------------
    // Workers

    /** Creates and starts a worker; called with the lock held. */
    private void startWorker() {
        Worker worker = new Worker(name + "-worker-" + ++workerCounter);
        workers.add(worker);
        Thread thread = new Thread(worker::run, worker.name);
        thread.setDaemon(true);
        thread.start();
    }

    /** Whether to start a worker after one left; called with the lock held. */
    private boolean needsReplacement() {
        long active = workers.stream().filter(worker -> !worker.retiring).count();
        return switch (state) {
            case RUNNING -> active < size;
            case SHUTDOWN -> !queue.isEmpty() && active < size;
            case BROKEN, TERMINATED -> false;
        };
    }

    private void onReady(Worker worker) {
        lock.lock();
        try {
            worker.ready = true;
            consecutiveStartFailures = 0;
            if (state == State.BROKEN || state == State.TERMINATED) {
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
            if (maxTasksPerWorker > 0 && worker.callsRun >= maxTasksPerWorker) {
                retire = true;
                worker.retiring = true;
                if (needsReplacement()) {
                    startWorker();
                }
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
        ClassLoader resolver = call.prepared.resolver();
        if (frame.type() == Wire.RESULT) {
            try {
                call.result.complete((R) MessageCodec.trusting(resolver).decode(frame.payload()));
            } catch (RuntimeException e) {
                call.result.completeExceptionally(new IOException("cannot read the result of " + call.prepared.description()
                        + ": " + e.getMessage(), e));
            }
        } else {
            call.result.completeExceptionally(Failures.decode(frame.payload(), resolver));
        }
    }

    private void onExit(Worker worker, int exitCode) {
        Call<?> held;
        Throwable startFailure = null;
        List<Call<?>> orphaned = List.of();
        lock.lock();
        try {
            workers.remove(worker);
            idle.remove(worker);
            held = worker.current;
            worker.current = null;
            if (!worker.ready) {
                consecutiveStartFailures++;
                startFailure = worker.startFailure != null ? worker.startFailure
                        : new ChildStartException(worker.name + " " + ExitStatus.describe(exitCode) + " before it was ready");
                if ((worker.initializerFailed || consecutiveStartFailures >= MAX_START_FAILURES) && state != State.TERMINATED
                        && state != State.BROKEN) {
                    state = State.BROKEN;
                    brokenBy = startFailure;
                    orphaned = new ArrayList<>(queue);
                    queue.clear();
                    workers.forEach(Worker::destroy);
                }
            }
            if (needsReplacement()) {
                startWorker();
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (held != null && !held.result.isDone()) {
            String message = "worker " + worker.name + " (pid " + worker.jvm.pid() + ") died while running "
                    + held.prepared.description() + ": it " + ExitStatus.describe(exitCode) + worker.jvm.stderrSummary();
            held.result.completeExceptionally(new WorkerDiedException(message, worker.name, worker.jvm.pid(), exitCode));
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
        /** Class bundles this worker has, least recently used first. */
        final LinkedHashMap<String, Boolean> bundles = new LinkedHashMap<>(16, 0.75f, true);
        /** The ids of the map functions this worker has, least recently used first. */
        final LinkedHashMap<Long, Boolean> functions = new LinkedHashMap<>(16, 0.75f, true);

        Worker(String name) {
            this.name = name;
        }

        void run() {
            int exitCode = -1;
            CompletableFuture<Void> readySignal = new CompletableFuture<>();
            try {
                jvm = ChildJvm.launch(name, options, classPath);
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
                wire.send(Wire.INIT, 0, ChildMain.initPayload(new ProcessInfo(name, jvm.pid()), Processes.current(), initializerBundle, initializerBytes));
                Wire.Frame frame;
                while ((frame = wire.receive(jvm::output)) != null) {
                    switch (frame.type()) {
                        case Wire.OUTPUT -> jvm.output(frame.payload());
                        case Wire.READY -> {
                            readySignal.complete(null);
                            onReady(this);
                        }
                        case Wire.RESULT, Wire.FAILED -> {
                            if (readySignal.isDone()) {
                                onReply(this, frame);
                            } else {
                                initializerFailed(Failures.decode(frame.payload(), initializerLoader));
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

        /** The payload of a call frame for this worker, sending the call's classes if it lacks them; under the lock. */
        byte[] framePayload(Prepared call) {
            String key = call.bundle().key();
            ClassBundle toSend = null;
            String drop = null;
            if (!key.isEmpty() && bundles.get(key) == null) {
                toSend = call.bundle();
                bundles.put(key, Boolean.TRUE);
                if (bundles.size() > MAX_BUNDLES_PER_WORKER) {
                    Iterator<Map.Entry<String, Boolean>> eldest = bundles.entrySet().iterator();
                    drop = eldest.next().getKey();
                    eldest.remove();
                }
            }
            MapFunction function = call.function();
            if (function == null) {
                return ChildMain.callPayload(key, toSend, drop, call.bytes());
            }
            boolean has = functions.get(function.id()) != null;
            long dropFunction = 0;
            if (!has) {
                functions.put(function.id(), Boolean.TRUE);
                if (functions.size() > MAX_FUNCTIONS_PER_WORKER) {
                    Iterator<Long> eldest = functions.keySet().iterator();
                    dropFunction = eldest.next();
                    eldest.remove();
                }
            }
            return ChildMain.applyPayload(key, toSend, drop, function.id(), has ? null : function.bytes(), dropFunction, call.bytes());
        }

        void send(int type, long id, byte[] payload) {
            try {
                jvm.wire().send(type, id, payload);
            } catch (IOException e) {
                // the worker is dying: its thread sees the end of the connection and reports it
            }
        }

        /** Kills the worker JVM (or the launch in progress). */
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
