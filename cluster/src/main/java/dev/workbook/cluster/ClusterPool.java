package dev.workbook.cluster;

import com.hazelcast.client.HazelcastClientNotActiveException;
import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.ExecutionCallback;
import com.hazelcast.core.HazelcastInstanceNotActiveException;
import com.hazelcast.core.IExecutorService;
import com.hazelcast.core.MemberLeftException;
import com.hazelcast.spi.exception.TargetDisconnectedException;
import com.hazelcast.spi.exception.TargetNotMemberException;
import dev.workbook.codec.MessageCodec;
import dev.workbook.process.BoundCall;
import dev.workbook.process.PoolExecutor;
import dev.workbook.process.PortableCode;
import dev.workbook.process.SerializableCallable;
import dev.workbook.process.SerializableFunction;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Runs serializable functions on the members of a {@link Cluster}: the {@link PoolExecutor} API of the
 * process pool, with members for workers.
 *
 * <h2>Where a call runs</h2>
 * Each member runs as many calls at once as it has executor threads (its {@code workbook.threads}
 * attribute); calls wait here, in submission order, for a free thread, and go to the member with the most
 * free threads. So uneven tasks balance as in the process pool, and a call travels once: one network
 * round trip, plus the serialization of the code, its classes (the first time a member sees them) and the
 * items. The classes a notebook cell defined travel with the call ({@link PortableCode}): Hazelcast
 * Community cannot load them on a member by itself.
 *
 * <h2>Failover</h2>
 * A member that dies (its connection closes, or the cluster removes it for missing heartbeats) loses the
 * calls it was running; each of them is queued again, first in line, and runs on a member left. A call is
 * given up, with a {@link ClusterUnreachableException}, after its member died under it 3 times, or when no
 * member is left. Every result is delivered once: a late reply from an attempt that was already rerun is
 * dropped. A task may therefore <em>run</em> more than once, and should be a pure function of its input
 * (or idempotent). {@link #reruns()} counts the reruns.
 *
 * <h2>Failures and cancellation</h2>
 * A task that throws fails its future with what it threw, rebuilt here (or a
 * {@code RemoteThrowable} copy); it is not rerun. Cancelling a future, or a {@code map} that ends early,
 * stops the calls that have not started; a call that runs on a member runs to its end, and its result is
 * dropped.
 *
 * <p>A pool does not own its cluster: closing it stops its calls, not the members. Thread safety: every
 * method may be called from any thread.
 */
public final class ClusterPool implements PoolExecutor {

    /** Deaths of its member a call survives before it is given up. */
    private static final int MAX_MEMBER_FAILURES = 3;

    private final Cluster cluster;
    private final IExecutorService executor;
    private final UUID membershipRegistration;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Deque<Call<?>> queue = new ArrayDeque<>();
    private final Set<Call<?>> running = new LinkedHashSet<>();
    private final Map<UUID, Integer> busyThreads = new HashMap<>();
    private final Set<UUID> lost = new HashSet<>();
    private final AtomicLong reruns = new AtomicLong();
    private boolean shutdown;

    ClusterPool(Cluster cluster) {
        this.cluster = cluster;
        this.executor = cluster.client().getExecutorService(MemberSettings.EXECUTOR);
        this.membershipRegistration = cluster.client().getCluster().addMembershipListener(new MembershipListener() {
            @Override
            public void memberAdded(MembershipEvent event) {
                dispatch();
            }

            @Override
            public void memberRemoved(MembershipEvent event) {
                memberGone(event.getMember().getUuid());
            }
        });
    }

    /** One call: what travels, and the future of its result. Guarded by the lock, except {@code result}. */
    private static final class Call<R> {
        final ShippedTask task;
        final ClassLoader resolver;
        final CompletableFuture<R> result = new CompletableFuture<>();
        UUID member;
        int attempt;
        int memberFailures;

        Call(ShippedTask task, ClassLoader resolver) {
            this.task = task;
            this.resolver = resolver;
        }
    }

    /** The cluster the calls run on. */
    public Cluster cluster() {
        return cluster;
    }

    /** How many calls have been queued again because the member running them died. */
    public long reruns() {
        return reruns.get();
    }

    @Override
    public <R> Future<R> submit(SerializableCallable<R> task) {
        Objects.requireNonNull(task, "task");
        PortableCode code = PortableCode.pack("a task for cluster " + cluster.name(), task, ShippedTask.class);
        Call<R> call = new Call<>(new ShippedTask(code, null), task.getClass().getClassLoader());
        enqueue(List.of(call));
        return call.result;
    }

    @Override
    public <T, R> Future<R> submit(SerializableFunction<T, R> function, T argument) {
        Objects.requireNonNull(function, "function");
        return submit(new BoundCall<>(function, argument));
    }

    /**
     * {@inheritDoc}
     *
     * <p>The function is packed once per call of {@code map} and deserialized once per chunk on the member.
     * Chunks of a member that dies run again elsewhere (see the class comment).
     */
    @Override
    public <T, R> List<R> map(SerializableFunction<T, R> function, Collection<? extends T> items, int chunkSize)
            throws InterruptedException, ExecutionException {
        Objects.requireNonNull(function, "function");
        Objects.requireNonNull(items, "items");
        if (chunkSize < 1) {
            throw new IllegalArgumentException("chunk size must be at least 1, was " + chunkSize);
        }
        String where = " on cluster " + cluster.name();
        PortableCode code = PortableCode.pack("the function of a map call" + where, function, ShippedTask.class);
        ClassLoader resolver = function.getClass().getClassLoader();
        List<T> inputs = new ArrayList<>(items);
        List<Call<List<R>>> calls = new ArrayList<>();
        for (int start = 0; start < inputs.size(); start += chunkSize) {
            int end = Math.min(inputs.size(), start + chunkSize);
            PortableCode chunk = PortableCode.pack("items " + start + " to " + (end - 1) + " of a map call" + where,
                    new ArrayList<>(inputs.subList(start, end)), ShippedTask.class);
            calls.add(new Call<>(new ShippedTask(code, chunk), resolver));
        }
        enqueue(calls);
        List<R> results = new ArrayList<>(inputs.size());
        boolean complete = false;
        try {
            for (Call<List<R>> call : calls) {
                results.addAll(call.result.get());
            }
            complete = true;
            return results;
        } finally {
            if (!complete) {
                for (Call<List<R>> call : calls) {
                    call.result.cancel(false); // queued ones never start; running ones are dropped
                }
            }
        }
    }

    private void enqueue(List<? extends Call<?>> calls) {
        lock.lock();
        try {
            if (shutdown) {
                throw new RejectedExecutionException("this pool of cluster " + cluster.name() + " is shut down");
            }
            queue.addAll(calls);
        } finally {
            lock.unlock();
        }
        dispatch();
    }

    /** Sends queued calls to the members with free threads. */
    private void dispatch() {
        List<Call<?>> sending = new ArrayList<>();
        List<Member> targets = new ArrayList<>();
        List<Call<?>> abandoned = new ArrayList<>();
        lock.lock();
        try {
            if (queue.isEmpty()) {
                return;
            }
            List<Member> members = new ArrayList<>();
            for (Member member : cluster.client().getCluster().getMembers()) {
                if (!lost.contains(member.getUuid())) {
                    members.add(member);
                }
            }
            if (members.isEmpty()) {
                abandoned.addAll(queue);
                queue.clear();
            }
            while (!queue.isEmpty()) {
                Member target = null;
                int mostFree = 0;
                for (Member member : members) {
                    int free = threads(member) - busyThreads.getOrDefault(member.getUuid(), 0);
                    if (free > mostFree) {
                        mostFree = free;
                        target = member;
                    }
                }
                if (target == null) {
                    break;
                }
                Call<?> call = queue.poll();
                if (call.result.isDone()) {
                    continue; // cancelled while queued
                }
                call.member = target.getUuid();
                call.attempt++;
                busyThreads.merge(target.getUuid(), 1, Integer::sum);
                running.add(call);
                sending.add(call);
                targets.add(target);
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        for (Call<?> call : abandoned) {
            call.result.completeExceptionally(new ClusterUnreachableException("every member of cluster " + cluster.name()
                    + " is gone: nowhere left to run the call", null));
        }
        for (int i = 0; i < sending.size(); i++) {
            send(sending.get(i), targets.get(i));
        }
    }

    private static int threads(Member member) {
        String attribute = member.getAttribute(MemberSettings.THREADS_ATTRIBUTE);
        try {
            return attribute == null ? 1 : Math.max(1, Integer.parseInt(attribute));
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    private void send(Call<?> call, Member member) {
        int attempt;
        lock.lock();
        try {
            attempt = call.attempt;
        } finally {
            lock.unlock();
        }
        UUID uuid = member.getUuid();
        try {
            executor.submitToMember(call.task, member, new ExecutionCallback<byte[]>() {
                @Override
                public void onResponse(byte[] reply) {
                    finished(call, attempt, uuid, reply, null);
                }

                @Override
                public void onFailure(Throwable failure) {
                    finished(call, attempt, uuid, null, failure);
                }
            });
        } catch (RuntimeException failure) {
            finished(call, attempt, uuid, null, failure);
        }
    }

    /** The end of one attempt of a call: a reply, or a failure to get one. */
    private void finished(Call<?> call, int attempt, UUID member, byte[] reply, Throwable failure) {
        Throwable giveUp = null;
        lock.lock();
        try {
            if (call.attempt != attempt || !running.remove(call)) {
                return; // an attempt already rerun because its member left: its reply is dropped
            }
            busyThreads.merge(member, -1, Integer::sum);
            if (failure != null) {
                if (failure instanceof HazelcastClientNotActiveException) {
                    giveUp = new ClusterUnreachableException("the connection to cluster " + cluster.name() + " is closed: the"
                            + " cluster was closed, or every member was gone for longer than the client waits to reconnect", failure);
                } else if (isMemberFailure(failure, member)) {
                    lost.add(member);
                    call.memberFailures++;
                    if (call.memberFailures < MAX_MEMBER_FAILURES) {
                        queue.addFirst(call);
                        reruns.incrementAndGet();
                    } else {
                        giveUp = new ClusterUnreachableException("the members running a call of cluster " + cluster.name()
                                + " died " + call.memberFailures + " times", failure);
                    }
                } else {
                    giveUp = new IllegalStateException("a member of cluster " + cluster.name() + " could not run the call: "
                            + failure + ". Does every member have the workbook-cluster jar on its class path?", failure);
                }
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (giveUp != null) {
            call.result.completeExceptionally(giveUp);
        } else if (reply != null) {
            complete(call, reply);
        }
        dispatch();
    }

    @SuppressWarnings("unchecked")
    private static <R> void complete(Call<R> call, byte[] reply) {
        try {
            if (reply.length > 0 && reply[0] == ShippedTask.RETURNED) {
                call.result.complete((R) MessageCodec.trusting(call.resolver).decode(reply, 1, reply.length - 1));
            } else {
                call.result.completeExceptionally(PortableCode.decodeFailure(Arrays.copyOfRange(reply, 1, reply.length), call.resolver));
            }
        } catch (RuntimeException e) {
            call.result.completeExceptionally(new IllegalStateException("the reply of a member cannot be read here: " + e, e));
        }
    }

    /** Whether the call failed because its member died or left, rather than because of the call. */
    private boolean isMemberFailure(Throwable failure, UUID member) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof MemberLeftException || cause instanceof TargetDisconnectedException
                    || cause instanceof TargetNotMemberException || cause instanceof HazelcastInstanceNotActiveException
                    || cause instanceof RejectedExecutionException) {
                return true;
            }
        }
        return cluster.client().getCluster().getMembers().stream().noneMatch(m -> m.getUuid().equals(member));
    }

    /** A member left the cluster: the calls it was running go back to the front of the queue. */
    private void memberGone(UUID member) {
        lock.lock();
        try {
            lost.add(member);
            List<Call<?>> orphans = new ArrayList<>();
            for (Call<?> call : running) {
                if (member.equals(call.member)) {
                    orphans.add(call);
                }
            }
            for (int i = orphans.size() - 1; i >= 0; i--) {
                Call<?> call = orphans.get(i);
                running.remove(call);
                call.attempt++; // the old attempt's reply, if any, is dropped
                queue.addFirst(call);
                reruns.incrementAndGet();
            }
            busyThreads.remove(member);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        dispatch();
    }

    /**
     * {@inheritDoc}
     *
     * <p>An interrupt while waiting cancels the calls not yet started and returns with the interrupt status set.
     */
    @Override
    public void shutdown(boolean cancelPending) {
        List<Call<?>> cancelled = new ArrayList<>();
        boolean interrupted = false;
        lock.lock();
        try {
            shutdown = true;
            if (cancelPending) {
                cancelled.addAll(queue);
                queue.clear();
            }
            while (!queue.isEmpty() || !running.isEmpty()) {
                try {
                    changed.await();
                } catch (InterruptedException e) {
                    interrupted = true;
                    cancelled.addAll(queue);
                    queue.clear();
                    break;
                }
            }
        } finally {
            lock.unlock();
        }
        cancelled.forEach(call -> call.result.cancel(false));
        try {
            cluster.client().getCluster().removeMembershipListener(membershipRegistration);
        } catch (RuntimeException e) {
            // the client is already shut down
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        shutdown(false);
    }

    @Override
    public String toString() {
        return "ClusterPool[" + cluster.name() + "]";
    }
}
