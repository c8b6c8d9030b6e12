package dev.workbook.ipc;

import java.io.IOException;
import java.io.InvalidObjectException;
import java.io.ObjectInputStream;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A named block of memory that several processes map at once, CPython's
 * {@code multiprocessing.shared_memory.SharedMemory} for the JVM.
 *
 * <p>A region is a file in this user's private directory {@code /dev/shm/wb-UID} ({@code /dev/shm} is a
 * RAM file system on Linux; where it does not exist, {@code java.io.tmpdir/wb-UID};
 * {@code -Ddev.workbook.ipc.dir} overrides both; the directory must be {@code rwx------} and ours, see
 * {@link #directory()}), named {@code wb-NAME}, created with owner-only permissions ({@code rw-------}) and mapped into every
 * process that {@linkplain #attach(String) attaches} it by name. What one process writes through
 * {@link #buffer()} the others see; {@link AtomicBuffer} gives the ordered and atomic accesses
 * ({@code getLongVolatile}, {@code putLongRelease}, {@code compareAndSetLong}...) that make that
 * sharing safe. The other primitives of this package ({@link SharedLong}, {@link SharedQueue}...) are
 * regions with a layout of their own.
 *
 * <h2>Header</h2>
 * Every region starts with a 128-byte header that lets an attacher check what it maps:
 * <pre>
 *   0                   8         12        16                  24
 *   +-------------------+---------+---------+-------------------+
 *   | magic             | version | kind    | size (user bytes) |
 *   +-------------------+---------+---------+-------------------+
 *  24                  32                  40                 128
 *   +-------------------+-------------------+-------------------+
 *   | creator token     | created (epoch ms)|     reserved      |
 *   +-------------------+-------------------+-------------------+
 * 128: the user area, {@code size} bytes, 128-byte aligned; the file is rounded up to whole pages.
 * </pre>
 * The creator token is the creator's pid and a tag of its start time (see {@code ProcessIdentity}), so
 * that a reused pid is not taken for the creator. The creator writes every other field and the user
 * area's initial layout first and the magic last, with release ordering: an attacher that sees the magic
 * sees a complete region.
 *
 * <h2>Lifetime</h2>
 * <ul>
 *   <li>{@link #close()} ends this handle: it releases the file and lets the mapping go when the
 *       buffer is no longer reachable (unmapping at once would turn any stray access from another
 *       thread into a JVM crash). If this handle <em>created</em> the region, close also
 *       {@linkplain #unlink() unlinks} it: the creator owns the name, as CPython's resource tracker
 *       does.</li>
 *   <li>{@link #unlink()} removes the name. Processes that have it mapped keep using it; new attaches
 *       fail. The memory is freed when the last process lets go.</li>
 *   <li>A JVM that exits normally unlinks the regions it created and did not unlink.</li>
 *   <li>A region whose creator died (killed, crashed) and that no live process has open is swept, that
 *       is unlinked, by the next JVM that loads this package, or by {@link #sweep()}. Liveness is
 *       checked with the kernel: every process holding a region open holds a shared file lock on it,
 *       released by the kernel when the process dies.</li>
 * </ul>
 *
 * <h2>Handing a region to another process</h2>
 * A region is {@link Serializable} as a handle (its name): deserializing it in another JVM attaches
 * there, to the region of that name in the receiving user's private directory only, after the checks
 * of {@link #attach(String)} (a regular file of that user, not a link, with this library's header).
 * Handles of one region in one JVM share one mapping. Every JVM that uses this package needs {@code --add-exports
 * java.base/jdk.internal.misc=ALL-UNNAMED} (Agrona's requirement).
 *
 * <p>Thread safety: a handle may be shared by threads; the memory it maps is as safe as the accesses
 * made to it.
 */
public final class SharedMemory implements AutoCloseable, Serializable {

    private static final long serialVersionUID = 1L;

    static final int HEADER_LENGTH = 128;
    static final int MAGIC_OFFSET = 0;
    static final int VERSION_OFFSET = 8;
    static final int KIND_OFFSET = 12;
    static final int SIZE_OFFSET = 16;
    static final int CREATOR_OFFSET = 24;
    static final int CREATED_AT_OFFSET = 32;

    /** "WBSHMEM1" read as a little-endian long. */
    static final long MAGIC = 0x314D_454D_4853_4257L;
    /** Written over the magic by a sweeper just before it unlinks the file. */
    static final long SWEPT = 0x5450_4557_5344_4144L;
    /** Bumped whenever the header or any primitive's layout changes incompatibly. */
    static final int LAYOUT_VERSION = 1;

    /** The largest user area: buffers are indexed by {@code int}. */
    public static final int MAX_SIZE = Integer.MAX_VALUE - 2 * 4096 - HEADER_LENGTH;

    private static final int PAGE = 4096;
    private static final long INIT_WAIT_NANOS = 2_000_000_000L;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,199}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String name;
    private final RegionKind kind;
    private final int size;
    private final boolean creator;
    private final long creatorToken;
    private final transient RegionFiles.OpenFile file;
    private final transient UnsafeBuffer user;
    private volatile boolean closed;

    private SharedMemory(String name, RegionKind kind, int size, boolean creator, long creatorToken,
                         RegionFiles.OpenFile file, UnsafeBuffer user) {
        this.name = name;
        this.kind = kind;
        this.size = size;
        this.creator = creator;
        this.creatorToken = creatorToken;
        this.file = file;
        this.user = user;
    }

    /**
     * Creates a region of {@code size} bytes, zero-filled, under a fresh generated name.
     *
     * @throws IllegalArgumentException if size is not between 1 and {@link #MAX_SIZE}
     * @throws SharedMemoryException if the file cannot be created
     */
    public static SharedMemory create(int size) {
        return create(generateName(RegionKind.RAW), size, RegionKind.RAW, buffer -> { });
    }

    /**
     * Creates a region of {@code size} bytes, zero-filled, named {@code name}.
     *
     * @param name 1 to 200 letters, digits, {@code .}, {@code _} or {@code -}, starting with a letter or digit
     * @throws IllegalArgumentException if the name or size is invalid
     * @throws SharedMemoryException if a region of that name exists or the file cannot be created
     */
    public static SharedMemory create(String name, int size) {
        return create(name, size, RegionKind.RAW, buffer -> { });
    }

    /**
     * Attaches the region {@code name}, whatever its size.
     *
     * @throws SharedMemoryException if there is no such region, or it is not a plain region, or it was
     *                               written by an incompatible version of this library, or the file is
     *                               a symbolic link, not a regular file, or another user's
     */
    public static SharedMemory attach(String name) {
        return attach(name, RegionKind.RAW, -1);
    }

    /**
     * Attaches the region {@code name}, checking that it holds {@code expectedSize} bytes.
     *
     * @throws SharedMemoryException as {@link #attach(String)}, and if the size differs
     */
    public static SharedMemory attach(String name, int expectedSize) {
        if (expectedSize <= 0) {
            throw new IllegalArgumentException("expected size must be positive, was " + expectedSize);
        }
        return attach(name, RegionKind.RAW, expectedSize);
    }

    /**
     * Unlinks every region whose creator is dead and that no live process has open. Runs once
     * automatically when a JVM first uses this package.
     *
     * @return the names of the regions removed
     */
    public static List<String> sweep() {
        return RegionFiles.sweep();
    }

    /**
     * The directory region files live in, {@code /dev/shm/wb-UID} on Linux: created {@code rwx------}
     * on first use, and refused unless it is a real directory of this user that group and others
     * cannot access.
     *
     * @throws SharedMemoryException if the directory cannot be created or fails those checks
     */
    public static Path directory() {
        return UserDirectory.path();
    }

    static String generateName(RegionKind kind) {
        byte[] random = new byte[6];
        RANDOM.nextBytes(random);
        return kind.namePrefix() + "-" + ProcessHandle.current().pid() + "-" + HexFormat.of().formatHex(random);
    }

    /**
     * Fails clearly, before any file is made, on a JVM started without the export Agrona needs (its
     * own error, an {@code IllegalAccessError} deep in a static initializer, says nothing about the fix).
     */
    static void requireAgronaAccess() {
        if (!Object.class.getModule().isExported("jdk.internal.misc", AtomicBuffer.class.getModule())) {
            throw new SharedMemoryException("shared memory needs this JVM to be started with --add-exports"
                    + " java.base/jdk.internal.misc=ALL-UNNAMED (Agrona's requirement; child JVMs need it too)");
        }
    }

    static SharedMemory create(String name, int size, RegionKind kind, Consumer<AtomicBuffer> initializer) {
        requireAgronaAccess();
        checkName(name);
        if (size <= 0 || size > MAX_SIZE) {
            throw new IllegalArgumentException("size of region '" + name + "' must be between 1 and "
                    + MAX_SIZE + " bytes, was " + size);
        }
        Path path = RegionFiles.pathOf(name);
        RegionFiles.OpenFile file;
        try {
            file = RegionFiles.create(path);
        } catch (FileAlreadyExistsException e) {
            throw new SharedMemoryException("a region named '" + name + "' already exists (" + path
                    + ", " + describeCreator(path) + "): attach to it, unlink it, or choose another name", e);
        } catch (IOException e) {
            throw new SharedMemoryException("cannot create region '" + name + "' at " + path + ": " + e, e);
        }
        try {
            long fileLength = alignUp((long) HEADER_LENGTH + size, PAGE);
            requireSpace(name, size, fileLength, path);
            MappedByteBuffer mapped = RegionFiles.mapping(file, fileLength);
            UnsafeBuffer header = new UnsafeBuffer(mapped, 0, HEADER_LENGTH);
            UnsafeBuffer user = new UnsafeBuffer(mapped, HEADER_LENGTH, size);
            long token = ProcessIdentity.current();
            header.putInt(VERSION_OFFSET, LAYOUT_VERSION);
            header.putInt(KIND_OFFSET, kind.code);
            header.putLong(SIZE_OFFSET, size);
            header.putLong(CREATOR_OFFSET, token);
            header.putLong(CREATED_AT_OFFSET, System.currentTimeMillis());
            initializer.accept(user);
            header.putLongRelease(MAGIC_OFFSET, MAGIC);
            return new SharedMemory(name, kind, size, true, token, file, user);
        } catch (IOException | RuntimeException | InternalError e) {
            // InternalError: a page of the mapping could not be backed (the file system filled up
            // after the check, by someone else); nothing of the region may outlive the failure.
            RegionFiles.release(file);
            try {
                RegionFiles.unlink(path, file.key);
            } catch (IOException ignored) {
                // best effort; the sweep removes it later
            }
            if (e instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e instanceof InternalError) {
                throw new SharedMemoryException("ran out of space in " + path.getParent() + " while creating region '"
                        + name + "' (" + size + " bytes): the file system filled up meanwhile; free some space", e);
            }
            throw new SharedMemoryException("cannot map region '" + name + "' (" + size + " bytes): " + e, e);
        }
    }

    /**
     * Fails before mapping if the file system cannot hold the whole file. A mapping of a sparse file
     * succeeds whatever the space, and the first write to a page that cannot be backed is a bus error
     * that the JVM reports as an {@code InternalError} far from its cause.
     */
    private static void requireSpace(String name, int size, long fileLength, Path path) throws IOException {
        long free = Files.getFileStore(path).getUsableSpace();
        if (free < fileLength) {
            throw new SharedMemoryException("not enough space for region '" + name + "': it needs " + fileLength
                    + " bytes (" + size + " asked, plus header and page rounding) but " + path.getParent() + " has "
                    + free + " bytes free; ask for less, or free space there (df " + path.getParent() + ")");
        }
    }

    static SharedMemory attach(String name, RegionKind kind, int expectedSize) {
        requireAgronaAccess();
        checkName(name);
        Path path = RegionFiles.pathOf(name);
        RegionFiles.OpenFile file;
        try {
            file = RegionFiles.open(path);
        } catch (NoSuchFileException e) {
            throw missing(name, path, e);
        } catch (IOException e) {
            throw new SharedMemoryException("cannot open region '" + name + "' at " + path + ": " + e, e);
        }
        try {
            ByteBuffer header = awaitHeader(name, file);
            long magic = header.getLong(MAGIC_OFFSET);
            if (magic == SWEPT) {
                throw missing(name, path, null);
            }
            if (magic != MAGIC) {
                throw new SharedMemoryException(path + " is not a workbook shared-memory region (bad magic "
                        + Long.toHexString(magic) + "): unlink it or choose another name");
            }
            int version = header.getInt(VERSION_OFFSET);
            if (version != LAYOUT_VERSION) {
                throw new SharedMemoryException("region '" + name + "' has layout version " + version
                        + " but this library reads version " + LAYOUT_VERSION
                        + ": it was made by another version of the workbook; unlink it and create it again");
            }
            RegionKind actual = RegionKind.ofCode(header.getInt(KIND_OFFSET));
            if (actual != kind) {
                throw new SharedMemoryException("region '" + name + "' holds a "
                        + (actual == null ? "region of unknown kind " + header.getInt(KIND_OFFSET) : actual.typeName)
                        + ", not a " + kind.typeName + ": attach it as what it is"
                        + (actual == null ? "" : " (" + actual.typeName + ".attach)"));
            }
            long size = header.getLong(SIZE_OFFSET);
            if (expectedSize >= 0 && size != expectedSize) {
                throw new SharedMemoryException("region '" + name + "' holds " + size + " bytes but " + expectedSize
                        + " were expected: it was created with another size; attach without a size or recreate it");
            }
            long fileLength = file.channel.size();
            if (size <= 0 || size > MAX_SIZE || fileLength < HEADER_LENGTH + size) {
                throw new SharedMemoryException("region '" + name + "' is damaged: header says " + size
                        + " bytes but the file holds " + fileLength + "; unlink it");
            }
            MappedByteBuffer mapped = RegionFiles.mapping(file, HEADER_LENGTH + size);
            UnsafeBuffer user = new UnsafeBuffer(mapped, HEADER_LENGTH, (int) size);
            return new SharedMemory(name, kind, (int) size, false, header.getLong(CREATOR_OFFSET), file, user);
        } catch (IOException | RuntimeException e) {
            RegionFiles.release(file);
            if (e instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new SharedMemoryException("cannot map region '" + name + "': " + e, e);
        }
    }

    /** Reads the header, waiting up to two seconds for a creator that is still writing it. */
    private static ByteBuffer awaitHeader(String name, RegionFiles.OpenFile file) throws IOException {
        long deadline = System.nanoTime() + INIT_WAIT_NANOS;
        ByteBuffer header = ByteBuffer.allocate(HEADER_LENGTH).order(ByteOrder.nativeOrder());
        while (true) {
            header.clear();
            int read = file.channel.read(header, 0);
            if (read == HEADER_LENGTH && header.getLong(MAGIC_OFFSET) != 0) {
                return header;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new SharedMemoryException("region '" + name + "' exists but has no header after 2 s:"
                        + " its creator died while creating it, or it is not a region; unlink it");
            }
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SharedMemoryException("interrupted while waiting for region '" + name + "'", e);
            }
        }
    }

    private static SharedMemoryException missing(String name, Path path, Exception cause) {
        return new SharedMemoryException("no shared-memory region named '" + name + "' (no file " + path
                + "): it was never created, or its creator closed or unlinked it; create it first", cause);
    }

    private static String describeCreator(Path path) {
        try (FileChannel channel = FileChannel.open(path, java.nio.file.StandardOpenOption.READ,
                java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            ByteBuffer header = ByteBuffer.allocate(HEADER_LENGTH).order(ByteOrder.nativeOrder());
            channel.read(header, 0);
            return "created by " + ProcessIdentity.describe(header.getLong(CREATOR_OFFSET));
        } catch (IOException | RuntimeException e) {
            return "creator unknown";
        }
    }

    static void checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("invalid region name '" + name + "': use 1 to 200 letters, digits,"
                    + " '.', '_' or '-', starting with a letter or digit");
        }
    }

    private static long alignUp(long value, int alignment) {
        return (value + alignment - 1) & -alignment;
    }

    /** The name other processes attach with. */
    public String name() {
        return name;
    }

    /** The usable size in bytes (the header is not counted). */
    public int size() {
        return size;
    }

    /** Whether this handle created the region (and so unlinks it on close). */
    public boolean isCreator() {
        return creator;
    }

    /** The pid of the process that created the region. */
    public long creatorPid() {
        return ProcessIdentity.pidOf(creatorToken);
    }

    /** The file that backs the region. */
    public Path path() {
        return RegionFiles.pathOf(name);
    }

    /**
     * The region's usable bytes, from offset 0 to {@link #size()}. Valid until {@link #close()}; do not
     * use it after.
     *
     * @throws IllegalStateException if this handle is closed
     */
    public AtomicBuffer buffer() {
        ensureOpen();
        return user;
    }

    /** Whether {@link #close()} was called on this handle. */
    public boolean isClosed() {
        return closed;
    }

    /**
     * Removes the region's name so that no new process can attach it. Processes that have it mapped,
     * this one included, go on using it until they close.
     *
     * @return false if the name was already gone (or now names another region)
     */
    public boolean unlink() {
        try {
            return RegionFiles.unlink(path(), file.key);
        } catch (IOException e) {
            throw new SharedMemoryException("cannot unlink region '" + name + "': " + e, e);
        }
    }

    /**
     * Ends this handle; if it is the creator's, also unlinks the region. Idempotent. Other threads must
     * not be using the handle.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        if (creator) {
            unlink();
        }
        RegionFiles.release(file);
    }

    void ensureOpen() {
        if (closed) {
            throw new IllegalStateException(kind.typeName + " '" + name + "' was closed in this process");
        }
    }

    RegionKind kind() {
        return kind;
    }

    /** Per-process state shared by every handle of this JVM on the same region. */
    <T> T processLocal(String key, java.util.function.Supplier<T> factory) {
        @SuppressWarnings("unchecked")
        T value = (T) file.processLocal.computeIfAbsent(key, k -> factory.get());
        return value;
    }

    @Override
    public String toString() {
        return "SharedMemory[" + name + ", " + size + " bytes" + (closed ? ", closed" : "") + "]";
    }

    private Object writeReplace() {
        return new Handle(name);
    }

    private void readObject(ObjectInputStream in) throws InvalidObjectException {
        throw new InvalidObjectException("a SharedMemory is serialized as its handle");
    }

    /** What travels to another process: the name; reading it back attaches. */
    private record Handle(String name) implements Serializable {
        private Object readResolve() {
            return SharedMemory.attach(name);
        }
    }
}
