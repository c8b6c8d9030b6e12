package dev.workbook.cluster;

import dev.workbook.experiment.Execution;
import dev.workbook.experiment.Strategy;
import dev.workbook.experiment.Task;
import dev.workbook.gil.Checkpoint;
import dev.workbook.process.SerializableCallable;
import dev.workbook.process.SerializableFunction;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;

/**
 * Runs an experiment's tasks on a Hazelcast cluster, so that a cluster is timed in the same table as
 * threads and processes:
 * <ul>
 *   <li>{@code cluster} ({@link #local()}): {@code open(n)} starts a local cluster of n members, one task
 *       at a time each (as n pool workers), before timing; {@code map} measures the work and the round trips;</li>
 *   <li>{@code cluster} too ({@link #connected(Cluster)}): the members of a cluster already
 *       connected to, however many there are; the worker count does not apply.</li>
 * </ul>
 * Items travel one per call (chunk size 1), as in the process-pool strategy. The CPU time of local members
 * is counted by the experiment, which measures every descendant process; that of remote members is not.
 */
public final class ClusterStrategy implements Strategy {

    private final Cluster connected;

    private ClusterStrategy(Cluster connected) {
        this.connected = connected;
    }

    /** The {@code cluster} strategy: a local cluster of one member per worker, started before timing. */
    public static ClusterStrategy local() {
        return new ClusterStrategy(null);
    }

    /** The {@code cluster} strategy on the given cluster, which the caller keeps and closes. */
    public static ClusterStrategy connected(Cluster cluster) {
        return new ClusterStrategy(Objects.requireNonNull(cluster, "cluster"));
    }

    @Override
    public String name() {
        return "cluster";
    }

    @Override
    public String description() {
        return connected == null ? "a local Hazelcast cluster, one member JVM per worker (start-up not timed)"
                : "the members of a running Hazelcast cluster (" + connected.name() + ")";
    }

    @Override
    public boolean scalesWithWorkers() {
        return connected == null;
    }

    @Override
    public int defaultWorkers() {
        return connected == null ? Strategy.super.defaultWorkers() : Math.max(1, connected.size());
    }

    @Override
    public Execution open(int workers) throws Exception {
        if (connected != null) {
            return new ClusterExecution(connected.pool(), null);
        }
        if (workers < 1) {
            throw new IllegalArgumentException("a cluster needs at least 1 member, was " + workers);
        }
        Cluster cluster = Cluster.local(workers);
        try {
            return new ClusterExecution(cluster.pool(), cluster);
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    /** A task as a pool function: a named class, which a member deserializes faster than a lambda. */
    private static final class TaskCall<T, R> implements SerializableFunction<T, R> {
        private static final long serialVersionUID = 1L;
        private final Task<T, R> task;

        TaskCall(Task<T, R> task) {
            this.task = task;
        }

        @Override
        public R apply(T input) throws Exception {
            return task.apply(input, Checkpoint.NONE);
        }
    }

    /** A member's clock reading, for the offset. */
    private static final class MemberClock implements SerializableCallable<Long> {
        private static final long serialVersionUID = 1L;

        @Override
        public Long call() {
            return System.nanoTime();
        }
    }

    private static final class ClusterExecution implements Execution {
        private final ClusterPool pool;
        private final Cluster owned;
        private final long offset;

        ClusterExecution(ClusterPool pool, Cluster owned) throws Exception {
            this.pool = pool;
            this.owned = owned;
            this.offset = clockOffset(pool);
        }

        /** The members' nanoTime minus this JVM's, from the quickest of 5 round trips (error: half of it). */
        private static long clockOffset(ClusterPool pool) throws Exception {
            long best = Long.MAX_VALUE;
            long offset = 0;
            for (int i = 0; i < 5; i++) {
                long before = System.nanoTime();
                long member = pool.submit(new MemberClock()).get();
                long after = System.nanoTime();
                if (after - before < best) {
                    best = after - before;
                    offset = member - (before + (after - before) / 2);
                }
            }
            return offset;
        }

        @Override
        public <T, R> List<R> map(Task<T, R> task, List<T> inputs) throws Exception {
            try {
                return pool.map(new TaskCall<>(task), inputs, 1);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof Exception exception) {
                    throw exception; // the task's own failure, as the Execution contract says
                }
                throw e;
            }
        }

        @Override
        public long workerClockOffsetNanos() {
            return offset;
        }

        @Override
        public void close() {
            try {
                pool.close();
            } finally {
                if (owned != null) {
                    owned.close();
                }
            }
        }
    }
}
