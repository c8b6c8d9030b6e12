package dev.workbook.ipc;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Base64;

/**
 * The child side of the cross-process tests: one scenario per run, named by the first argument; the
 * primitives arrive as serialized handles (base64) and attach when decoded. Prints what the test waits
 * for and checks.
 */
public final class IpcTestChild {

    private IpcTestChild() {
    }

    public static void main(String[] args) throws Exception {
        String scenario = args[0];
        switch (scenario) {
            case "print-long" -> {
                SharedLong value = ChildJvms.decode(args[1]);
                System.out.println("value=" + value.get());
            }
            case "increment" -> {
                SharedLong value = ChildJvms.decode(args[1]);
                int times = Integer.parseInt(args[2]);
                for (int i = 0; i < times; i++) {
                    value.incrementAndGet();
                }
                System.out.println("done");
            }
            case "locked-increment" -> {
                SharedLock lock = ChildJvms.decode(args[1]);
                SharedLongArray cells = ChildJvms.decode(args[2]);
                int times = Integer.parseInt(args[3]);
                for (int i = 0; i < times; i++) {
                    lock.lock();
                    try {
                        long seen = cells.get(0); // a read-modify-write that only the lock makes atomic
                        Thread.onSpinWait();
                        cells.set(0, seen + 1);
                    } finally {
                        lock.unlock();
                    }
                }
                System.out.println("done");
            }
            case "hold-lock" -> {
                SharedLock lock = ChildJvms.decode(args[1]);
                lock.lock();
                System.out.println("locked");
                Thread.sleep(Long.MAX_VALUE);
            }
            case "create-and-halt" -> {
                SharedMemory.create(args[1], 4096);
                System.out.println("created");
                System.out.flush();
                Runtime.getRuntime().halt(0); // no shutdown hook: the region stays behind, as after a crash
            }
            case "create-queue" -> {
                try (SharedQueue queue = SharedQueue.create(4)) {
                    System.out.println("created " + queue.name());
                } catch (SharedMemoryException e) {
                    System.out.println("refused: " + e.getMessage());
                }
            }
            case "event-wait" -> {
                SharedEvent event = ChildJvms.decode(args[1]);
                System.out.println("waiting");
                event.await();
                System.out.println("woke");
            }
            case "queue-get" -> {
                SharedQueue queue = ChildJvms.decode(args[1]);
                System.out.println("got " + queue.get(Duration.ofSeconds(30)));
            }
            case "queue-put" -> {
                SharedQueue queue = ChildJvms.decode(args[1]);
                queue.put(args[2]);
                System.out.println("put");
            }
            case "queue-put-after-shutdown" -> {
                SharedQueue queue = ChildJvms.decode(args[1]);
                try {
                    queue.put("too late");
                    System.out.println("unexpected put");
                } catch (SharedQueue.Closed closed) {
                    System.out.println("closed: " + closed.getMessage());
                }
                System.out.println("left: " + queue.get());
                try {
                    queue.get();
                } catch (SharedQueue.Closed closed) {
                    System.out.println("drained");
                }
            }
            case "queue-get-on-bell" -> {
                SharedQueue queue = ChildJvms.<SharedQueue>decode(args[1]).safetyTimeout(Duration.ofHours(1));
                System.out.println("waiting");
                System.out.println("got " + queue.get());
            }
            case "queue-put-on-bell" -> {
                SharedQueue queue = ChildJvms.<SharedQueue>decode(args[1]).safetyTimeout(Duration.ofHours(1));
                System.out.println("waiting");
                queue.put("from the child");
                System.out.println("put");
            }
            case "queue-block-get" -> {
                SharedQueue queue = ChildJvms.decode(args[1]);
                System.out.println("blocking");
                System.out.println("unexpected " + queue.get());
            }
            case "queue-block-put" -> {
                SharedQueue queue = ChildJvms.decode(args[1]);
                System.out.println("blocking");
                queue.put(-1L);
                System.out.println("unexpected put");
            }
            case "queue-stall-write" -> {
                SharedQueue queue = ChildJvms.decode(args[1]);
                queue.putAndStallMidWrite(args[2], () -> System.out.println("stalled"));
            }
            case "queue-stall-read" -> {
                SharedQueue queue = ChildJvms.decode(args[1]);
                queue.getAndStallMidRead(() -> System.out.println("stalled"));
            }
            case "queue-produce" -> {
                SharedQueue queue = ChildJvms.decode(args[1]);
                long start = Long.parseLong(args[2]);
                long count = Long.parseLong(args[3]);
                for (long i = start; i < start + count; i++) {
                    queue.put(i);
                }
                System.out.println("produced");
            }
            case "queue-produce-forever" -> {
                SharedQueue queue = ChildJvms.decode(args[1]);
                System.out.println("producing");
                for (long i = 0; ; i++) {
                    queue.put(SharedQueueTest.bulky(i)); // blocks while full; killed at some moment
                }
            }
            case "queue-consume" -> {
                SharedQueue queue = ChildJvms.decode(args[1]);
                long count = 0;
                long sum = 0;
                try {
                    while (true) {
                        sum += (Long) queue.get();
                        count++;
                    }
                } catch (SharedQueue.Closed closed) {
                    System.out.println("consumed " + count + " " + sum);
                }
            }
            case "queue-codec" -> {
                SharedQueue queue = ChildJvms.decode(args[1]);
                System.out.println("codec " + queue.codec().allowList() + " spin=" + !queue.waitStrategy().parks());
            }
            case "pipe-echo" -> {
                Connection connection = ChildJvms.decode(args[1]);
                try (connection) {
                    while (true) {
                        connection.send(connection.recv());
                    }
                } catch (java.io.EOFException e) {
                    System.out.println("eof");
                }
            }
            case "client-echo" -> {
                byte[] key = Base64.getDecoder().decode(args[3]);
                try (Connection connection = Client.connect(
                        new InetSocketAddress(args[1], Integer.parseInt(args[2])), key)) {
                    connection.send(connection.recv());
                    System.out.println("echoed");
                } catch (AuthenticationException e) {
                    System.out.println("refused: " + e.getMessage());
                }
            }
            case "create-beyond-space" -> {
                System.setProperty("dev.workbook.ipc.dir", args[1]); // before the package picks its directory
                java.util.Map<String, java.util.function.Supplier<AutoCloseable>> large = new java.util.LinkedHashMap<>();
                large.put("SharedMemory", () -> SharedMemory.create(4 << 20));
                large.put("SharedLongArray", () -> SharedLongArray.create(1 << 20));
                large.put("SharedQueue", () -> SharedQueue.create("q-" + ProcessHandle.current().pid(), 64, 64 << 10));
                refuseAll(large);
                // Fill the file system, then even the smallest region cannot fit.
                try (SharedMemory filler = SharedMemory.create((1 << 20) - SharedMemory.HEADER_LENGTH)) {
                    filler.buffer().setMemory(0, filler.size(), (byte) 1);
                    java.util.Map<String, java.util.function.Supplier<AutoCloseable>> small = new java.util.LinkedHashMap<>();
                    small.put("SharedLong", () -> SharedLong.create(1));
                    small.put("SharedLock", SharedLock::create);
                    small.put("SharedEvent", SharedEvent::create);
                    small.put("SharedSemaphore", () -> SharedSemaphore.create(1));
                    refuseAll(small);
                }
                try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.list(java.nio.file.Path.of(args[1]))) {
                    System.out.println("left: " + files.map(path -> path.getFileName().toString()).toList());
                }
            }
            default -> throw new IllegalArgumentException("unknown scenario " + scenario);
        }
    }

    private static void refuseAll(java.util.Map<String, java.util.function.Supplier<AutoCloseable>> creations)
            throws Exception {
        for (var creation : creations.entrySet()) {
            try (AutoCloseable created = creation.getValue().get()) {
                System.out.println(creation.getKey() + " was created: " + created);
            } catch (SharedMemoryException e) {
                System.out.println(creation.getKey() + " refused: " + e.getMessage());
            }
        }
    }
}
