package dev.workbook.ipc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.workbook.codec.MessageCodec;
import dev.workbook.codec.MessageDecodingException;
import dev.workbook.codec.MessageRejectedException;
import java.io.EOFException;
import java.io.IOException;
import java.io.NotSerializableException;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Pipe, Listener and Client. */
class ConnectionTest extends IpcTestSupport {

    private static final Duration CHILD_TIMEOUT = Duration.ofSeconds(60);

    @Test
    void pipeEndsInOneProcessTalkBothWays() throws Exception {
        try (Pipe pipe = Pipe.open()) {
            CompletableFuture<Object> echoed = CompletableFuture.supplyAsync(() -> {
                try {
                    Object message = pipe.right().recv();
                    pipe.right().send(List.of(message, "back"));
                    return message;
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            pipe.left().send("there");
            assertEquals(List.of("there", "back"), pipe.left().recv());
            assertEquals("there", echoed.get(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void aPipeEndHandedToAChildEchoesEveryKindOfMessage() throws Exception {
        try (Pipe pipe = Pipe.open()) {
            ChildJvms.Child child = children.start(IpcTestChild.class, "pipe-echo", ChildJvms.encode(pipe.right()));
            Connection mine = pipe.left();
            for (Object message : List.of(7L, 3, 1.5, false, "ünïcode", List.of(1, 2, 3), "y".repeat(200_000))) {
                mine.send(message);
                assertEquals(message, mine.recv());
            }
            mine.send(new byte[] {9, 8});
            assertArrayEquals(new byte[] {9, 8}, (byte[]) mine.recv());
            mine.close();
            assertTrue(child.awaitExit(CHILD_TIMEOUT).contains("eof"), "the child saw the end of the stream");
        }
    }

    @Test
    void theListeningEndCanBeHandedToAChildToo() throws Exception {
        try (Pipe pipe = Pipe.open()) {
            ChildJvms.Child child = children.start(IpcTestChild.class, "pipe-echo", ChildJvms.encode(pipe.left()));
            Connection mine = pipe.right(); // connects once the child listens
            mine.send("via the child's listener");
            assertEquals("via the child's listener", mine.recv());
            mine.close();
            assertTrue(child.awaitExit(CHILD_TIMEOUT).contains("eof"));
        }
    }

    @Test
    void aStrangerWithoutThePipesTokenIsTurnedAway() throws Exception {
        java.util.Set<String> before = ourFiles();
        try (Pipe pipe = Pipe.open()) {
            java.util.Set<String> created = ourFiles();
            created.removeAll(before);
            assertEquals(1, created.size(), "one rendezvous directory: " + created);
            java.nio.file.Path socket = java.nio.file.Path.of(created.iterator().next(), "s");
            CompletableFuture<Object> left = CompletableFuture.supplyAsync(() -> {
                try {
                    return pipe.left().recv();
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            try (java.nio.channels.SocketChannel stranger = java.nio.channels.SocketChannel.open(
                    java.net.UnixDomainSocketAddress.of(socket))) {
                java.nio.ByteBuffer guess = java.nio.ByteBuffer.allocate(8 + 16).putInt(16).putInt(0);
                stranger.write(guess.put(new byte[16]).flip());
                assertEquals(-1, stranger.read(java.nio.ByteBuffer.allocate(16)), "hung up on without an answer");
            }
            pipe.right().send("the real right end");
            assertEquals("the real right end", left.get(10, TimeUnit.SECONDS));
        }
    }

    /** Waits until {@code thread} blocks inside {@code method}: in a native call (a socket's accept or read) or parked. */
    private static void awaitBlockedIn(Thread thread, String method) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            StackTraceElement[] stack = thread.getStackTrace();
            boolean inside = java.util.Arrays.stream(stack).anyMatch(frame -> frame.getMethodName().equals(method));
            boolean blocked = stack.length > 0 && stack[0].isNativeMethod()
                    || thread.getState() == Thread.State.WAITING || thread.getState() == Thread.State.TIMED_WAITING;
            if (inside && blocked) {
                return;
            }
            assertTrue(System.nanoTime() < deadline, thread.getName() + " never blocked in " + method + ": " + thread.getState());
            Thread.yield();
        }
    }

    @Test
    void closingAnEndWakesAThreadWaitingForItsPeer() throws Exception {
        for (boolean left : List.of(true, false)) {
            try (Pipe pipe = Pipe.open()) {
                Connection end = left ? pipe.left() : pipe.right();
                CompletableFuture<Object> waiting = new CompletableFuture<>();
                Thread receiver = new Thread(() -> {
                    try {
                        waiting.complete(end.recv()); // the other end never shows up
                    } catch (IOException e) {
                        waiting.complete(e);
                    }
                });
                receiver.start();
                awaitBlockedIn(receiver, "recv");
                assertFalse(waiting.isDone());
                end.close();
                assertTrue(waiting.get(10, TimeUnit.SECONDS) instanceof IOException);
            }
        }
    }

    @Test
    void pollSaysWhetherAMessageArrivesInTime() throws Exception {
        try (Pipe pipe = Pipe.open()) {
            CompletableFuture<Void> connect = CompletableFuture.runAsync(() -> {
                try {
                    pipe.right().send("first");
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            assertTrue(pipe.left().poll(Duration.ofSeconds(10)));
            connect.get(10, TimeUnit.SECONDS);
            assertEquals("first", pipe.left().recv());
            assertFalse(pipe.left().poll(Duration.ofMillis(20)));
            assertFalse(pipe.left().poll());
        }
    }

    @Test
    void recvAfterThePeerClosedThrowsEof() throws Exception {
        try (Pipe pipe = Pipe.open()) {
            CompletableFuture<Void> peer = CompletableFuture.runAsync(() -> {
                try (Connection right = pipe.right()) {
                    right.send("last words");
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            assertEquals("last words", pipe.left().recv());
            peer.get(10, TimeUnit.SECONDS);
            assertThrows(EOFException.class, pipe.left()::recv);
        }
    }

    @Test
    void aMessageOverTheLimitIsRefusedBeforeSending() throws Exception {
        try (Pipe pipe = Pipe.open()) {
            pipe.left().maxMessageSize(1000);
            MessageTooLargeException error = assertThrows(MessageTooLargeException.class,
                    () -> pipe.left().send(new byte[1001]));
            assertEquals(1 + 4 + 1001, error.size(), "the codec's tag and length, then the bytes");
            assertEquals(1000, error.limit());
        }
    }

    @Test
    void aPeerAnnouncingAnOversizedMessageIsDisconnected() throws Exception {
        try (Pipe pipe = Pipe.open()) {
            pipe.right().maxMessageSize(1000);
            CompletableFuture<Void> sender = CompletableFuture.runAsync(() -> {
                try {
                    pipe.left().send(new byte[5000]); // left allows it, right does not
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            IOException error = assertThrows(IOException.class, pipe.right()::recv);
            assertTrue(error.getMessage().contains("over the limit of 1000"), error.getMessage());
            assertTrue(pipe.right().isClosed());
            sender.get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aPeerAnnouncingAHugeMessageAndStallingCostsWhatItSentAndPollTimesOut() throws Exception {
        try (SocketPair peer = new SocketPair()) {
            announce(peer, Connection.DEFAULT_MAX_MESSAGE_SIZE - 1, 100); // within the limit, then silence
            Connection connection = new Connection(peer.near, MessageCodec.defaults(), "a stalling peer");
            long before = allocatedByThisThread();
            assertFalse(connection.poll(Duration.ofMillis(300)), "the message never arrives");
            long allocated = allocatedByThisThread() - before;
            assertTrue(allocated < 4 << 20, "waiting for a 64 MiB message that never comes allocated " + allocated + " bytes");
            connection.close();
        }
    }

    @Test
    void aPeerThatHangsUpInsideAHugeMessageGivesAnEofThatSaysSoAndCostsWhatItSent() throws Exception {
        try (SocketPair peer = new SocketPair()) {
            announce(peer, Connection.DEFAULT_MAX_MESSAGE_SIZE - 1, 100);
            peer.far.close();
            Connection connection = new Connection(peer.near, MessageCodec.defaults(), "a peer that hangs up");
            long before = allocatedByThisThread();
            EOFException error = assertThrows(EOFException.class, connection::recv);
            long allocated = allocatedByThisThread() - before;
            assertTrue(error.getMessage().contains("in the middle of a message"), error.getMessage());
            assertTrue(allocated < 4 << 20, "receiving 104 bytes of an announced 64 MiB allocated " + allocated + " bytes");
            connection.close();
        }
    }

    /** Bytes this thread has allocated so far, as HotSpot counts them. */
    private static long allocatedByThisThread() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        return threads.getThreadAllocatedBytes(Thread.currentThread().getId());
    }

    /** Writes a frame header announcing {@code length} bytes on the far end, then only {@code sent} of them. */
    private static void announce(SocketPair peer, int length, int sent) throws IOException {
        peer.send(ByteBuffer.allocate(4 + sent).putInt(length).put(new byte[sent]).flip());
    }

    @Test
    void theReceiversAllowListAppliesToPipes() throws Exception {
        try (Pipe pipe = Pipe.open()) {
            pipe.right().codec(MessageCodec.allowOnly("java.lang.*"));
            CompletableFuture<Void> sender = CompletableFuture.runAsync(() -> {
                try {
                    pipe.left().send(new java.util.LinkedList<>(List.of(1)));
                    pipe.left().send("still connected");
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            MessageRejectedException error = assertThrows(MessageRejectedException.class, pipe.right()::recv);
            assertEquals("java.util.LinkedList", error.rejectedClass());
            assertEquals("still connected", pipe.right().recv());
            sender.get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aConnectedEndCannotBeHandedToAnotherProcess() throws Exception {
        try (Pipe pipe = Pipe.open()) {
            CompletableFuture<Void> peer = CompletableFuture.runAsync(() -> {
                try {
                    pipe.right().send("hi");
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            pipe.left().recv();
            peer.get(10, TimeUnit.SECONDS);
            NotSerializableException error = assertThrows(NotSerializableException.class,
                    () -> new ObjectOutputStream(OutputStream.nullOutputStream()).writeObject(pipe.left()));
            assertTrue(error.getMessage().contains("cannot move to another process"), error.getMessage());
        }
    }

    @Test
    void listenerAndClientWithTheSameKeyConnect() throws Exception {
        byte[] key = Listener.generateKey();
        try (Listener listener = Listener.open(key)) {
            InetSocketAddress address = listener.address();
            assertTrue(address.getAddress().isLoopbackAddress(), "loopback by default");
            ChildJvms.Child client = children.start(IpcTestChild.class, "client-echo",
                    address.getHostString(), "" + address.getPort(), Base64.getEncoder().encodeToString(key));
            try (Connection connection = listener.accept()) {
                connection.send("over tcp");
                assertEquals("over tcp", connection.recv());
            }
            assertTrue(client.awaitExit(CHILD_TIMEOUT).contains("echoed"));
        }
    }

    @Test
    void aClientWithTheWrongKeyIsRefusedOnBothSides() throws Exception {
        try (Listener listener = Listener.open(Listener.generateKey())) {
            InetSocketAddress address = listener.address();
            ChildJvms.Child client = children.start(IpcTestChild.class, "client-echo",
                    address.getHostString(), "" + address.getPort(),
                    Base64.getEncoder().encodeToString(Listener.generateKey()));
            AuthenticationException error = assertThrows(AuthenticationException.class, listener::accept);
            assertTrue(error.getMessage().contains("does not know the key"), error.getMessage());
            String output = client.awaitExit(CHILD_TIMEOUT);
            assertTrue(output.contains("refused: ") && output.contains("refused our key"), output);
        }
    }

    @Test
    void aListenerWithTheWrongKeyIsRefusedByTheClient() throws Exception {
        byte[] clientKey = Listener.generateKey();
        try (Listener listener = Listener.open(Listener.generateKey())) {
            CompletableFuture<Void> server = CompletableFuture.runAsync(() -> {
                try {
                    listener.accept().close();
                } catch (IOException expected) {
                    // the listener fails too: the client's answer does not match its key
                }
            });
            assertThrows(AuthenticationException.class, () -> Client.connect(listener.address(), clientKey));
            server.get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void shortKeysAreRefused() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> Listener.open(new byte[4]));
        assertTrue(error.getMessage().contains("at least 16"), error.getMessage());
    }
}
