package dev.workbook.process;

import dev.workbook.codec.MessageCodec;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * What a spare JVM ({@link StartMethod#FORKSERVER}) does before it waits for its orders: it runs, once,
 * on throw-away data, the parts of a child's first moments that cost a fresh JVM the most, so that the
 * child that takes it does not pay them:
 * <ul>
 *   <li>the first serializable lambda and the first string concatenation (their bootstraps: some 5 and
 *       10 ms);</li>
 *   <li>the first Java deserialization, whose set-up ({@code ObjectInputFilter}, {@code System.getLogger}
 *       looking through every jar of the class path) costs 30-60 ms;</li>
 *   <li>the deserialization of the classes that carry {@code new ChildProcess(f, argument)} and
 *       {@code (f, first, second)} targets (a class's first deserialization looks it over by reflection);</li>
 *   <li>the orders, call, result and failure messages of {@link WorkerProtocol}, and the codec's
 *       scalar lists, as a {@link ChildProcess} and a pool worker read and write them.</li>
 * </ul>
 * It touches no state a child can see: no system property, no {@link Processes#current()}, nothing on
 * {@code System.out}. Runs in the spare only.
 */
final class SpareWarmUp {

    private SpareWarmUp() {
    }

    /** A pool function as a user's would be: a serializable lambda, deserialized through SerializedLambda. */
    private static SerializableFunction<Object, Object> identity() {
        return item -> item;
    }

    /**
     * Runs the warm-up; whatever fails is left for the child to meet for real (a warm-up is an
     * optimisation, never a reason for a spare not to serve).
     */
    static void run() {
        ClassLoader loader = SpareWarmUp.class.getClassLoader();
        MessageCodec codec = MessageCodec.trusting(loader);
        try {
            SerializableRunnable target = () -> { };
            SerializableCallable<Object> task = () -> "warm " + System.nanoTime();
            byte[] orders = WorkerProtocol.writeOrders(new ProcessInfo("warm-up", 1), new ProcessInfo("parent", 1),
                    ClassBundle.EMPTY, codec.serialize(target));
            WorkerProtocol.Orders read = WorkerProtocol.readOrders(orders);
            ((SerializableRunnable) codec.deserialize(read.object)).run();
            // The targets of new ChildProcess(f, argument) and (f, first, second), as the lesson writes them.
            SerializableConsumer<Object> consumer = argument -> { };
            SerializableBiConsumer<Object, Object> biConsumer = (first, second) -> { };
            ((SerializableRunnable) codec.deserialize(codec.serialize(new ChildProcess.Bound1<>(consumer, "one")))).run();
            ((SerializableRunnable) codec.deserialize(codec.serialize(new ChildProcess.Bound2<>(biConsumer, "one", List.of(2))))).run();

            WorkerProtocol.BundleChange none = new WorkerProtocol.BundleChange("", null, "");
            WorkerProtocol.CallOrder call = WorkerProtocol.readCall(WorkerProtocol.writeCallable(none, codec.serialize(task)));
            Object result = ((Callable<?>) codec.deserialize(call.callable)).call();
            WorkerProtocol.readResult(WorkerProtocol.writeResult(result, false), loader);

            byte[] items = codec.encodeList(List.of(1L, 2, "three", 4.0, true));
            WorkerProtocol.CallOrder chunk = WorkerProtocol.readCall(
                    WorkerProtocol.writeApply(none, 1, codec.serialize(identity()), 0, items));
            @SuppressWarnings("unchecked")
            SerializableFunction<Object, Object> function = (SerializableFunction<Object, Object>) codec.deserialize(chunk.function);
            List<?> decoded = (List<?>) codec.decode(chunk.items);
            List<Object> results = new java.util.ArrayList<>(decoded.size());
            for (Object item : decoded) {
                results.add(function.apply(item));
            }
            WorkerProtocol.readResult(WorkerProtocol.writeResult(results, true), loader);

            WorkerProtocol.readFailure(WorkerProtocol.writeFailure(new IllegalStateException("warm-up")), loader);
        } catch (Exception | LinkageError e) {
            // see above: the child meets it for real
        }
    }
}
