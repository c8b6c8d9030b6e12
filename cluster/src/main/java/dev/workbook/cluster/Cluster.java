package dev.workbook.cluster;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import dev.workbook.process.ChildProcess;
import dev.workbook.process.ChildStartException;
import dev.workbook.process.JvmOptions;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Hazelcast cluster that this JVM uses as a client: members started here ({@link #local}) or running
 * elsewhere ({@link #connect}). Run functions on it with {@link #pool()}, pass messages with
 * {@link #queue(String)}.
 *
 * <pre>{@code
 * try (Cluster cluster = Cluster.local(2); ClusterPool pool = cluster.pool()) {
 *     List<Boolean> primes = pool.map(Primality::trialDivision, numbers);   // in input order
 * }
 * }</pre>
 *
 * <h2>Local members</h2>
 * {@code local(n)} starts n member JVMs on 127.0.0.1, in parallel, as {@link ChildProcess} children of
 * this JVM: they die with it, even if it is SIGKILLed (each notices its parent's end the way pool workers
 * do), and {@link #close()} stops them. Each gets a free port chosen here and the list of the others
 * (TCP-IP join, multicast off), and the cluster a name unique to it, so that two notebooks on one machine
 * never merge their clusters. The members' class path is this JVM's (with a notebook's {@code %jars}),
 * and the classes a notebook cell defined travel with each task. Start-up takes a few seconds: members
 * are JVMs that start Hazelcast. It returns when every member is in the cluster.
 *
 * <h2>Why a client</h2>
 * The caller joins as a Hazelcast client rather than a lite member: a client holds no partitions and runs
 * no member services (no heartbeats to answer, no migrations, no backups), so a notebook kernel stays a
 * light process and its death or pause never disturbs the cluster; it talks to every member directly
 * (smart routing), so a task costs one network round trip, as it would from a lite member.
 *
 * <p>Thread safety: every method may be called from any thread.
 */
public final class Cluster implements AutoCloseable {

    /** How long {@link #connect(String...)} tries before giving up. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** How long {@link #local} waits for its members to start and join. */
    public static final Duration LOCAL_START_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration MEMBER_STOP_WAIT = Duration.ofSeconds(10);
    private static final AtomicInteger LOCAL_CLUSTERS = new AtomicInteger();

    private final String name;
    private final HazelcastInstance client;
    private final List<String> addresses;
    private final List<ChildProcess> members;
    private final String heartbeat;
    private final Object lock = new Object();
    private boolean closed;

    private Cluster(String name, HazelcastInstance client, List<String> addresses, List<ChildProcess> members, String heartbeat) {
        this.name = name;
        this.client = client;
        this.addresses = List.copyOf(addresses);
        this.members = List.copyOf(members);
        this.heartbeat = heartbeat;
        Instances.register(name, client);
    }

    /** {@code local(members, 1)}: n local members that run one task at a time each, like n pool workers. */
    public static Cluster local(int members) throws ChildStartException, InterruptedException {
        return local(members, 1);
    }

    /**
     * Starts a cluster of {@code members} JVMs on this machine and connects to it; blocks until every
     * member has joined (seconds).
     *
     * @param members          how many member JVMs, at least 1
     * @param threadsPerMember how many tasks each member runs at once
     * @throws ChildStartException  if a member JVM cannot start or the members do not form one cluster
     *                              within {@link #LOCAL_START_TIMEOUT}; the members started are stopped
     * @throws InterruptedException if interrupted while waiting; the members started are stopped
     */
    public static Cluster local(int members, int threadsPerMember) throws ChildStartException, InterruptedException {
        if (members < 1) {
            throw new IllegalArgumentException("a local cluster needs at least 1 member, was " + members);
        }
        if (threadsPerMember < 1) {
            throw new IllegalArgumentException("a member needs at least 1 thread, was " + threadsPerMember);
        }
        String clusterName = "workbook-" + ProcessHandle.current().pid() + "-" + LOCAL_CLUSTERS.incrementAndGet() + "-"
                + HexFormat.of().toHexDigits((short) ThreadLocalRandom.current().nextInt());
        List<Integer> ports = freePorts(members);
        List<String> addresses = new ArrayList<>();
        for (int port : ports) {
            addresses.add("127.0.0.1:" + port);
        }
        List<ChildProcess> children = new ArrayList<>();
        MemberSettings first = null;
        long deadline = System.nanoTime() + LOCAL_START_TIMEOUT.toNanos();
        try {
            for (int i = 0; i < members; i++) {
                MemberSettings settings = MemberSettings.local(clusterName, ports.get(i), addresses, threadsPerMember);
                first = first == null ? settings : first;
                ChildProcess child = new ChildProcess(new ClusterMember.Local(settings))
                        .setName(clusterName + "-member-" + (i + 1))
                        .setDaemon(true)
                        .setJvmOptions(JvmOptions.defaults().withMaxHeap("256m").withStartTimeout(LOCAL_START_TIMEOUT));
                child.start();
                children.add(child);
            }
            for (int i = 0; i < members; i++) {
                awaitListening(children.get(i), ports.get(i), deadline);
            }
            HazelcastInstance client = client(clusterName, addresses, remaining(deadline), true);
            Cluster cluster = new Cluster(clusterName, client, addresses, children, first.heartbeat());
            try {
                cluster.awaitMembers(members, deadline);
            } catch (ChildStartException | InterruptedException | RuntimeException e) {
                cluster.close();
                throw e;
            }
            return cluster;
        } catch (ChildStartException | InterruptedException | RuntimeException e) {
            stopAll(children);
            throw e;
        }
    }

    /** {@code connect(DEFAULT_CLUSTER_NAME, DEFAULT_CONNECT_TIMEOUT, addresses)}. */
    public static Cluster connect(String... addresses) {
        return connect(MemberSettings.DEFAULT_CLUSTER_NAME, DEFAULT_CONNECT_TIMEOUT, addresses);
    }

    /**
     * Connects to running members (started by {@link ClusterMember}'s command); the client learns the
     * other members from the first it reaches. Every member must have the cluster jar and its
     * dependencies on its class path; the classes of a notebook's cells and of its {@code %jars} travel
     * with each task.
     *
     * @param clusterName the members' {@code --cluster-name}
     * @param timeout     how long to try
     * @param addresses   {@code host:port} of one or more members
     * @throws IllegalArgumentException     if an address is not {@code host:port}
     * @throws ClusterUnreachableException if no member answers within the timeout
     */
    public static Cluster connect(String clusterName, Duration timeout, String... addresses) {
        Objects.requireNonNull(clusterName, "clusterName");
        if (addresses.length == 0) {
            throw new IllegalArgumentException("name at least one member to connect to, as host:port (such as 10.0.0.5:5701)");
        }
        List<String> parsed = new ArrayList<>();
        for (String address : addresses) {
            parsed.add(parseAddress(address));
        }
        HazelcastInstance client = client(clusterName, parsed, timeout, false);
        return new Cluster(clusterName, client, parsed, List.of(), "the members' own (see their --heartbeat)");
    }

    /**
     * Checks a member address.
     *
     * @return it, stripped
     * @throws IllegalArgumentException if it is not {@code host:port} with a port from 1 to 65535
     */
    static String parseAddress(String address) {
        String text = address == null ? "" : address.strip();
        int colon = text.lastIndexOf(':');
        String problem = null;
        if (colon <= 0 || colon == text.length() - 1) {
            problem = "it has no port";
        } else {
            try {
                int port = Integer.parseInt(text.substring(colon + 1));
                if (port < 1 || port > 65535) {
                    problem = "its port " + port + " is not between 1 and 65535";
                }
            } catch (NumberFormatException e) {
                problem = "its port '" + text.substring(colon + 1) + "' is not a number";
            }
        }
        if (problem != null) {
            throw new IllegalArgumentException("'" + address + "' is not a member address (" + problem
                    + "): write host:port, such as 10.0.0.5:5701");
        }
        return text;
    }

    private static HazelcastInstance client(String clusterName, List<String> addresses, Duration timeout, boolean local) {
        HazelcastLogging.quiet();
        ClientConfig config = new ClientConfig();
        config.setClusterName(clusterName);
        config.setInstanceName(clusterName + "-client-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
        config.setProperty("hazelcast.logging.type", "jdk");
        config.setProperty("hazelcast.phone.home.enabled", "false");
        if (local) {
            // A member on this machine answers in milliseconds: a silent one is gone, not slow.
            config.setProperty("hazelcast.client.heartbeat.interval", "1000");
            config.setProperty("hazelcast.client.heartbeat.timeout", "5000");
        }
        config.getNetworkConfig().setAddresses(new ArrayList<>(addresses)).setConnectionTimeout(
                (int) Math.min(Integer.MAX_VALUE, Math.max(1000, timeout.toMillis() / 2)));
        config.getConnectionStrategyConfig().getConnectionRetryConfig()
                .setClusterConnectTimeoutMillis(Math.max(1, timeout.toMillis()))
                .setInitialBackoffMillis(100).setMaxBackoffMillis(1000);
        try {
            return HazelcastClient.newHazelcastClient(config);
        } catch (RuntimeException e) {
            throw new ClusterUnreachableException("cannot connect to cluster '" + clusterName + "' at " + String.join(", ", addresses)
                    + " within " + timeout.toMillis() + " ms (" + e.getMessage() + "). Check that a member runs there, with"
                    + " --cluster-name " + clusterName + ", and that its port is reachable from here.", e);
        }
    }

    /** Ports free on 127.0.0.1 now, all different. A member binds its port a second later; a clash is rare and fails the start. */
    private static List<Integer> freePorts(int count) {
        List<ServerSocket> held = new ArrayList<>();
        try {
            List<Integer> ports = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                held.add(socket);
                ports.add(socket.getLocalPort());
            }
            return ports;
        } catch (IOException e) {
            throw new IllegalStateException("cannot find free ports on 127.0.0.1 for a local cluster: " + e, e);
        } finally {
            for (ServerSocket socket : held) {
                try {
                    socket.close();
                } catch (IOException e) {
                    // it was only probing
                }
            }
        }
    }

    private static Duration remaining(long deadline) {
        return Duration.ofNanos(Math.max(1_000_000, deadline - System.nanoTime()));
    }

    /** Waits until a member accepts connections on its port, failing if its JVM ends or time runs out. */
    private static void awaitListening(ChildProcess member, int port, long deadline) throws ChildStartException, InterruptedException {
        while (true) {
            if (!member.isAlive()) {
                member.join();
                throw new ChildStartException(member.name() + " ended before it was up: exit code " + member.exitCode()
                        + member.failure().map(failure -> ", " + failure).orElse("") + " (its standard error is printed above)");
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
                return;
            } catch (IOException e) {
                // not listening yet
            }
            if (System.nanoTime() > deadline) {
                throw new ChildStartException(member.name() + " was not listening on 127.0.0.1:" + port + " within "
                        + LOCAL_START_TIMEOUT.toSeconds() + " s");
            }
            Thread.sleep(50);
        }
    }

    /** Waits until the client sees {@code count} members (members that started apart merge within seconds). */
    private void awaitMembers(int count, long deadline) throws ChildStartException, InterruptedException {
        while (client.getCluster().getMembers().size() < count) {
            for (ChildProcess member : members) {
                if (!member.isAlive()) {
                    throw new ChildStartException(member.name() + " ended while the cluster formed: exit code " + member.exitCode());
                }
            }
            if (System.nanoTime() > deadline) {
                throw new ChildStartException("the members of " + name + " did not form one cluster within "
                        + LOCAL_START_TIMEOUT.toSeconds() + " s: " + client.getCluster().getMembers().size() + " of " + count + " joined");
            }
            Thread.sleep(50);
        }
    }

    private static void stopAll(List<ChildProcess> children) {
        for (ChildProcess child : children) {
            if (child.isAlive()) {
                child.terminate();
            }
        }
        boolean interrupted = Thread.interrupted();
        for (ChildProcess child : children) {
            try {
                if (!child.join(MEMBER_STOP_WAIT)) {
                    child.kill();
                    child.join(MEMBER_STOP_WAIT);
                }
            } catch (InterruptedException e) {
                interrupted = true;
                child.kill();
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** The cluster's name: unique per local cluster, the members' {@code --cluster-name} for a connected one. */
    public String name() {
        return name;
    }

    /** How many members the cluster has now, as this client sees them. */
    public int size() {
        return client.getCluster().getMembers().size();
    }

    /** The members' addresses as the cluster reports them now, {@code host:port}. */
    public List<String> memberAddresses() {
        List<String> list = new ArrayList<>();
        for (Member member : client.getCluster().getMembers()) {
            list.add(member.getAddress().getHost() + ":" + member.getAddress().getPort());
        }
        return list;
    }

    /** The pids of the member JVMs started by {@link #local}, in start order (empty for a connected cluster). */
    public List<Long> memberPids() {
        List<Long> pids = new ArrayList<>();
        for (ChildProcess member : members) {
            pids.add(member.pid());
        }
        return pids;
    }

    /** The failure detector's settings of the members, for tables. */
    public String heartbeat() {
        return heartbeat;
    }

    /**
     * Kills local member {@code index} (0-based) with SIGKILL, as a crash would: no goodbye to the others,
     * which notice through the closed connections and the missing heartbeats. For demonstrations of failover.
     *
     * @throws IndexOutOfBoundsException if there is no such local member
     */
    public void killMember(int index) {
        members.get(index).kill();
    }

    /** A pool that runs functions on this cluster's members; closing it leaves the cluster up. */
    public ClusterPool pool() {
        return new ClusterPool(this);
    }

    /** The cluster's queue of this name (created on first use), with the {@code SharedQueue} API. */
    public ClusterQueue queue(String queueName) {
        return new ClusterQueue(name, queueName);
    }

    /** The Hazelcast client, for what this API does not cover. */
    public HazelcastInstance client() {
        return client;
    }

    /**
     * Disconnects, and stops the members started by {@link #local} (SIGTERM, then SIGKILL after 10 s),
     * waiting for them to end. Calling it again does no harm.
     */
    @Override
    public void close() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
        }
        Instances.forget(name, client);
        try {
            client.shutdown();
        } finally {
            stopAll(members);
        }
    }

    @Override
    public String toString() {
        return "Cluster[" + name + ", " + (members.isEmpty() ? "connected to " + String.join(",", addresses)
                : members.size() + " local members") + "]";
    }
}
