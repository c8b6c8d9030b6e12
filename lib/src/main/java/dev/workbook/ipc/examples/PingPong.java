package dev.workbook.ipc.examples;

import dev.workbook.ipc.SharedQueue;

/**
 * The seed's fix: the count lives in a queue that the parent and both children share, and whoever
 * holds it (has taken it off the queue) prints one word and puts it back incremented. Exactly 50 words
 * come out, whatever the interleaving, because only one process holds the count at a time.
 *
 * <p>Two differences from the seed. A child that finds the count at 50 puts it back before leaving,
 * so the other child finds it too and ends: the parent has nothing to signal. And the parent does not
 * spin on {@code isAlive()}: it waits for each child ({@code waitFor}, CPython's {@code join}), sleeping
 * in the kernel until the child exits. The seed's {@code while p1.is_alive() and p2.is_alive(): pass}
 * keeps a core at 100% doing nothing, a core the children need on a two-core machine.
 *
 * <p>Run: {@code java --add-exports java.base/jdk.internal.misc=ALL-UNNAMED -cp ...
 * dev.workbook.ipc.examples.PingPong}.
 */
public final class PingPong {

    static final long LIMIT = 50;

    private PingPong() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 2) {
            try (SharedQueue queue = ChildLauncher.decode(args[1])) {
                subTask(args[0], queue);
            }
            return;
        }
        try (SharedQueue queue = SharedQueue.create(4)) {
            queue.put(0L);
            String handle = ChildLauncher.encode(queue);
            Process ping = ChildLauncher.start(PingPong.class, "Ping", handle);
            Process pong = ChildLauncher.start(PingPong.class, "Pong", handle);
            ping.waitFor();
            pong.waitFor();
        }
        System.out.println();
    }

    private static void subTask(String word, SharedQueue queue) throws InterruptedException {
        long counter = (Long) queue.get();
        while (counter < LIMIT) {
            System.out.print(word);
            System.out.flush();
            counter += 1;
            queue.put(counter);
            Thread.sleep(10);
            counter = (Long) queue.get();
        }
        queue.put(counter); // leave the final count for the other process, so that it stops too
    }
}
