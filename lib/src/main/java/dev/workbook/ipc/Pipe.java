package dev.workbook.ipc;

import dev.workbook.codec.MessageCodec;
import java.io.EOFException;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A two-way connection between two processes on one machine, over a Unix-domain socket: CPython's
 * {@code multiprocessing.Pipe()}.
 *
 * <pre>{@code
 * try (Pipe pipe = Pipe.open()) {
 *     Connection mine = pipe.left();
 *     // hand pipe.right() to a child (it is Serializable until it connects)
 *     mine.send("ping");
 *     Object answer = mine.recv();
 * }
 * }</pre>
 *
 * <h2>How the ends meet</h2>
 * A Java program cannot hand a connected socket to a child JVM, so the ends meet through a rendezvous:
 * {@link #open()} makes a directory {@code pipe-PID-TAG-RANDOM} in the user's private directory (see
 * {@link SharedMemory#directory()}) and the left end listens on a socket file in it; the right end,
 * wherever it is deserialized, connects there
 * on its first operation and proves it is the right end with a random 16-byte token that only the two
 * ends know. As soon as they are connected the left end deletes the socket file and the directory:
 * nothing is left on disk, and nobody else can connect. Either end may be handed to another process
 * before it is used (an end handed off stops listening in the process it left); a connected end cannot.
 * The first operation on an end waits until the other end shows up.
 *
 * <h2>What travels</h2>
 * A serialized end is an inert descriptor: the rendezvous's name (not a path) and the token.
 * Deserializing one checks that the name has the form of a rendezvous name and touches nothing; the
 * end binds or connects on its first operation, and only inside the user's private directory. So a
 * forged end in a message can at most make an explicit operation fail; it can name no file elsewhere.
 *
 * <h2>Leftovers</h2>
 * {@link #close()} and the left end's close delete the directory if the ends never met; the opening
 * JVM deletes it at exit; and directories of dead openers are swept when a JVM first uses this class.
 */
public final class Pipe implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(Pipe.class.getName());
    private static final SecureRandom RANDOM = new SecureRandom();
    static final String PREFIX = "pipe-";
    /** A rendezvous's name: PREFIX, the opener's pid and start tag, and the random part of createTempDirectory. */
    private static final java.util.regex.Pattern NAME = java.util.regex.Pattern.compile("pipe-[0-9]{1,10}-[0-9]{1,10}-[0-9]{1,20}");
    private static final int TOKEN_LENGTH = 16;
    private static final Set<Path> OPENED = ConcurrentHashMap.newKeySet();

    static {
        sweep();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> OPENED.forEach(Pipe::deleteRendezvous),
                "workbook-pipe-cleanup"));
    }

    private final Path directory;
    private final Connection left;
    private final Connection right;

    private Pipe(Path directory, Connection left, Connection right) {
        this.directory = directory;
        this.left = left;
        this.right = right;
    }

    /** Opens a pipe whose ends use the default {@link MessageCodec}. */
    public static Pipe open() throws IOException {
        return open(MessageCodec.defaults());
    }

    /** Opens a pipe whose ends use {@code codec} (each end may change it later). */
    public static Pipe open(MessageCodec codec) throws IOException {
        long me = ProcessIdentity.current();
        Path directory;
        try {
            directory = Files.createTempDirectory(SharedMemory.directory(),
                    PREFIX + ProcessIdentity.pidOf(me) + "-" + (me & 0xFFFF_FFFFL) + "-");
        } catch (SharedMemoryException e) {
            throw new IOException("cannot open a pipe: " + e.getMessage(), e);
        }
        OPENED.add(directory);
        byte[] token = new byte[TOKEN_LENGTH];
        RANDOM.nextBytes(token);
        String name = directory.getFileName().toString();
        ListeningEnd listening = new ListeningEnd(name, token);
        listening.bind();
        Connection left = new Connection(listening, codec, "pipe " + name + " (left end)");
        Connection right = new Connection(new ConnectingEnd(name, token), codec, "pipe " + name + " (right end)");
        return new Pipe(directory, left, right);
    }

    /** The end that listens for the other; conventionally the one the opener keeps. */
    public Connection left() {
        return left;
    }

    /** The end that connects to the left; conventionally the one handed to a child. */
    public Connection right() {
        return right;
    }

    /** Closes both ends in this process and removes the rendezvous if the ends never met. */
    @Override
    public void close() {
        left.close();
        right.close();
        deleteRendezvous(directory);
    }

    /** Deletes the socket file and the directory, if the directory is a real one of ours (links are not followed). */
    static void deleteRendezvous(Path directory) {
        OPENED.remove(directory);
        if (!isOurDirectory(directory)) {
            return;
        }
        try {
            Files.deleteIfExists(directory.resolve("s"));
            Files.deleteIfExists(directory);
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "cannot delete " + directory, e);
        }
    }

    private static boolean isOurDirectory(Path directory) {
        try {
            return Files.readAttributes(directory, java.nio.file.attribute.BasicFileAttributes.class,
                    java.nio.file.LinkOption.NOFOLLOW_LINKS).isDirectory() && UserDirectory.ownedByUs(directory);
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * The rendezvous directory of the pipe {@code name}, checked to be a rendezvous name: what a
     * descriptor received from elsewhere may name.
     */
    private static Path rendezvous(String name) {
        return UserDirectory.resolve(name);
    }

    /** Refuses a descriptor that is not one this class writes; touches nothing. */
    private static void checkDescriptor(String name, byte[] token) throws java.io.InvalidObjectException {
        if (name == null || !NAME.matcher(name).matches() || token == null || token.length != TOKEN_LENGTH) {
            throw new java.io.InvalidObjectException("not a pipe end: a pipe end names its rendezvous as"
                    + " 'pipe-PID-TAG-NUMBER' and carries a " + TOKEN_LENGTH + "-byte token, this one names '"
                    + name + "'");
        }
    }

    /** Deletes rendezvous directories whose opening process is dead. */
    static void sweep() {
        Path dir;
        try {
            dir = SharedMemory.directory();
        } catch (SharedMemoryException e) {
            return; // refused directory: nothing of ours can be there; Pipe.open reports it
        }
        {
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, PREFIX + "*")) {
                for (Path entry : entries) {
                    String[] parts = entry.getFileName().toString().substring(PREFIX.length()).split("-");
                    if (parts.length < 3) {
                        continue;
                    }
                    try {
                        long token = Long.parseLong(parts[0]) << 32 | Long.parseLong(parts[1]);
                        if (!ProcessIdentity.isAlive(token)) {
                            deleteRendezvous(entry);
                        }
                    } catch (NumberFormatException e) {
                        // not one of ours
                    }
                }
            } catch (IOException e) {
                LOG.log(Level.DEBUG, "cannot sweep pipe directories in " + dir, e);
            }
        }
    }

    /** The left end: listens on the socket file and accepts the one peer that shows the token. */
    private static final class ListeningEnd implements Connection.Connector {
        private static final long serialVersionUID = 2L;
        private final String name;
        private final byte[] token;
        private transient volatile ServerSocketChannel server;
        private transient volatile Selector selector;
        /** Set by close from any thread; close never waits for a connect in progress. */
        private transient volatile boolean closed;

        ListeningEnd(String name, byte[] token) {
            this.name = name;
            this.token = token;
        }

        private Path directory() {
            return rendezvous(name);
        }

        private Path socket() {
            return directory().resolve("s");
        }

        private void readObject(java.io.ObjectInputStream in) throws IOException, ClassNotFoundException {
            in.defaultReadObject();
            checkDescriptor(name, token);
        }

        synchronized void bind() throws IOException {
            if (server != null) {
                return;
            }
            if (closed) {
                throw new java.nio.channels.ClosedChannelException();
            }
            if (!isOurDirectory(directory())) {
                throw new IOException("pipe " + name + " was closed before its ends met (no directory "
                        + directory() + " of yours)");
            }
            Files.deleteIfExists(socket()); // a socket file left by the process this end was handed off from
            ServerSocketChannel channel = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            try {
                channel.bind(UnixDomainSocketAddress.of(socket()));
                channel.configureBlocking(false);
                selector = Selector.open();
                channel.register(selector, SelectionKey.OP_ACCEPT);
            } catch (IOException e) {
                channel.close();
                throw e;
            }
            server = channel;
        }

        @Override
        public synchronized SocketChannel connect(long timeoutNanos) throws IOException {
            bind();
            long deadline = System.nanoTime() + timeoutNanos;
            while (true) {
                ServerSocketChannel listening = server;
                Selector waiting = selector;
                if (closed || listening == null) {
                    throw new java.nio.channels.ClosedChannelException();
                }
                SocketChannel peer = listening.accept();
                if (peer == null) {
                    long left = timeoutNanos < 0 ? 0 : deadline - System.nanoTime();
                    if (timeoutNanos >= 0 && left <= 0) {
                        throw new java.net.SocketTimeoutException("the right end has not connected yet");
                    }
                    try {
                        waiting.select(timeoutNanos < 0 ? 0 : Math.max(1, left / 1_000_000));
                        waiting.selectedKeys().clear();
                    } catch (java.nio.channels.ClosedSelectorException e) {
                        throw new java.nio.channels.ClosedChannelException(); // closed from another thread
                    }
                    if (Thread.currentThread().isInterrupted()) {
                        throw new java.io.InterruptedIOException("interrupted while waiting for the right end");
                    }
                    continue;
                }
                Handshake handshake = new Handshake(peer, 10_000_000_000L, "right end of pipe");
                try {
                    byte[] shown = handshake.read();
                    if (!MessageDigest.isEqual(shown, token)) {
                        LOG.log(Level.WARNING, "pipe {0}: refused a connection that did not show the pipe''s token",
                                directory().getFileName());
                        peer.close();
                        continue;
                    }
                    handshake.write(new byte[] {1});
                } catch (IOException e) {
                    peer.close();
                    continue;
                } finally {
                    handshake.close();
                }
                stopListening();
                deleteRendezvous(directory()); // met: nobody else may connect, and nothing is left on disk
                return peer;
            }
        }

        /** Stop listening here: the end moves to another process, which binds again. */
        @Override
        public void handOff() {
            stopListening();
        }

        @Override
        public void close() {
            closed = true;
            stopListening();
            deleteRendezvous(directory());
        }

        /** Closing the selector wakes a connect waiting in it. */
        private void stopListening() {
            Selector waiting = selector;
            ServerSocketChannel listening = server;
            selector = null;
            server = null;
            try {
                if (waiting != null) {
                    waiting.close();
                }
                if (listening != null) {
                    listening.close();
                    Files.deleteIfExists(socket());
                }
            } catch (IOException e) {
                LOG.log(Level.DEBUG, "closing the listening end of " + directory(), e);
            }
        }
    }

    /** The right end: connects to the socket file, retrying until the left end listens. */
    private static final class ConnectingEnd implements Connection.Connector {
        private static final long serialVersionUID = 2L;
        private final String name;
        private final byte[] token;
        /** A connection that showed its token and waits for the left end's acknowledgement. */
        private transient volatile SocketChannel pending;
        private transient Handshake pendingHandshake;
        /** Set by close from any thread; the connect loop gives up when it sees it. */
        private transient volatile boolean closed;

        ConnectingEnd(String name, byte[] token) {
            this.name = name;
            this.token = token;
        }

        private Path directory() {
            return rendezvous(name);
        }

        private Path socket() {
            return directory().resolve("s");
        }

        private void readObject(java.io.ObjectInputStream in) throws IOException, ClassNotFoundException {
            in.defaultReadObject();
            checkDescriptor(name, token);
        }

        @Override
        public synchronized SocketChannel connect(long timeoutNanos) throws IOException, InterruptedException {
            long deadline = System.nanoTime() + timeoutNanos;
            long pause = 1;
            while (true) {
                if (closed) {
                    if (pending != null) {
                        dropPending();
                    }
                    throw new java.nio.channels.ClosedChannelException();
                }
                if (pending == null) {
                    if (!isOurDirectory(directory())) {
                        throw new IOException("pipe " + name + " is gone: its ends already met"
                                + " (an end connects only once) or it was closed");
                    }
                    SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
                    try {
                        channel.connect(UnixDomainSocketAddress.of(socket()));
                        pendingHandshake = new Handshake(channel, 3_600_000_000_000L, "left end of pipe");
                        pendingHandshake.write(token);
                        pending = channel;
                    } catch (NoSuchFileException | SocketException e) {
                        channel.close(); // not listening yet (or between processes): try again
                    }
                }
                if (pending != null) {
                    try {
                        if (ackArrived()) {
                            SocketChannel connected = pending;
                            pendingHandshake.close();
                            pending = null;
                            pendingHandshake = null;
                            return connected;
                        }
                    } catch (IOException e) {
                        // The listener went away before answering (it was handed off): start again.
                        dropPending();
                    }
                }
                if (timeoutNanos >= 0 && System.nanoTime() - deadline >= 0) {
                    throw new java.net.SocketTimeoutException("the left end is not listening yet");
                }
                Thread.sleep(pause);
                pause = Math.min(20, pause * 2);
            }
        }

        /** Reads the one-byte acknowledgement if it is there; false if not yet. */
        private boolean ackArrived() throws IOException {
            ByteBuffer ack = ByteBuffer.allocate(9);
            int read = pending.read(ack);
            if (read < 0) {
                throw new EOFException("listener closed");
            }
            if (read == 0) {
                return false;
            }
            while (ack.hasRemaining()) { // the rest of a 9-byte frame is on its way
                if (pending.read(ack) < 0) {
                    throw new EOFException("listener closed");
                }
            }
            return true;
        }

        private void dropPending() {
            try {
                pendingHandshake.close();
                pending.close();
            } catch (IOException ignored) {
                // dropping anyway
            }
            pending = null;
            pendingHandshake = null;
        }

        @Override
        public synchronized void handOff() {
            if (pending != null) {
                dropPending();
            }
        }

        @Override
        public void close() {
            closed = true;
            SocketChannel half = pending;
            if (half != null) {
                try {
                    half.close(); // the connect loop, if any, sees the flag and cleans up
                } catch (IOException ignored) {
                    // closing anyway
                }
            }
        }
    }
}
