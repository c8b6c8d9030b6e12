package dev.workbook.cluster;

import com.hazelcast.core.HazelcastInstance;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Hazelcast instance of each cluster this JVM takes part in, by cluster name: the caller's client,
 * or a member's own instance. A {@link ClusterQueue} that arrives by value (captured by a task) finds
 * its cluster here.
 */
final class Instances {

    private static final Map<String, HazelcastInstance> BY_CLUSTER = new ConcurrentHashMap<>();

    private Instances() {
    }

    static void register(String clusterName, HazelcastInstance instance) {
        BY_CLUSTER.put(clusterName, instance);
    }

    static void forget(String clusterName, HazelcastInstance instance) {
        BY_CLUSTER.remove(clusterName, instance);
    }

    /** @throws IllegalStateException if this JVM is not in that cluster, or has left it */
    static HazelcastInstance of(String clusterName) {
        HazelcastInstance instance = BY_CLUSTER.get(clusterName);
        if (instance == null || !instance.getLifecycleService().isRunning()) {
            throw new IllegalStateException("this JVM is not connected to cluster '" + clusterName
                    + "' (any more): use the queue from the caller of Cluster.local/connect, or from a task running on a member");
        }
        return instance;
    }
}
