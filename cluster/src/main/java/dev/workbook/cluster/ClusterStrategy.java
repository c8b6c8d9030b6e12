package dev.workbook.cluster;

import dev.workbook.experiment.Execution;
import dev.workbook.experiment.PoolExecution;
import dev.workbook.experiment.Strategy;
import java.util.Objects;

/**
 * Runs an experiment's tasks on a Hazelcast cluster, so that a cluster is timed in the same table as
 * threads and processes:
 * <ul>
 *   <li>{@code cluster} ({@link #local()}): {@code open(n)} starts a local cluster of n members, one task
 *       at a time each (as n pool workers), before timing; {@code map} measures the work and the round trips;</li>
 *   <li>{@code cluster} too ({@link #connected(Cluster)}): the members of a cluster already
 *       connected to, however many there are; the worker count does not apply.</li>
 * </ul>
 * Items travel one per call (chunk size 1), as in the process-pool strategy ({@link PoolExecution} is
 * their common part). The CPU time of local members
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
            return PoolExecution.on(connected.pool(), null);
        }
        if (workers < 1) {
            throw new IllegalArgumentException("a cluster needs at least 1 member, was " + workers);
        }
        Cluster cluster = Cluster.local(workers);
        try {
            return PoolExecution.on(cluster.pool(), cluster);
        } catch (Exception e) {
            cluster.close();
            throw e;
        }
    }
}
