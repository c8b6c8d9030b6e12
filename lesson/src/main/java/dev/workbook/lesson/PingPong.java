package dev.workbook.lesson;

import dev.workbook.ipc.SharedQueue;
import dev.workbook.process.ChildProcess;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.List;

/**
 * The seed's fix: the count lives in a queue that the parent and both children share, and whoever
 * holds it (has taken it off the queue) prints one word and puts it back incremented. Exactly 50 words
 * come out, whatever the interleaving, because only one process holds the count at a time.
 *
 * <p>The queue reaches the children as an argument of their target: a {@link SharedQueue} serializes
 * as a handle that attaches to the same shared memory in the child.
 *
 * <p>Two differences from the seed. A child that finds the count at 50 puts it back before leaving,
 * so the other child finds it too and ends: the parent has nothing to signal, and the count left on
 * the queue at the end is the number of words printed. And the parent does not spin on
 * {@code isAlive()}: it waits for each child ({@link ChildProcess#join()}, CPython's {@code join}),
 * asleep until the child has ended. The seed's {@code while p1.is_alive() and p2.is_alive(): pass}
 * keeps a core at 100% doing nothing, a core the children need on a two-core machine.
 *
 * <p>As in {@link BrokenCounter}, each word is printed on a line of its own.
 *
 * <p>Run: {@code java --add-exports java.base/jdk.internal.misc=ALL-UNNAMED -cp ...
 * dev.workbook.lesson.PingPong}.
 */
public final class PingPong {

    /** The number of words the seed wants in all. */
    public static final long LIMIT = 50;

    private PingPong() {
    }

    /**
     * What a game leaves behind.
     *
     * @param total         the count the children left on the queue: the number of words printed
     * @param children      the two children, ended
     * @param waited        how long the parent waited for them, from the second {@code start()} to the
     *                      end of the last {@code join()}
     * @param waitingCpu    the CPU time the parent's waiting thread used meanwhile
     */
    public record Outcome(long total, List<ChildProcess> children, Duration waited, Duration waitingCpu) {
    }

    public static void main(String[] args) throws Exception {
        Outcome outcome = play();
        System.out.println("Ping and Pong printed " + outcome.total() + " times in total");
    }

    /**
     * Puts 0 on a fresh queue, starts a "Ping" child and a "Pong" child on {@link #subTask}, waits
     * for both, and takes the final count off the queue.
     *
     * @throws IllegalStateException if a child failed, or left no count on the queue
     */
    public static Outcome play() throws Exception {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        try (SharedQueue queue = SharedQueue.create(4)) {
            queue.put(0L);
            ChildProcess ping = new ChildProcess(PingPong::subTask, "Ping", queue);
            ChildProcess pong = new ChildProcess(PingPong::subTask, "Pong", queue);
            ping.start();
            pong.start();
            long cpuBefore = threads.getCurrentThreadCpuTime();
            long start = System.nanoTime();
            List<ChildProcess> children = List.of(ping, pong);
            ExampleChildren.joinAll(children);
            long waited = System.nanoTime() - start;
            long waitingCpu = threads.getCurrentThreadCpuTime() - cpuBefore;
            Object total = queue.poll();
            if (!(total instanceof Long count)) {
                throw new IllegalStateException("the children left " + total + " on the queue instead of the final count");
            }
            return new Outcome(count, children, Duration.ofNanos(waited), Duration.ofNanos(waitingCpu));
        }
    }

    /** The seed's {@code sub_task}: print and pass the count on while it is below the limit. */
    static void subTask(String word, SharedQueue queue) throws InterruptedException {
        try (queue) { // this child's handle; the parent, which created the queue, unlinks it
            long counter = (Long) queue.get();
            while (counter < LIMIT) {
                System.out.println(word);
                counter += 1;
                queue.put(counter);
                Thread.sleep(10);
                counter = (Long) queue.get();
            }
            queue.put(counter); // leave the final count for the other process, so that it stops too
        }
    }
}
