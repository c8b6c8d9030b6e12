package dev.workbook.cluster;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import dev.workbook.process.SerializableRunnable;
import java.util.concurrent.CountDownLatch;

/**
 * A cluster member: the command that starts one on a host, and the target of a local member JVM.
 *
 * <p>On a host (every member needs the cluster jar and its dependencies, {@code cluster/target/*.jar}
 * and {@code cluster/target/dependency/*.jar}, on its class path):
 * <pre>
 * java -cp 'cluster/target/workbook-cluster-0.1.0-SNAPSHOT.jar:cluster/target/dependency/*' \
 *     dev.workbook.cluster.ClusterMember --interface 10.0.0.5 --network-is-trusted \
 *     --members 10.0.0.5:5701,10.0.0.6:5701 [--port 5701] [--cluster-name workbook] [--threads N] [--heartbeat 5,60]
 * </pre>
 * Without {@code --interface} it binds 127.0.0.1 only; a non-loopback interface is refused without
 * {@value MemberSettings#TRUST_FLAG} (see {@link MemberSettings}). It runs until killed (Ctrl-C or
 * SIGTERM stop it at once). Exit codes: 2 for bad arguments, 1 if the member cannot start.
 */
public final class ClusterMember {

    private ClusterMember() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length == 1 && (args[0].equals("--help") || args[0].equals("-h"))) {
            System.out.println("usage: ClusterMember [--interface IP[,IP...] " + MemberSettings.TRUST_FLAG + "] [--port 5701]"
                    + " [--members HOST:PORT,...] [--cluster-name workbook] [--threads N] [--heartbeat INTERVAL,MAX_SILENT]");
            return;
        }
        MemberSettings settings;
        try {
            settings = MemberSettings.parse(args);
            settings.checkNetwork();
        } catch (IllegalArgumentException e) {
            System.err.println("ClusterMember: " + e.getMessage());
            System.exit(2);
            return;
        }
        HazelcastInstance member;
        try {
            member = start(settings);
        } catch (RuntimeException e) {
            System.err.println("ClusterMember: cannot start " + settings + ": " + e);
            System.exit(1);
            return;
        }
        System.out.println("member " + member.getCluster().getLocalMember().getAddress() + " of cluster " + settings.clusterName()
                + " is up (" + settings + "); stop it with Ctrl-C");
        new CountDownLatch(1).await();
    }

    /** Starts a member in this JVM and registers it for the queues that tasks bring along. */
    static HazelcastInstance start(MemberSettings settings) {
        HazelcastLogging.quiet();
        HazelcastInstance member = Hazelcast.newHazelcastInstance(settings.toConfig());
        Instances.register(settings.clusterName(), member);
        return member;
    }

    /**
     * The target of a local member's JVM (a {@code ChildProcess}, so that it dies with its parent): starts
     * the member and keeps the JVM's main thread until the JVM is stopped.
     */
    static final class Local implements SerializableRunnable {
        private static final long serialVersionUID = 1L;
        private final MemberSettings settings;

        Local(MemberSettings settings) {
            this.settings = settings;
        }

        @Override
        public void run() throws InterruptedException {
            start(settings);
            new CountDownLatch(1).await(); // the parent ends this JVM: SIGTERM at close, or its own death
        }
    }
}
