package dev.workbook.ipc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.AsynchronousCloseException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What a Listener does with peers that do not behave: they must delay nobody. */
class ListenerTest {

    private static final long LONG_DEADLINE = TimeUnit.SECONDS.toNanos(60);
    private final List<Socket> strangers = new ArrayList<>();

    @AfterEach
    void closeStrangers() throws IOException {
        for (Socket stranger : strangers) {
            stranger.close();
        }
    }

    @Test
    void aClientIsAcceptedWhileAHundredIdleConnectionsAreOpen() throws Exception {
        byte[] key = Listener.generateKey();
        try (Listener listener = Listener.open(loopback(), key, LONG_DEADLINE, Listener.MAX_PENDING)) {
            openIdle(listener, 100);
            awaitPending(listener, 100);
            try (Connection client = Client.connect(listener.address(), key);
                 Connection served = listener.accept()) {
                client.send("hello");
                assertEquals("hello", served.recv());
            }
            assertEquals(100, listener.pendingHandshakes(), "the idle ones are still waiting for their deadline");
        }
    }

    @Test
    void idleConnectionsAreClosedAtTheHandshakeDeadline() throws Exception {
        try (Listener listener = Listener.open(loopback(), Listener.generateKey(), TimeUnit.MILLISECONDS.toNanos(200),
                Listener.MAX_PENDING)) {
            openIdle(listener, 3);
            for (Socket idle : strangers) {
                assertTrue(readsUntilClosed(idle), "the listener closed the idle connection");
            }
            awaitPending(listener, 0);
        }
    }

    @Test
    void pendingHandshakesAreBoundedByDroppingTheOldest() throws Exception {
        byte[] key = Listener.generateKey();
        try (Listener listener = Listener.open(loopback(), key, LONG_DEADLINE, 8)) {
            openIdle(listener, 12);
            for (Socket oldest : strangers.subList(0, 4)) {
                assertTrue(readsUntilClosed(oldest), "one of the four oldest was dropped to make room");
            }
            awaitPending(listener, 8);
            try (Connection client = Client.connect(listener.address(), key); Connection served = listener.accept()) {
                served.send(42);
                assertEquals(42, client.recv());
            }
        }
    }

    @Test
    void garbageIsDroppedWithoutAnErrorFromAccept() throws Exception {
        byte[] key = Listener.generateKey();
        try (Listener listener = Listener.open(loopback(), key, LONG_DEADLINE, Listener.MAX_PENDING)) {
            openIdle(listener, 10);
            for (Socket stranger : strangers) {
                OutputStream out = stranger.getOutputStream();
                out.write(new byte[] {0x7f, 0, 0, 0, 1, 2, 3, 4}); // announces a frame of 2 GB
                out.flush();
            }
            for (Socket stranger : strangers) {
                assertTrue(readsUntilClosed(stranger));
            }
            try (Connection client = Client.connect(listener.address(), key); Connection served = listener.accept()) {
                client.send("after the garbage");
                assertEquals("after the garbage", served.recv());
            }
        }
    }

    @Test
    void aMessageSentRightAfterAuthenticatingArrives() throws Exception {
        byte[] key = Listener.generateKey();
        try (Listener listener = Listener.open(key); Connection client = Client.connect(listener.address(), key)) {
            client.send("first");
            client.send("second");
            try (Connection served = listener.accept()) {
                assertEquals("first", served.recv());
                assertEquals("second", served.recv());
            }
        }
    }

    @Test
    void closingTheListenerEndsAWaitingAccept() throws Exception {
        Listener listener = Listener.open(Listener.generateKey());
        CompletableFuture<Connection> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return listener.accept();
            } catch (IOException e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        });
        listener.close();
        java.util.concurrent.ExecutionException error = assertThrows(java.util.concurrent.ExecutionException.class,
                () -> waiting.get(30, TimeUnit.SECONDS));
        assertTrue(error.getCause() instanceof AsynchronousCloseException, String.valueOf(error.getCause()));
        assertThrows(AsynchronousCloseException.class, listener::accept);
    }

    private static InetSocketAddress loopback() {
        return new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0);
    }

    private void openIdle(Listener listener, int count) throws IOException {
        InetSocketAddress address = listener.address();
        for (int i = 0; i < count; i++) {
            Socket idle = new Socket(address.getAddress(), address.getPort());
            idle.setSoTimeout(30_000);
            strangers.add(idle);
        }
    }

    /** Reads (the challenge) until the listener closes the connection; false if it stays open 30 s. */
    private static boolean readsUntilClosed(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[256];
        try {
            while (in.read(buffer) >= 0) {
                // the challenge; then nothing until the close
            }
            return true;
        } catch (java.net.SocketTimeoutException e) {
            return false;
        } catch (java.net.SocketException e) {
            return true; // reset: closed with our garbage unread
        }
    }

    private static void awaitPending(Listener listener, int expected) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (listener.pendingHandshakes() != expected) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("pending handshakes: " + listener.pendingHandshakes() + ", expected " + expected);
            }
            Thread.sleep(5); // polling a condition, with a deadline
        }
    }
}
