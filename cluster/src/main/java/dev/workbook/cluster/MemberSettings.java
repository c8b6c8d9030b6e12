package dev.workbook.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * How one cluster member is configured: the one place this module builds a Hazelcast member
 * {@link Config}, for local members and for the command that starts a member on a host.
 *
 * <p>What every member gets, whatever the settings: TCP-IP join with the listed members only
 * (multicast and auto-detection off), the network interfaces named and nothing else (no bind to the
 * wildcard address), phone-home off, Hazelcast's logging through {@code java.util.logging} at
 * {@code SEVERE} (a notebook is not flooded with its banner and its membership chatter; set the system
 * property {@value #LOG_LEVEL_PROPERTY} to another level to see it), an executor of
 * {@link #threads()} threads for {@link ClusterPool}, and queues with one synchronous backup.
 *
 * <h2>Network trust</h2>
 * Hazelcast Community has no member or client authentication and no TLS: whoever reaches a member's port
 * can join, read every queue, and run code on it (a task is deserialized and run). So a member binds
 * {@code 127.0.0.1} unless interfaces are named, and {@link #toConfig()} refuses an interface that is not
 * loopback unless {@link #withNetworkTrusted(boolean) withNetworkTrusted(true)} (on the command line
 * {@value #TRUST_FLAG}) says the network is one where everyone who can reach the port is trusted.
 *
 * <p>Immutable and serializable: local members receive their settings by value.
 */
public final class MemberSettings implements Serializable {

    private static final long serialVersionUID = 1L;

    /** The command-line flag that opts in to a non-loopback interface. */
    public static final String TRUST_FLAG = "--network-is-trusted";
    /** The cluster name members started by the command use unless told otherwise. */
    public static final String DEFAULT_CLUSTER_NAME = "workbook";
    /** Hazelcast's own default member port. */
    public static final int DEFAULT_PORT = 5701;
    /** The system property that sets the level of Hazelcast's logging, {@code SEVERE} unless set. */
    public static final String LOG_LEVEL_PROPERTY = "workbook.cluster.log";
    /** The name of the members' executor that {@link ClusterPool} submits to. */
    static final String EXECUTOR = "workbook-pool";
    /** The member attribute that tells clients how many tasks a member runs at once. */
    static final String THREADS_ATTRIBUTE = "workbook.threads";

    private final String clusterName;
    private final List<String> interfaces;
    private final int port;
    private final List<String> members;
    private final boolean networkTrusted;
    private final int heartbeatSeconds;
    private final int maxNoHeartbeatSeconds;
    private final int threads;
    private final boolean quickJoin;

    private MemberSettings(String clusterName, List<String> interfaces, int port, List<String> members, boolean networkTrusted,
                           int heartbeatSeconds, int maxNoHeartbeatSeconds, int threads, boolean quickJoin) {
        this.clusterName = clusterName;
        this.interfaces = List.copyOf(interfaces);
        this.port = port;
        this.members = List.copyOf(members);
        this.networkTrusted = networkTrusted;
        this.heartbeatSeconds = heartbeatSeconds;
        this.maxNoHeartbeatSeconds = maxNoHeartbeatSeconds;
        this.threads = threads;
        this.quickJoin = quickJoin;
    }

    /**
     * A member of cluster {@value #DEFAULT_CLUSTER_NAME} on {@code 127.0.0.1:5701}, alone, with
     * Hazelcast's own heartbeat timing (every 5 s; a member silent for 60 s is removed), one executor
     * thread per core.
     */
    public static MemberSettings defaults() {
        return new MemberSettings(DEFAULT_CLUSTER_NAME, List.of("127.0.0.1"), DEFAULT_PORT, List.of(), false, 5, 60,
                Runtime.getRuntime().availableProcessors(), false);
    }

    /**
     * The settings of a member of a local cluster: loopback, a heartbeat every second and removal after 4
     * silent seconds (a member killed on this machine is noticed at once through its closed connections
     * anyway; the heartbeat catches a member that hangs), a join that waits 1 s for the others rather
     * than 5, and 31 partitions rather than 271 (fewer to migrate when a member goes).
     */
    static MemberSettings local(String clusterName, int port, List<String> members, int threads) {
        return new MemberSettings(clusterName, List.of("127.0.0.1"), port, members, false, 1, 4, threads, true);
    }

    public MemberSettings withClusterName(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("the cluster name must not be empty");
        }
        return new MemberSettings(name, interfaces, port, members, networkTrusted, heartbeatSeconds, maxNoHeartbeatSeconds, threads, quickJoin);
    }

    /**
     * The interfaces to bind, as IP addresses (Hazelcast's wildcards such as {@code 10.0.1.*} allowed);
     * a non-loopback one also needs {@link #withNetworkTrusted}.
     */
    public MemberSettings withInterfaces(String... names) {
        if (names.length == 0) {
            throw new IllegalArgumentException("name at least one interface (an IP address such as 10.0.0.5), or keep the default 127.0.0.1");
        }
        return new MemberSettings(clusterName, Arrays.asList(names), port, members, networkTrusted, heartbeatSeconds, maxNoHeartbeatSeconds, threads, quickJoin);
    }

    /** The port to listen on; no other port is tried if it is taken. */
    public MemberSettings withPort(int newPort) {
        if (newPort < 1 || newPort > 65535) {
            throw new IllegalArgumentException("a port is between 1 and 65535, was " + newPort);
        }
        return new MemberSettings(clusterName, interfaces, newPort, members, networkTrusted, heartbeatSeconds, maxNoHeartbeatSeconds, threads, quickJoin);
    }

    /** The other members to join, as {@code host:port}; this member's own address may be among them. */
    public MemberSettings withMembers(List<String> addresses) {
        for (String address : addresses) {
            Cluster.parseAddress(address);
        }
        return new MemberSettings(clusterName, interfaces, port, addresses, networkTrusted, heartbeatSeconds, maxNoHeartbeatSeconds, threads, quickJoin);
    }

    /**
     * Whether every host that can reach this member's port is trusted: required to bind a non-loopback
     * interface, since anyone who reaches the port can run code on the member.
     */
    public MemberSettings withNetworkTrusted(boolean trusted) {
        return new MemberSettings(clusterName, interfaces, port, members, trusted, heartbeatSeconds, maxNoHeartbeatSeconds, threads, quickJoin);
    }

    /**
     * The failure detector: a heartbeat every {@code intervalSeconds}; a member silent for
     * {@code maxSilentSeconds} is removed from the cluster (and its tasks rerun elsewhere).
     */
    public MemberSettings withHeartbeat(int intervalSeconds, int maxSilentSeconds) {
        if (intervalSeconds < 1 || maxSilentSeconds <= intervalSeconds) {
            throw new IllegalArgumentException("the heartbeat interval must be at least 1 s and below the silence allowed, was "
                    + intervalSeconds + " s and " + maxSilentSeconds + " s");
        }
        return new MemberSettings(clusterName, interfaces, port, members, networkTrusted, intervalSeconds, maxSilentSeconds, threads, quickJoin);
    }

    /** How many tasks the member runs at once. */
    public MemberSettings withThreads(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("a member needs at least 1 executor thread, was " + count);
        }
        return new MemberSettings(clusterName, interfaces, port, members, networkTrusted, heartbeatSeconds, maxNoHeartbeatSeconds, count, quickJoin);
    }

    public String clusterName() {
        return clusterName;
    }

    public List<String> interfaces() {
        return interfaces;
    }

    public int port() {
        return port;
    }

    public List<String> members() {
        return members;
    }

    public boolean networkTrusted() {
        return networkTrusted;
    }

    public int threads() {
        return threads;
    }

    /** The failure detector's settings, for tables: "heartbeat 1 s, member removed after 4 s silent". */
    public String heartbeat() {
        return "heartbeat " + heartbeatSeconds + " s, member removed after " + maxNoHeartbeatSeconds + " s silent";
    }

    /** Whether an interface name is a loopback address (127.0.0.0/8, ::1, localhost). */
    static boolean isLoopback(String name) {
        String lower = name.strip().toLowerCase(Locale.ROOT);
        return lower.startsWith("127.") && !lower.contains("-") && lower.chars().filter(c -> c == '.').count() == 3
                && !lower.contains("*") || lower.equals("::1") || lower.equals("0:0:0:0:0:0:0:1") || lower.equals("localhost");
    }

    /**
     * Refuses a non-loopback interface without the trust opt-in.
     *
     * @throws IllegalArgumentException naming the interface and the flag
     */
    void checkNetwork() {
        List<String> exposed = new ArrayList<>();
        for (String name : interfaces) {
            if (!isLoopback(name)) {
                exposed.add(name);
            }
        }
        if (!exposed.isEmpty() && !networkTrusted) {
            throw new IllegalArgumentException("refusing to start a cluster member on " + String.join(", ", exposed)
                    + ": Hazelcast Community has no authentication and no TLS, so anyone who can reach that port can join,"
                    + " read the queues and run any code on this member. Bind 127.0.0.1 (the default), or, on a network"
                    + " where every host is trusted, opt in with " + TRUST_FLAG + " (MemberSettings.withNetworkTrusted(true)).");
        }
    }

    /**
     * The Hazelcast configuration of this member.
     *
     * @throws IllegalArgumentException if a non-loopback interface is named without the trust opt-in
     */
    public Config toConfig() {
        checkNetwork();
        Config config = new Config();
        config.setClusterName(clusterName);
        config.setProperty("hazelcast.phone.home.enabled", "false");
        config.setProperty("hazelcast.logging.type", "jdk");
        config.setProperty("hazelcast.socket.bind.any", "false");
        config.setProperty("hazelcast.heartbeat.interval.seconds", Integer.toString(heartbeatSeconds));
        config.setProperty("hazelcast.max.no.heartbeat.seconds", Integer.toString(maxNoHeartbeatSeconds));
        config.setProperty("hazelcast.shutdownhook.policy", "TERMINATE");
        if (quickJoin) {
            config.setProperty("hazelcast.wait.seconds.before.join", "1");
            config.setProperty("hazelcast.max.wait.seconds.before.join", "2");
            config.setProperty("hazelcast.merge.first.run.delay.seconds", "2");
            config.setProperty("hazelcast.merge.next.run.delay.seconds", "2");
            config.setProperty("hazelcast.partition.count", "31");
        }
        NetworkConfig network = config.getNetworkConfig();
        network.setPort(port).setPortAutoIncrement(false);
        network.getInterfaces().setEnabled(true).setInterfaces(interfaces);
        JoinConfig join = network.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(true).setMembers(members);
        config.getExecutorConfig(EXECUTOR).setPoolSize(threads);
        config.getQueueConfig("default").setBackupCount(1);
        config.getMemberAttributeConfig().setAttribute(THREADS_ATTRIBUTE, Integer.toString(threads));
        config.getJetConfig().setEnabled(false);
        return config;
    }

    /**
     * Reads the command line of {@link ClusterMember}.
     *
     * @throws IllegalArgumentException naming the argument that is wrong
     */
    static MemberSettings parse(String... args) {
        MemberSettings settings = defaults();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case TRUST_FLAG -> settings = settings.withNetworkTrusted(true);
                case "--cluster-name", "--port", "--members", "--interface", "--threads", "--heartbeat" -> {
                    if (i + 1 >= args.length) {
                        throw new IllegalArgumentException(arg + " needs a value; see --help");
                    }
                    String value = args[++i];
                    settings = switch (arg) {
                        case "--cluster-name" -> settings.withClusterName(value);
                        case "--port" -> settings.withPort(number(arg, value));
                        case "--members" -> settings.withMembers(List.of(value.split(",")));
                        case "--interface" -> settings.withInterfaces(value.split(","));
                        case "--threads" -> settings.withThreads(number(arg, value));
                        default -> {
                            String[] parts = value.split(",");
                            if (parts.length != 2) {
                                throw new IllegalArgumentException("--heartbeat takes INTERVAL,MAX_SILENT in seconds, such as 5,60; was " + value);
                            }
                            yield settings.withHeartbeat(number(arg, parts[0]), number(arg, parts[1]));
                        }
                    };
                }
                default -> throw new IllegalArgumentException("unknown argument '" + arg + "'; see --help");
            }
        }
        return settings;
    }

    private static int number(String flag, String value) {
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " takes a number, was '" + value + "'");
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof MemberSettings that && clusterName.equals(that.clusterName) && interfaces.equals(that.interfaces)
                && port == that.port && members.equals(that.members) && networkTrusted == that.networkTrusted
                && heartbeatSeconds == that.heartbeatSeconds && maxNoHeartbeatSeconds == that.maxNoHeartbeatSeconds
                && threads == that.threads && quickJoin == that.quickJoin;
    }

    @Override
    public int hashCode() {
        return Objects.hash(clusterName, interfaces, port, members, networkTrusted, heartbeatSeconds, threads);
    }

    @Override
    public String toString() {
        return "member of " + clusterName + " on " + String.join(",", interfaces) + ":" + port
                + (members.isEmpty() ? "" : ", joining " + String.join(",", members)) + ", " + threads + " threads, " + heartbeat();
    }
}
