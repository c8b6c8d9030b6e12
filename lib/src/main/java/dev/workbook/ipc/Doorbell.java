package dev.workbook.ipc;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;

/**
 * A way for one process to wake threads of another that sleep waiting on shared memory: the kernel
 * wait that Java's API lacks (no futex on a mapped word).
 *
 * <p>Each JVM that has a sleeping waiter listens on a Unix-domain socket named after its process
 * token, {@code bell-PID-TAG} in the user's private directory (see {@code UserDirectory}), with one daemon thread blocked in {@code accept}. To ring it,
 * another process connects and hangs up; the bell thread then unparks every thread of its JVM
 * registered as sleeping, and they look at shared memory again. A ring is a hint, never a message:
 * a spurious ring costs a look, and a lost one (the ringer died just before ringing) only the sleeper's
 * safety timeout. Who is asleep on what is counted in the shared memory of the primitive (see
 * {@link SharedQueue}), so that nobody rings when nobody sleeps.
 *
 * <p>The socket file is deleted at JVM exit; files of dead processes are swept when a JVM first uses
 * this class. A ring to a dead process fails (no file, or nobody listening), which tells the ringer to
 * forget that sleeper.
 */
final class Doorbell {

    private static final System.Logger LOG = System.getLogger(Doorbell.class.getName());
    static final String PREFIX = "bell-";

    private static volatile Doorbell local;
    private static volatile boolean unavailable;

    private final Path path;
    private final ServerSocketChannel server;
    private final Set<Thread> sleepers = ConcurrentHashMap.newKeySet();

    static {
        sweep();
    }

    private Doorbell(Path path, ServerSocketChannel server) {
        this.path = path;
        this.server = server;
    }

    /**
     * This JVM's bell, bound and listening from the first call on; null if it cannot be opened (the
     * failure is logged once, and waiters fall back to parking for short times).
     */
    static Doorbell local() {
        Doorbell bell = local;
        if (bell != null || unavailable) {
            return bell;
        }
        synchronized (Doorbell.class) {
            if (local == null && !unavailable) {
                try {
                    local = open();
                } catch (SharedMemoryException e) {
                    unavailable = true;
                    LOG.log(Level.WARNING, "no doorbell for this JVM; waiters will poll every millisecond", e);
                }
            }
            return local;
        }
    }

    private static Doorbell open() {
        Path path = pathOf(ProcessIdentity.current());
        try {
            Files.deleteIfExists(path); // a leftover of a previous process with our pid and start tick: impossible, but harmless
            ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(path));
            Doorbell bell = new Doorbell(path, server);
            Thread thread = new Thread(bell::answer, "workbook-ipc-doorbell");
            thread.setDaemon(true);
            thread.start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException ignored) {
                    // exiting anyway
                }
            }, "workbook-ipc-doorbell-cleanup"));
            return bell;
        } catch (IOException e) {
            throw new SharedMemoryException("cannot open this process's doorbell socket " + path + ": " + e, e);
        }
    }

    static Path pathOf(long token) {
        return UserDirectory.resolve(PREFIX + ProcessIdentity.pidOf(token) + "-" + (token & 0xFFFF_FFFFL));
    }

    /** The bell thread: every connection is one ring. */
    private void answer() {
        while (true) {
            try (SocketChannel ring = server.accept()) {
                for (Thread sleeper : sleepers) {
                    LockSupport.unpark(sleeper);
                }
            } catch (IOException e) {
                LOG.log(Level.WARNING, "doorbell " + path + " stopped answering; waiters fall back to their timeouts", e);
                return;
            }
        }
    }

    /** Registers the calling thread as a sleeper: rings from now on unpark it. */
    void enter() {
        sleepers.add(Thread.currentThread());
    }

    void leave() {
        sleepers.remove(Thread.currentThread());
    }

    /**
     * Rings the bell of the process named by {@code token}.
     *
     * @return false if nobody answers there (the process is gone, or never opened its bell)
     */
    static boolean ring(long token) {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(pathOf(token)));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Deletes the bell files of dead processes. */
    static void sweep() {
        Path directory;
        try {
            directory = UserDirectory.path();
        } catch (SharedMemoryException e) {
            return; // reported to whoever uses shared memory
        }
        try (DirectoryStream<Path> bells = Files.newDirectoryStream(directory, PREFIX + "*")) {
            for (Path bell : bells) {
                String[] parts = bell.getFileName().toString().substring(PREFIX.length()).split("-");
                try {
                    long token = Long.parseLong(parts[0]) << 32 | Long.parseLong(parts[1]);
                    if (!ProcessIdentity.isAlive(token)) {
                        Files.deleteIfExists(bell);
                    }
                } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
                    // not one of ours
                }
            }
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "cannot sweep doorbells in " + directory, e);
        }
    }
}
