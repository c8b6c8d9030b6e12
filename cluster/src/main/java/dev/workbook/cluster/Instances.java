package dev.workbook.cluster;

import com.hazelcast.core.HazelcastInstance;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The Hazelcast instance of each cluster this JVM takes part in, by cluster name: the caller's client,
 * or a member's own instance. A {@link ClusterQueue} that arrives by value (captured by a task) finds
 * its cluster here. Several clients of one cluster may live in one JVM (two notebooks' cells, a test and
 * its JShell): any of them that still runs serves.
 */
final class Instances {

    private static final Map<String, List<HazelcastInstance>> BY_CLUSTER = new ConcurrentHashMap<>();

    private Instances() {
    }

    static void register(String clusterName, HazelcastInstance instance) {
        BY_CLUSTER.computeIfAbsent(clusterName, name -> new CopyOnWriteArrayList<>()).add(instance);
    }

    static void forget(String clusterName, HazelcastInstance instance) {
        BY_CLUSTER.computeIfPresent(clusterName, (name, instances) -> {
            instances.remove(instance);
            return instances.isEmpty() ? null : instances;
        });
    }

    /** @throws IllegalStateException if this JVM is not in that cluster, or has left it */
    static HazelcastInstance of(String clusterName) {
        for (HazelcastInstance instance : BY_CLUSTER.getOrDefault(clusterName, List.of())) {
            if (instance.getLifecycleService().isRunning()) {
                return instance;
            }
        }
        throw new IllegalStateException("this JVM is not connected to cluster '" + clusterName
                + "' (any more): use the queue from the caller of Cluster.local/connect, or from a task running on a member");
    }
}
