package dev.workbook.process;

import dev.workbook.codec.MessageCodec;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * One call of {@link ProcessPool#map(SerializableFunction, Collection, int)}: cuts the items into
 * chunks, queues each chunk as soon as it is packed (so that workers start on the first chunks while
 * the rest are packed), waits for them all, and returns the results in input order.
 *
 * <p>Whatever ends the wait early ends the whole map: the first chunk that fails, an interrupt, or
 * any other throwable (a notebook's interrupt throws an {@code Error} into the waiting thread). Then
 * every chunk of the map is cancelled: queued ones never start, and running ones are stopped by
 * killing their workers, which the pool replaces. A chunk left running would hold its worker for
 * nothing, and forever if its task never returns.
 *
 * <p>Not thread-safe: one instance per call of {@code map}, used by the calling thread.
 */
final class ChunkedMap<T, R> {

    private final ProcessPool pool;
    private final SerializableFunction<T, R> function;
    private final int chunkSize;
    private final ClassLoader resolver;
    /** The queued chunks, in input order. */
    private final List<ProcessPool.Call<List<R>>> calls = new ArrayList<>();
    /** The items of each queued chunk, and the input index of its first: to name an item that failed. */
    private final List<List<T>> chunkItems = new ArrayList<>();
    private final List<Integer> chunkStarts = new ArrayList<>();
    /** Packed once, for the chunks of scalar items; the others carry the function with their items. */
    private PackedCall.Function sharedFunction;

    ChunkedMap(ProcessPool pool, SerializableFunction<T, R> function, int chunkSize) {
        this.pool = pool;
        this.function = function;
        this.chunkSize = chunkSize;
        this.resolver = function.getClass().getClassLoader();
    }

    /** Queues every chunk, waits for all, and returns the results in input order; see {@code ProcessPool.map}. */
    List<R> run(Collection<? extends T> items) throws InterruptedException, ExecutionException {
        // Built before anything can go wrong: the thread that ends up in the catch block below may be
        // unable to run any code of this package (see ProcessPool.reclaimer).
        Runnable cancelAll = pool.canceller(calls);
        try {
            queueChunks(items);
            return awaitResults(items.size());
        } catch (Throwable endedEarly) {
            try {
                cancelAll.run();
            } catch (Throwable stopped) {
                pool.reclaimer.execute(cancelAll);
            }
            throw endedEarly;
        }
    }

    private void queueChunks(Collection<? extends T> items) {
        List<T> chunk = new ArrayList<>(chunkSize);
        int firstIndex = 0;
        Iterator<? extends T> iterator = items.iterator();
        while (iterator.hasNext()) {
            chunk.add(iterator.next());
            if (chunk.size() == chunkSize || !iterator.hasNext()) {
                calls.add(pool.enqueue(pack(chunk, firstIndex)));
                chunkItems.add(chunk);
                chunkStarts.add(firstIndex);
                firstIndex += chunk.size();
                chunk = new ArrayList<>(chunkSize);
            }
        }
    }

    private PackedCall pack(List<T> chunk, int firstIndex) {
        if (MessageCodec.allScalars(chunk)) {
            if (sharedFunction == null) {
                sharedFunction = pool.packFunction(function);
            }
            return new PackedCall(ProcessPool.encodeScalars(chunk), sharedFunction.bundle(), resolver, "a map call", sharedFunction);
        }
        // Items of other types may need shipped classes of their own: the chunk travels whole,
        // function and items serialized together.
        try {
            return pool.pack(new Chunk<>(function, chunk), resolver, "a map call");
        } catch (NotSerializableTargetException unsendable) {
            throw nameTheItem(unsendable, chunk, firstIndex);
        }
    }

    /** The same refusal, naming the item by its index in the input rather than in its chunk. */
    private RuntimeException nameTheItem(NotSerializableTargetException refusal, List<T> chunk, int firstIndex) {
        for (int i = 0; i < chunk.size(); i++) {
            String item = "item #" + (firstIndex + i) + " of the map";
            SerializabilityProbe.Finding finding = SerializabilityProbe.find(chunk.get(i), item);
            if (finding != null) {
                return new NotSerializableTargetException("Cannot send " + item + " to a worker of " + pool.name() + ": "
                        + finding.path() + " " + finding.problem() + ". A worker gets a copy of every item: pass only"
                        + " serializable items (the data the function needs).", finding.offendingClass().getName(),
                        finding.path(), refusal);
            }
        }
        return refusal; // the function itself, or a class that cannot be shipped
    }

    private List<R> awaitResults(int size) throws InterruptedException, ExecutionException {
        CompletableFuture<Void> anyFailed = new CompletableFuture<>();
        for (ProcessPool.Call<List<R>> call : calls) {
            call.result.whenComplete((value, error) -> {
                if (error != null) {
                    anyFailed.complete(null);
                }
            });
        }
        CompletableFuture<Void> all = CompletableFuture.allOf(calls.stream().map(call -> call.result).toArray(CompletableFuture[]::new));
        try {
            CompletableFuture.anyOf(all, anyFailed).get(); // interruptible
        } catch (ExecutionException failed) {
            // every call is done and one failed: named below
        }
        for (int chunk = 0; chunk < calls.size(); chunk++) {
            CompletableFuture<List<R>> result = calls.get(chunk).result;
            if (result.isCompletedExceptionally()) {
                throw failureOf(result, describe(chunkItems.get(chunk), chunkStarts.get(chunk)));
            }
        }
        List<R> results = new ArrayList<>(size);
        for (ProcessPool.Call<List<R>> call : calls) {
            results.addAll(call.result.getNow(null));
        }
        return results;
    }

    /** The failure of a chunk's call, naming its items; the cause is what the task threw, as for {@code submit}. */
    private static ExecutionException failureOf(CompletableFuture<?> result, String which) {
        Throwable cause;
        try {
            result.join();
            throw new IllegalStateException("a failed call has a result");
        } catch (CompletionException e) {
            cause = e.getCause() != null ? e.getCause() : e;
        } catch (CancellationException e) {
            return new ExecutionException("the call for " + which + " was cancelled", e);
        }
        return new ExecutionException(which + " raised " + cause, cause);
    }

    /** The longest an item's {@code toString} is quoted in a failure, in characters. */
    static final int QUOTED_VALUE = 80;

    /**
     * Names a failed chunk's items by their index in the input and their value, quoted up to
     * {@value #QUOTED_VALUE} characters: "item #7 of the map (value 42)" for a chunk of one, the
     * default; the range and the first few values for a bigger chunk, since which of its items raised
     * is known only inside the worker.
     */
    static String describe(List<?> chunk, int firstIndex) {
        if (chunk.size() == 1) {
            return "item #" + firstIndex + " of the map (value " + quote(chunk.get(0)) + ")";
        }
        StringBuilder values = new StringBuilder();
        for (int i = 0; i < Math.min(3, chunk.size()); i++) {
            values.append(i == 0 ? "" : ", ").append(quote(chunk.get(i)));
        }
        if (chunk.size() > 3) {
            values.append(", ...");
        }
        return "one of items #" + firstIndex + " to #" + (firstIndex + chunk.size() - 1) + " of the map (a chunk of "
                + chunk.size() + ", values " + values + ")";
    }

    private static String quote(Object item) {
        String text;
        try {
            text = String.valueOf(item);
        } catch (RuntimeException e) {
            return "a " + item.getClass().getName() + " whose toString threw " + e.getClass().getSimpleName();
        }
        return text.length() <= QUOTED_VALUE ? text : text.substring(0, QUOTED_VALUE) + "... (" + text.length() + " chars)";
    }

    // Chunk travels with every call: a plain class rather than a record, since a fresh JVM takes some
    // 20 ms to deserialize its first record (through method handles), and 1 ms for a class.

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
}
