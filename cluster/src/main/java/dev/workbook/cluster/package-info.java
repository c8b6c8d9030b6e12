/**
 * The lesson's pool and queue on a Hazelcast cluster, the step beyond one machine.
 *
 * <p>{@link dev.workbook.cluster.Cluster} starts local member JVMs ({@code Cluster.local(n)}, child
 * processes of the caller that die with it) or connects to members that run on other hosts
 * ({@code Cluster.connect}, members started by {@link dev.workbook.cluster.ClusterMember}'s command);
 * the caller joins as a Hazelcast client. {@link dev.workbook.cluster.ClusterPool} runs functions on the
 * members with the same {@link dev.workbook.process.PoolExecutor} API as the process pool, shipping the
 * classes a notebook cell defined (Hazelcast Community cannot load them by itself) and rerunning the
 * tasks of a member that dies. {@link dev.workbook.cluster.ClusterQueue} is the lesson's queue on the
 * cluster's {@code IQueue}. {@link dev.workbook.cluster.MemberSettings} is the one place a member's
 * Hazelcast configuration is made: network, join, heartbeats, logging, and the refusal of an untrusted
 * network. {@link dev.workbook.cluster.ClusterStrategy} times a cluster in the experiment harness.
 *
 * <p>Security: Hazelcast Community has no authentication and no TLS; anyone who reaches a member's port
 * can run code on it. See {@code docs/cluster.md}.
 */
package dev.workbook.cluster;
