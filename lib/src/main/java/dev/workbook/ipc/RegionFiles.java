package dev.workbook.ipc;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * This JVM's view of the region files: where they live, which ones it has open, which ones it
 * created, and the sweep of regions left behind by dead processes.
 *
 * <h2>Who is using a region: shared file locks</h2>
 * Every process that has a region open holds a <em>shared</em> {@code fcntl} lock on the whole file.
 * The kernel drops the lock when the process exits, however it exits (a {@code kill -9} included), so a
 * sweeper that obtains an <em>exclusive</em> lock knows that no live process has the region open. It
 * also checks that the creator named in the header is dead, so that a region its creator merely closed
 * (to attach again later) survives.
 *
 * <p>{@code fcntl} locks belong to the process, and closing <em>any</em> descriptor of a file drops
 * all of the process's locks on it. That is why this class keeps exactly one channel per file per JVM
 * (keyed by the file's identity, device and inode), shared and reference-counted by all the handles of
 * this JVM, and why the sweep skips files this JVM has open.
 *
 * <p>All methods synchronize on the class: opening, closing and sweeping are rare next to the
 * operations on a mapped region, which never come here.
 */
final class RegionFiles {

    private static final System.Logger LOG = System.getLogger(RegionFiles.class.getName());

    /** Every region file starts with this, so the sweep never touches other programs' files. */
    static final String PREFIX = "wb-";

    /** Files that never got a header are swept only after this long (their creator may be writing it). */
    private static final Duration UNINITIALIZED_GRACE = Duration.ofSeconds(10);

    static final Path DIRECTORY = chooseDirectory();

    private static final Map<Object, OpenFile> OPEN = new HashMap<>();

    /** Regions this JVM created and has not unlinked: path to file identity. */
    private static final Map<Path, Object> CREATED = new ConcurrentHashMap<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(RegionFiles::unlinkCreated, "workbook-ipc-unlink"));
        try {
            sweep();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "sweep of stale shared-memory regions in " + DIRECTORY + " failed", e);
        }
    }

    private RegionFiles() {
    }

    /** One open region file in this JVM; shared by all handles on it. */
    static final class OpenFile {
        final Path path;
        final Object key;
        final FileChannel channel;
        private final FileLock lock;
        private int references = 1;
        /** State that must be one per process and region, e.g. a queue's participant index. */
        final Map<String, Object> processLocal = new ConcurrentHashMap<>();

        private OpenFile(Path path, Object key, FileChannel channel, FileLock lock) {
            this.path = path;
            this.key = key;
            this.channel = channel;
            this.lock = lock;
        }
    }

    static Path pathOf(String name) {
        return DIRECTORY.resolve(PREFIX + name);
    }

    /**
     * Creates the file with owner-only permissions, opens it and takes the shared lock.
     *
     * @throws FileAlreadyExistsException if the name is taken
     */
    static synchronized OpenFile create(Path path) throws IOException {
        Files.createFile(path, ownerOnly());
        FileChannel channel = null;
        try {
            channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock = channel.lock(0, Long.MAX_VALUE, true);
            Object key = Files.readAttributes(path, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
            OpenFile file = new OpenFile(path, key == null ? path : key, channel, lock);
            OPEN.put(file.key, file);
            CREATED.put(path, file.key);
            return file;
        } catch (IOException | RuntimeException e) {
            if (channel != null) {
                channel.close();
            }
            Files.deleteIfExists(path);
            throw e;
        }
    }

    /**
     * Opens an existing file (or shares this JVM's channel on it) and takes the shared lock.
     *
     * @throws NoSuchFileException if there is no such file
     */
    static synchronized OpenFile open(Path path) throws IOException {
        Object key = keyOf(path);
        OpenFile known = OPEN.get(key);
        if (known != null) {
            known.references++;
            return known;
        }
        FileChannel channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
        try {
            FileLock lock = channel.lock(0, Long.MAX_VALUE, true);
            OpenFile file = new OpenFile(path, key, channel, lock);
            OPEN.put(key, file);
            return file;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** Drops one reference; the last one closes the channel, which releases the shared lock. */
    static synchronized void release(OpenFile file) {
        if (--file.references > 0) {
            return;
        }
        OPEN.remove(file.key);
        try {
            file.lock.release();
            file.channel.close();
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "closing " + file.path, e);
        }
    }

    /** Removes the name (the memory lives on for whoever has it mapped). False if it was already gone. */
    static synchronized boolean unlink(Path path, Object expectedKey) throws IOException {
        if (expectedKey != null) {
            Object current;
            try {
                current = keyOf(path);
            } catch (NoSuchFileException e) {
                CREATED.remove(path, expectedKey);
                return false;
            }
            if (!current.equals(expectedKey)) {
                // The name now belongs to a newer region: not ours to remove.
                CREATED.remove(path, expectedKey);
                return false;
            }
        }
        CREATED.remove(path);
        return Files.deleteIfExists(path);
    }

    static Object keyOf(Path path) throws IOException {
        Object key = Files.readAttributes(path, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
        return key == null ? path.toRealPath() : key;
    }

    /**
     * Removes every region file whose creator is dead and that no live process has open.
     *
     * @return the names of the regions removed
     */
    static synchronized List<String> sweep() {
        List<String> swept = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(DIRECTORY, PREFIX + "*")) {
            for (Path path : files) {
                String verdict = staleVerdict(path);
                if (verdict != null) {
                    String name = path.getFileName().toString().substring(PREFIX.length());
                    swept.add(name);
                    LOG.log(Level.INFO, "swept stale shared-memory region ''{0}'' ({1})", name, verdict);
                }
            }
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot list " + DIRECTORY + " to sweep stale regions", e);
        }
        return swept;
    }

    /** Removes the file if stale, holding the exclusive lock; returns why, or null if it was kept. */
    private static String staleVerdict(Path path) {
        Object key;
        try {
            key = keyOf(path);
        } catch (IOException e) {
            return null;
        }
        if (OPEN.containsKey(key)) {
            return null; // ours and in use; also, opening a second channel would drop our lock
        }
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            FileLock exclusive;
            try {
                exclusive = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                return null;
            }
            if (exclusive == null) {
                return null; // some live process has it open
            }
            ByteBuffer header = ByteBuffer.allocate(SharedMemory.HEADER_LENGTH).order(ByteOrder.nativeOrder());
            int read = channel.read(header, 0);
            long magic = read >= 8 ? header.getLong(SharedMemory.MAGIC_OFFSET) : 0;
            String verdict;
            if (magic == SharedMemory.MAGIC) {
                long creator = header.getLong(SharedMemory.CREATOR_OFFSET);
                if (ProcessIdentity.isAlive(creator)) {
                    return null; // closed by everyone, but its creator may attach again
                }
                verdict = "creator pid " + ProcessIdentity.pidOf(creator) + " is dead and no process has it open";
            } else if (magic == SharedMemory.SWEPT) {
                verdict = "a sweeper marked it and died before removing it";
            } else if (magic == 0) {
                Instant modified = Files.getLastModifiedTime(path).toInstant();
                if (modified.plus(UNINITIALIZED_GRACE).isAfter(Instant.now())) {
                    return null; // a creator may be writing the header right now
                }
                verdict = "its creator died before writing the header";
            } else {
                return null; // not a region of ours: leave it alone
            }
            // Mark it first: a process that opened the file just before we delete it sees the mark once it
            // gets its shared lock, and treats the region as gone.
            ByteBuffer mark = ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putLong(0, SharedMemory.SWEPT);
            channel.write(mark, SharedMemory.MAGIC_OFFSET);
            Files.deleteIfExists(path);
            return verdict;
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "sweep skipped " + path, e);
            return null;
        }
    }

    private static void unlinkCreated() {
        for (Map.Entry<Path, Object> created : Set.copyOf(CREATED.entrySet())) {
            try {
                if (Objects.equals(keyOf(created.getKey()), created.getValue())) {
                    Files.deleteIfExists(created.getKey());
                }
            } catch (IOException e) {
                // already gone
            }
        }
    }

    private static FileAttribute<?>[] ownerOnly() {
        if (!DIRECTORY.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return new FileAttribute<?>[0];
        }
        Set<PosixFilePermission> rw = PosixFilePermissions.fromString("rw-------");
        return new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(rw)};
    }

    private static Path chooseDirectory() {
        String configured = System.getProperty("dev.workbook.ipc.dir");
        if (configured != null && !configured.isBlank()) {
            return ensureDirectory(Path.of(configured));
        }
        Path shm = Path.of("/dev/shm");
        if (Files.isDirectory(shm) && Files.isWritable(shm)) {
            return shm;
        }
        String user = System.getProperty("user.name", "user").replaceAll("[^A-Za-z0-9_.-]", "_");
        return ensureDirectory(Path.of(System.getProperty("java.io.tmpdir"), "workbook-shm-" + user));
    }

    private static Path ensureDirectory(Path directory) {
        try {
            if (!Files.isDirectory(directory)) {
                if (directory.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                    Files.createDirectories(directory,
                            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                } else {
                    Files.createDirectories(directory);
                }
            }
            return directory;
        } catch (IOException e) {
            throw new SharedMemoryException("cannot create the shared-memory directory " + directory
                    + ": set -Ddev.workbook.ipc.dir to a writable directory", e);
        }
    }
}
