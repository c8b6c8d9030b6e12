package dev.workbook.sharedstate;

import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The child side of {@link Visibility}: a reader thread spins on a stop flag, the main thread sets
 * the flag and waits a bounded time for the reader to notice. Run in a JVM of its own, because a
 * reader that never notices cannot be stopped from inside its JVM (see {@link Visibility}); it needs
 * nothing but the JDK.
 *
 * <p>Arguments: the wait bound in milliseconds and the warm-up in milliseconds (how long the reader
 * spins before the flag is set, so that the JIT compiler has compiled its loop). It prints, per flag,
 * one line {@code RESULT flag=plain seen=false micros=-1}, then {@code DONE}, and returns from
 * {@code main}: the readers are daemon threads, so one still spinning does not keep the JVM alive.
 *
 * <p>The flags are tried in the order of {@link #FLAGS}, the plain one last, so that a reader that
 * never stops does not take a core from the others' runs.
 */
public final class VisibilityProbe {

    /** The flags tried, in order. */
    static final String[] FLAGS = {"volatile", "atomic-boolean", "interrupt", "plain"};

    // The flags themselves. Each reader loop below reads one of them and nothing else, so that the JIT
    // compiler is free to do with it what the memory model allows.
    private static boolean plainStop;
    private static volatile boolean volatileStop;
    private static final AtomicBoolean atomicStop = new AtomicBoolean();

    /** When a reader left its loop (System.nanoTime); written by the reader before it ends, read after join. */
    private static volatile long seenAt;

    private VisibilityProbe() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length != 2) {
            System.err.println("usage: VisibilityProbe BOUND_MS WARMUP_MS (e.g. 1000 300)");
            System.exit(2);
        }
        long boundMillis = Long.parseLong(args[0]);
        long warmupMillis = Long.parseLong(args[1]);
        for (String flag : FLAGS) {
            probe(flag, boundMillis, warmupMillis);
        }
        System.out.println("DONE");
    }

    private static void probe(String flag, long boundMillis, long warmupMillis) throws InterruptedException {
        CountDownLatch spinning = new CountDownLatch(1);
        Thread reader = new Thread(() -> {
            spinning.countDown();
            switch (flag) {
                case "plain" -> spinOnPlain();
                case "volatile" -> spinOnVolatile();
                case "atomic-boolean" -> spinOnAtomic();
                case "interrupt" -> spinUntilInterrupted();
                default -> throw new IllegalArgumentException("unknown flag " + flag);
            }
            seenAt = System.nanoTime();
        }, "reader-" + flag);
        reader.setDaemon(true); // a reader that never sees the flag must not keep this JVM alive
        reader.start();
        spinning.await();
        Thread.sleep(warmupMillis);
        long setAt = System.nanoTime();
        switch (flag) {
            case "plain" -> plainStop = true;
            case "volatile" -> volatileStop = true;
            case "atomic-boolean" -> atomicStop.set(true);
            default -> reader.interrupt();
        }
        reader.join(boundMillis);
        boolean seen = !reader.isAlive();
        long micros = seen ? (seenAt - setAt) / 1_000 : -1;
        System.out.printf(Locale.ROOT, "RESULT flag=%s seen=%s micros=%d%n", flag, seen, micros);
    }

    private static void spinOnPlain() {
        while (!plainStop) {
            // nothing: the JIT may read plainStop once, before the loop, and never again
        }
    }

    private static void spinOnVolatile() {
        while (!volatileStop) {
            // every iteration reads volatileStop from memory
        }
    }

    private static void spinOnAtomic() {
        while (!atomicStop.get()) {
            // AtomicBoolean.get() is a volatile read
        }
    }

    private static void spinUntilInterrupted() {
        while (!Thread.currentThread().isInterrupted()) {
            // the interrupt status is written by interrupt() and read here with happens-before
        }
    }
}
