package dev.workbook.ipc;

import dev.workbook.codec.MessageCodec;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Accepts authenticated connections from other processes, on this host or others: CPython's
 * {@code multiprocessing.connection.Listener(address, authkey=...)}.
 *
 * <pre>{@code
 * byte[] key = Listener.generateKey();                  // share it with the client out of band
 * try (Listener listener = Listener.open(key)) {        // 127.0.0.1, a free port
 *     InetSocketAddress address = listener.address();   // tell the client
 *     try (Connection connection = listener.accept()) { // waits for a client with the same key
 *         connection.send("hello");
 *     }
 * }
 * }</pre>
 *
 * <p>Both ends prove they know the shared key before anything else crosses: HMAC-SHA256
 * challenge-response in both directions, as in CPython (see {@code Handshake}). The key itself never
 * crosses the network and is never stored. A client that fails makes {@link #accept()} throw an
 * {@link AuthenticationException} (as CPython's {@code accept} raises {@code AuthenticationError});
 * call {@code accept} again to serve the next client. <strong>Authentication is not encryption</strong>:
 * messages travel in clear, so outside a trusted network tunnel the connection (SSH, WireGuard...).
 *
 * <p>Binds to the loopback address unless given another: listening on a public interface is a
 * choice to make explicitly.
 *
 * <h2>Many clients at once, and clients that say nothing</h2>
 * Handshakes do not run in {@code accept}. From {@link #open} on, one daemon thread per listener
 * accepts TCP connections and runs every handshake at once in a selector, each with a deadline of
 * {@value #HANDSHAKE_DEADLINE_MILLIS} ms; {@code accept} hands out the connections that finished. So a
 * peer that connects and stays silent (or sends garbage) delays nobody: it is closed at its deadline,
 * or sooner if {@value #MAX_PENDING} handshakes are already in progress (the oldest one makes room).
 * Authenticated connections wait for {@code accept} in a queue; while {@value #MAX_READY} do, the
 * thread stops accepting, and new clients wait in the kernel's backlog.
 */
public final class Listener implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(Listener.class.getName());

    /** How long a peer has to finish its handshake: three round trips and two HMACs. */
    static final long HANDSHAKE_DEADLINE_MILLIS = 5_000;
    /** Handshakes in progress at once; past that the oldest is dropped. */
    static final int MAX_PENDING = 256;
    /** Authenticated connections waiting for {@link #accept()}; past that, accepting pauses. */
    static final int MAX_READY = 16;
    /** Refusals kept for {@link #accept()} to throw; more are only logged. */
    private static final int MAX_REFUSALS = 64;

    /** What the handshake thread hands to {@link #accept()}: a connection, a refusal, or the end. */
    private sealed interface Outcome permits Authenticated, Refused, Closed {
    }

    private record Authenticated(SocketChannel channel, String peer) implements Outcome {
    }

    private record Refused(AuthenticationException error) implements Outcome {
    }

    private record Closed() implements Outcome {
    }

    private final ServerSocketChannel server;
    private final Selector selector;
    private final SelectionKey acceptKey;
    private final byte[] key;
    private final long deadlineNanos;
    private final int maxPending;
    /** Ordered by arrival, and so by deadline: the head is the first to expire or to make room. */
    private final ArrayDeque<Handshake.Listening> pending = new ArrayDeque<>();
    private final LinkedBlockingQueue<Outcome> outcomes = new LinkedBlockingQueue<>();
    /** Authenticated connections in {@link #outcomes}; the handshake thread pauses accepting at MAX_READY. */
    private final java.util.concurrent.atomic.AtomicInteger ready = new java.util.concurrent.atomic.AtomicInteger();
    private final Thread handshakes;
    private volatile boolean closed;
    private volatile MessageCodec codec = MessageCodec.defaults();

    private Listener(ServerSocketChannel server, byte[] key, long deadlineNanos, int maxPending) throws IOException {
        this.server = server;
        this.key = key;
        this.deadlineNanos = deadlineNanos;
        this.maxPending = maxPending;
        this.selector = Selector.open();
        server.configureBlocking(false);
        this.acceptKey = server.register(selector, SelectionKey.OP_ACCEPT);
        this.handshakes = new Thread(this::runHandshakes, "workbook-listener-" + address().getPort());
        handshakes.setDaemon(true);
        handshakes.start();
    }

    /** 32 random bytes from a {@link SecureRandom}: a good shared key. */
    public static byte[] generateKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return key;
    }

    /** Listens on 127.0.0.1, on a free port ({@link #address()} says which). */
    public static Listener open(byte[] authKey) throws IOException {
        return open(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), authKey);
    }

    /**
     * Listens on {@code address}.
     *
     * @param authKey the shared secret; at least 16 bytes (use {@link #generateKey()})
     * @throws IllegalArgumentException if the key is shorter than 16 bytes
     */
    public static Listener open(InetSocketAddress address, byte[] authKey) throws IOException {
        return open(address, authKey, TimeUnit.MILLISECONDS.toNanos(HANDSHAKE_DEADLINE_MILLIS), MAX_PENDING);
    }

    /** {@link #open(InetSocketAddress, byte[])} with other limits, for tests. */
    static Listener open(InetSocketAddress address, byte[] authKey, long handshakeDeadlineNanos, int maxPending)
            throws IOException {
        byte[] key = checkKey(authKey);
        ServerSocketChannel server = ServerSocketChannel.open();
        try {
            server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            server.bind(address);
            return new Listener(server, key, handshakeDeadlineNanos, maxPending);
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
    }

    static byte[] checkKey(byte[] authKey) {
        Objects.requireNonNull(authKey, "an authentication key is required");
        if (authKey.length < 16) {
            throw new IllegalArgumentException("the authentication key has " + authKey.length
                    + " bytes; use at least 16 (Listener.generateKey() makes 32 random ones)");
        }
        return authKey.clone();
    }

    /** Sets the codec of the connections accepted from now on; returns this. */
    public Listener codec(MessageCodec codec) {
        this.codec = Objects.requireNonNull(codec, "codec");
        return this;
    }

    /** The address clients connect to. */
    public InetSocketAddress address() throws IOException {
        return (InetSocketAddress) server.getLocalAddress();
    }

    /**
     * Waits for the next client that has authenticated, or that failed to. Blocks without limit;
     * interruptible.
     *
     * @throws AuthenticationException if the next client did not prove it knows the key (it is
     *                                 disconnected; the listener keeps listening). Peers that close,
     *                                 time out or do not speak the protocol are dropped without a word.
     * @throws InterruptedIOException if the thread is interrupted while waiting
     * @throws AsynchronousCloseException if the listener is closed, before or while waiting
     */
    public Connection accept() throws IOException {
        Outcome next;
        try {
            next = outcomes.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for a client");
        }
        if (next instanceof Closed) {
            outcomes.add(next); // for every other waiter
            throw new AsynchronousCloseException();
        }
        if (next instanceof Refused refused) {
            throw refused.error();
        }
        Authenticated authenticated = (Authenticated) next;
        if (ready.getAndDecrement() == MAX_READY) {
            selector.wakeup(); // accepting was paused: resume
        }
        try {
            authenticated.channel().setOption(StandardSocketOptions.TCP_NODELAY, true);
            return new Connection(authenticated.channel(), codec, "connection from " + authenticated.peer());
        } catch (IOException | RuntimeException e) {
            authenticated.channel().close();
            throw e;
        }
    }

    /** Handshakes in progress now (for tests). */
    int pendingHandshakes() {
        synchronized (pending) {
            return pending.size();
        }
    }

    /**
     * The handshake thread: accepts, drives every handshake a step when its peer sends, closes those
     * past their deadline, and hands the finished ones to {@link #accept()}.
     */
    private void runHandshakes() {
        List<Handshake.Listening> finished = new ArrayList<>();
        try {
            while (!closed) {
                acceptKey.interestOps(ready.get() >= MAX_READY ? 0 : SelectionKey.OP_ACCEPT);
                selector.select(millisToNextDeadline());
                handleSelected(finished);
                while (!finished.isEmpty()) {
                    selector.selectNow(); // deregisters their keys: Connection puts the channel in blocking mode
                    for (Handshake.Listening done : finished) {
                        ready.incrementAndGet();
                        outcomes.add(new Authenticated(done.channel(), done.peer()));
                    }
                    finished.clear();
                    handleSelected(finished); // what became ready in selectNow
                }
                expire();
            }
        } catch (IOException | RuntimeException e) {
            if (!closed) {
                LOG.log(Level.WARNING, this + ": the handshake thread failed; no more clients are accepted", e);
            }
        } finally {
            shutDown();
        }
    }

    private long millisToNextDeadline() {
        synchronized (pending) {
            Handshake.Listening first = pending.peekFirst();
            return first == null ? 0 : Math.max(1, (first.deadline - System.nanoTime()) / 1_000_000 + 1);
        }
    }

    private void handleSelected(List<Handshake.Listening> finished) throws IOException {
        Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
        while (keys.hasNext()) {
            SelectionKey selected = keys.next();
            keys.remove();
            if (selected == acceptKey) {
                if (selected.isValid() && selected.isAcceptable()) {
                    acceptAll();
                }
                continue;
            }
            Handshake.Listening handshake = (Handshake.Listening) selected.attachment();
            try {
                if (handshake.advance()) {
                    selected.cancel();
                    forget(handshake);
                    finished.add(handshake);
                }
            } catch (AuthenticationException e) {
                drop(selected, handshake, e);
                if (outcomes.size() < MAX_REFUSALS) { // nobody may be calling accept: keep the first few
                    outcomes.add(new Refused(e));
                }
            } catch (IOException e) {
                drop(selected, handshake, e);
            }
        }
    }

    private void acceptAll() throws IOException {
        SocketChannel peer;
        while (ready.get() < MAX_READY && (peer = server.accept()) != null) {
            String who = String.valueOf(peer.getRemoteAddress());
            try {
                peer.configureBlocking(false);
                Handshake.Listening handshake = new Handshake.Listening(peer, key, System.nanoTime() + deadlineNanos, who);
                synchronized (pending) {
                    if (pending.size() >= maxPending) {
                        Handshake.Listening oldest = pending.pollFirst();
                        LOG.log(Level.DEBUG, "{0}: {1} handshakes in progress; dropped the oldest, from {2}",
                                this, maxPending, oldest.peer());
                        close(oldest.channel());
                    }
                    pending.addLast(handshake);
                }
                peer.register(selector, SelectionKey.OP_READ, handshake);
            } catch (IOException e) {
                LOG.log(Level.DEBUG, "dropped " + who + " at once", e);
                close(peer);
            }
        }
    }

    /** Closes the handshakes past their deadline. */
    private void expire() {
        long now = System.nanoTime();
        synchronized (pending) {
            while (!pending.isEmpty() && now - pending.peekFirst().deadline >= 0) {
                Handshake.Listening late = pending.pollFirst();
                LOG.log(Level.DEBUG, "{0}: {1} did not finish its handshake in time", this, late.peer());
                close(late.channel()); // also cancels its key
            }
        }
    }

    private void drop(SelectionKey selected, Handshake.Listening handshake, IOException why) {
        LOG.log(Level.DEBUG, "{0}: dropped {1}: {2}", this, handshake.peer(), why.getMessage());
        selected.cancel();
        forget(handshake);
        close(handshake.channel());
    }

    private void forget(Handshake.Listening handshake) {
        synchronized (pending) {
            pending.remove(handshake);
        }
    }

    private void shutDown() {
        close(server);
        synchronized (pending) {
            pending.forEach(handshake -> close(handshake.channel()));
            pending.clear();
        }
        try {
            selector.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        for (Outcome left : outcomes) {
            if (left instanceof Authenticated authenticated) {
                close(authenticated.channel());
            }
        }
        outcomes.clear();
        outcomes.add(new Closed());
    }

    private static void close(java.nio.channels.Channel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    /**
     * Stops listening: closes the socket, drops the handshakes in progress and the connections not yet
     * accepted, and makes every {@link #accept()} (waiting or to come) throw. Connections already
     * accepted stay open. Idempotent; returns once the handshake thread has finished.
     */
    @Override
    public void close() throws IOException {
        closed = true;
        selector.wakeup();
        if (Thread.currentThread() != handshakes) {
            try {
                handshakes.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public String toString() {
        try {
            return "Listener[" + address() + "]";
        } catch (IOException e) {
            return "Listener[closed]";
        }
    }
}
