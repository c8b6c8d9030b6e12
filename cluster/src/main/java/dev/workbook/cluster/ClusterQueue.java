package dev.workbook.cluster;

import com.hazelcast.collection.IQueue;
import dev.workbook.codec.MessageCodec;
import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The lesson's queue on a cluster: a Hazelcast {@code IQueue}, with {@code put}/{@code get(timeout)} as in
 * {@code SharedQueue}. Its content lives on the members, with one synchronous backup on another member
 * (when there is one), so that it survives the death of one member.
 *
 * <p>It travels by value: a task that captures it reaches the same queue from the member it runs on
 * (the queue finds the member's own Hazelcast instance there), as a {@code SharedQueue} captured by a
 * child process attaches to the same shared memory.
 *
 * <p>Messages are encoded with a {@link MessageCodec}: {@link MessageCodec#defaults()} unless
 * {@link #codec(MessageCodec)} says otherwise (scalars, strings and the allow-listed types).
 *
 * <p>Thread-safe.
 */
public final class ClusterQueue implements Serializable {

    private static final long serialVersionUID = 1L;

    private final String clusterName;
    private final String name;
    private final MessageCodec codec;

    ClusterQueue(String clusterName, String name) {
        this(clusterName, name, MessageCodec.defaults());
    }

    private ClusterQueue(String clusterName, String name, MessageCodec codec) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a queue needs a name");
        }
        this.clusterName = clusterName;
        this.name = name;
        this.codec = Objects.requireNonNull(codec, "codec");
    }

    /** The same queue, encoding and decoding messages with {@code newCodec}. */
    public ClusterQueue codec(MessageCodec newCodec) {
        return new ClusterQueue(clusterName, name, newCodec);
    }

    public String name() {
        return name;
    }

    /** The queue through an instance of this JVM that is in the cluster now (Hazelcast caches the proxy). */
    private IQueue<byte[]> queue() {
        return Instances.of(clusterName).getQueue(name);
    }

    /**
     * Adds a message, waiting while the queue is full (it is unbounded unless configured otherwise).
     *
     * @throws IllegalArgumentException if the codec cannot encode it
     * @throws InterruptedException     if interrupted while waiting
     */
    public void put(Object message) throws InterruptedException {
        queue().put(codec.encode(message));
    }

    /**
     * Takes the oldest message, waiting for one.
     *
     * @throws InterruptedException if interrupted while waiting
     */
    public Object get() throws InterruptedException {
        return codec.decode(queue().take());
    }

    /**
     * Takes the oldest message, waiting at most {@code timeout}.
     *
     * @throws TimeoutException     if none came in time
     * @throws InterruptedException if interrupted while waiting
     */
    public Object get(Duration timeout) throws InterruptedException, TimeoutException {
        byte[] bytes = queue().poll(Math.max(0, timeout.toNanos()), TimeUnit.NANOSECONDS);
        if (bytes == null) {
            throw new TimeoutException("no message on cluster queue '" + name + "' within " + timeout.toMillis() + " ms");
        }
        return codec.decode(bytes);
    }

    /** The number of messages in the queue now. */
    public int size() {
        return queue().size();
    }

    @Override
    public String toString() {
        return "ClusterQueue[" + name + " of " + clusterName + "]";
    }
}
