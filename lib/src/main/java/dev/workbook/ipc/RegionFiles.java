package dev.workbook.ipc;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
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
 * This JVM's view of the region files of {@link UserDirectory}: which ones it has open (and mapped),
 * which ones it created, and the sweep of regions left behind by dead processes. It opens only
 * regular files of this user, never through a symbolic link.
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

    private static final Map<Object, OpenFile> OPEN = new HashMap<>();

    /** Regions this JVM created and has not unlinked: path to file identity. */
    private static final Map<Path, Object> CREATED = new ConcurrentHashMap<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(RegionFiles::unlinkCreated, "workbook-ipc-unlink"));
        try {
            sweep();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "sweep of stale shared-memory regions failed", e);
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
        /** The one mapping of this file in this JVM, shared by its handles; guarded by the class. */
        private MappedByteBuffer mapping;

        private OpenFile(Path path, Object key, FileChannel channel, FileLock lock) {
            this.path = path;
            this.key = key;
            this.channel = channel;
            this.lock = lock;
        }
    }

    static Path pathOf(String name) {
        return UserDirectory.resolve(PREFIX + name);
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
            channel = openNoFollow(path);
            FileLock lock = channel.lock(0, Long.MAX_VALUE, true);
            Object key = keyOf(path);
            OpenFile file = new OpenFile(path, key, channel, lock);
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
     * Opens an existing file (or shares this JVM's channel on it) and takes the shared lock. Only a
     * regular file owned by this user is opened; a symbolic link is not followed.
     *
     * @throws NoSuchFileException if there is no such file
     * @throws SharedMemoryException if the file is a link, not a regular file, or someone else's
     */
    static synchronized OpenFile open(Path path) throws IOException {
        String refusal = refusalOf(path);
        if (refusal != null) {
            throw new SharedMemoryException("refusing to attach " + path + ": it " + refusal
                    + "; only regular files of yours in " + path.getParent() + " are regions (remove it)");
        }
        Object key = keyOf(path);
        OpenFile known = OPEN.get(key);
        if (known != null) {
            known.references++;
            return known;
        }
        FileChannel channel = openNoFollow(path);
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

    /**
     * This JVM's mapping of the file's first {@code length} bytes, made once and shared by every
     * handle: a process attaching one region many times (a message holding thousands of its handles,
     * say) must not spend a mapping on each, as mappings per process are limited
     * ({@code vm.max_map_count}) and the JVM needs them too.
     */
    static synchronized MappedByteBuffer mapping(OpenFile file, long length) throws IOException {
        if (file.mapping == null || file.mapping.capacity() < length) {
            file.mapping = file.channel.map(FileChannel.MapMode.READ_WRITE, 0, length);
        }
        return file.mapping;
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
        Object key = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
        return key == null ? path.toAbsolutePath() : key;
    }

    /**
     * Why {@code path} is not a file we may open as a region (it is a link, a directory or socket, or
     * another user's), or null if it is a regular file of ours. The directory is ours and closed to
     * others, so nobody can swap the file between this check and the open that follows; the open
     * refuses links itself too.
     *
     * @throws NoSuchFileException if there is no such file
     */
    static String refusalOf(Path path) throws IOException {
        BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class,
                LinkOption.NOFOLLOW_LINKS);
        if (attributes.isSymbolicLink()) {
            return "is a symbolic link";
        }
        if (!attributes.isRegularFile()) {
            return "is not a regular file";
        }
        if (!UserDirectory.ownedByUs(path)) {
            return "belongs to another user";
        }
        return null;
    }

    private static FileChannel openNoFollow(Path path) throws IOException {
        return FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
    }

    /**
     * Removes every region file whose creator is dead and that no live process has open.
     *
     * @return the names of the regions removed
     */
    static synchronized List<String> sweep() {
        List<String> swept = new ArrayList<>();
        Path directory = UserDirectory.path();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, PREFIX + "*")) {
            for (Path path : files) {
                String verdict = staleVerdict(path);
                if (verdict != null) {
                    String name = path.getFileName().toString().substring(PREFIX.length());
                    swept.add(name);
                    LOG.log(Level.INFO, "swept stale shared-memory region ''{0}'' ({1})", name, verdict);
                }
            }
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot list " + directory + " to sweep stale regions", e);
        }
        return swept;
    }

    /**
     * Removes the file if stale, holding the exclusive lock; returns why, or null if it was kept. Only
     * regular files of ours are looked at (links are not followed), and only those whose header is
     * ours (or that never got one) are changed.
     */
    private static String staleVerdict(Path path) {
        Object key;
        try {
            if (refusalOf(path) != null) {
                return null; // a link, a pipe's directory, a socket, another user's: not a region
            }
            key = keyOf(path);
        } catch (IOException e) {
            return null;
        }
        if (OPEN.containsKey(key)) {
            return null; // ours and in use; also, opening a second channel would drop our lock
        }
        try (FileChannel channel = openNoFollow(path)) {
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
                Instant modified = Files.getLastModifiedTime(path, LinkOption.NOFOLLOW_LINKS).toInstant();
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
                if (Objects.equals(keyOf(created.getKey()), created.getValue())) { // not a newer file of that name
                    Files.deleteIfExists(created.getKey());
                }
            } catch (IOException e) {
                // already gone
            }
        }
    }

    private static FileAttribute<?>[] ownerOnly() {
        if (!UserDirectory.path().getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return new FileAttribute<?>[0];
        }
        Set<PosixFilePermission> rw = PosixFilePermissions.fromString("rw-------");
        return new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(rw)};
    }
}
