package dev.workbook.ipc;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

/**
 * The one directory where this library keeps what processes of one user share: region files
 * ({@code wb-NAME}), pipe rendezvous ({@code pipe-...}) and doorbell sockets ({@code bell-...}).
 *
 * <p>It is {@code /dev/shm/wb-UID} on Linux (a RAM file system), else {@code java.io.tmpdir/wb-UID};
 * {@code -Ddev.workbook.ipc.dir=DIR} overrides both. Before first use it is created {@code rwx------}
 * if missing, and <em>verified</em>: a real directory (not a symbolic link), owned by this process's
 * user, with no permission for group or others. A directory that fails any check is refused with an
 * error, never repaired: someone else may have planted it. Because {@code /dev/shm} and {@code /tmp}
 * are writable by every local user, this is what keeps other users from planting, reading or swapping
 * the files we open; inside it, only this user (and root) can create anything.
 *
 * <p>Every name that comes from outside (a region name in a message, say) is resolved with
 * {@link #resolve(String)}, which refuses anything but a single plain file name, so that no
 * descriptor can point outside this directory.
 */
final class UserDirectory {

    /** The process's real user id, -1 where the file system has no owners by number. */
    static final int UID = currentUid();

    /** Set once the directory passed its checks; until then every use checks again. */
    private static volatile Path verifiedPath;

    private UserDirectory() {
    }

    /**
     * The verified directory.
     *
     * @throws SharedMemoryException if it cannot be created or fails a check (each call tries again)
     */
    static Path path() {
        Path path = verifiedPath;
        if (path == null) {
            synchronized (UserDirectory.class) {
                path = verifiedPath;
                if (path == null) {
                    path = verified(chooseLocation());
                    verifiedPath = path;
                }
            }
        }
        return path;
    }

    /** A file of this directory named {@code fileName}, which must be one plain name (no separators). */
    static Path resolve(String fileName) {
        if (fileName == null || fileName.isEmpty() || fileName.equals(".") || fileName.equals("..")
                || fileName.indexOf('/') >= 0 || fileName.indexOf('\\') >= 0 || fileName.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("'" + fileName + "' is not a plain file name: shared files live"
                    + " only in " + path() + ", named without any directory");
        }
        return path().resolve(fileName);
    }

    /**
     * Creates {@code directory} ({@code rwx------}) if it is missing, and checks that it is a real
     * directory owned by us that group and others cannot access.
     *
     * @throws SharedMemoryException naming the check that failed and what to do
     */
    static Path verified(Path directory) {
        boolean posix = directory.getFileSystem().supportedFileAttributeViews().contains("posix");
        try {
            if (posix) {
                Files.createDirectory(directory, PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rwx------")));
            } else {
                Files.createDirectory(directory);
            }
        } catch (FileAlreadyExistsException e) {
            // checked below, whoever made it
        } catch (IOException e) {
            throw new SharedMemoryException("cannot create the shared-memory directory " + directory + ": " + e
                    + "; set -Ddev.workbook.ipc.dir to a directory of yours that others cannot access", e);
        }
        if (!posix) {
            return directory;
        }
        PosixFileAttributes attributes;
        try {
            attributes = Files.readAttributes(directory, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            throw new SharedMemoryException("cannot inspect the shared-memory directory " + directory + ": " + e, e);
        }
        String refusal = null;
        if (attributes.isSymbolicLink()) {
            refusal = "is a symbolic link";
        } else if (!attributes.isDirectory()) {
            refusal = "is not a directory";
        } else if (!ownedByUs(directory)) {
            refusal = "belongs to another user (" + attributes.owner().getName() + ")";
        } else {
            Set<PosixFilePermission> open = EnumSet.copyOf(attributes.permissions());
            open.retainAll(EnumSet.complementOf(EnumSet.of(PosixFilePermission.OWNER_READ,
                    PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE)));
            if (!open.isEmpty()) {
                refusal = "is accessible to group or others (" + PosixFilePermissions.toString(attributes.permissions())
                        + ")";
            }
        }
        if (refusal != null) {
            throw new SharedMemoryException("refusing the shared-memory directory " + directory + ": it " + refusal
                    + "; it must be a directory of yours with mode rwx------ (remove it if you did not make it,"
                    + " or set -Ddev.workbook.ipc.dir to another)");
        }
        return directory;
    }

    /** Whether the file itself (a link is not followed) belongs to this process's user. */
    static boolean ownedByUs(Path path) {
        if (UID < 0) {
            return true;
        }
        try {
            Object owner = Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS);
            return owner instanceof Integer uid && uid == UID;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return false;
        }
    }

    private static Path chooseLocation() {
        String configured = System.getProperty("dev.workbook.ipc.dir");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).toAbsolutePath();
        }
        String name = "wb-" + (UID >= 0 ? String.valueOf(UID)
                : System.getProperty("user.name", "user").replaceAll("[^A-Za-z0-9_.-]", "_"));
        Path shm = Path.of("/dev/shm");
        if (Files.isDirectory(shm) && Files.isWritable(shm)) {
            return shm.resolve(name);
        }
        return Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath().resolve(name);
    }

    /**
     * Our user id, read from the owner of {@code /proc/self} (Linux: the process's effective uid), or
     * of a file we create, elsewhere.
     */
    private static int currentUid() {
        try {
            return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            // not Linux: below
        }
        try {
            Path probe = Files.createTempFile("wb-uid-", ".probe");
            try {
                return (Integer) Files.getAttribute(probe, "unix:uid");
            } finally {
                Files.deleteIfExists(probe);
            }
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return -1;
        }
    }
}
