package dev.workbook.ipc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where the files that processes share live, and what the library refuses to touch there: other
 * users can write to {@code /dev/shm} and {@code /tmp}, so nothing they plant may steer our code.
 */
class SharedFilesTest extends IpcTestSupport {

    /** The uid that owns nothing of ours; only root can give it a file. */
    private static final int NOBODY = 65534;

    @TempDir
    Path scratch;

    @Test
    void sharedFilesLiveInAPrivateDirectoryOfTheUser() throws IOException {
        Path directory = SharedMemory.directory();
        assertEquals("rwx------", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(directory, LinkOption.NOFOLLOW_LINKS)));
        assertFalse(Files.isSymbolicLink(directory));
        assertTrue(UserDirectory.ownedByUs(directory));
        try (Pipe pipe = Pipe.open(); SharedLong value = SharedLong.create(uniqueName("where"), 1)) {
            assertEquals(directory, value.attached().path().getParent());
            try (Stream<Path> files = Files.list(directory)) {
                assertTrue(files.anyMatch(path -> path.getFileName().toString().startsWith(Pipe.PREFIX)),
                        "the pipe's rendezvous is in " + directory);
            }
        }
    }

    @Test
    void aDirectoryOthersCanEnterIsRefused() throws IOException {
        Path open = Files.createDirectory(scratch.resolve("open"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-x---")));
        SharedMemoryException error = assertThrows(SharedMemoryException.class, () -> UserDirectory.verified(open));
        assertTrue(error.getMessage().contains("accessible to group or others (rwxr-x---)"), error.getMessage());
        assertTrue(error.getMessage().contains("rwx------"), error.getMessage());
    }

    @Test
    void aSymbolicLinkInPlaceOfTheDirectoryIsRefused() throws IOException {
        Path real = Files.createDirectory(scratch.resolve("real"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path link = Files.createSymbolicLink(scratch.resolve("link"), real);
        SharedMemoryException error = assertThrows(SharedMemoryException.class, () -> UserDirectory.verified(link));
        assertTrue(error.getMessage().contains("is a symbolic link"), error.getMessage());
    }

    @Test
    void aDirectoryOfAnotherUserIsRefused() throws IOException {
        assumeTrue(UserDirectory.UID == 0, "only root can give a directory to another user");
        Path theirs = Files.createDirectory(scratch.resolve("theirs"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Files.setAttribute(theirs, "unix:uid", NOBODY);
        SharedMemoryException error = assertThrows(SharedMemoryException.class, () -> UserDirectory.verified(theirs));
        assertTrue(error.getMessage().contains("belongs to another user"), error.getMessage());
    }

    @Test
    void aMissingDirectoryIsCreatedPrivate() throws IOException {
        Path fresh = UserDirectory.verified(scratch.resolve("fresh"));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(fresh)));
    }

    @Test
    void theSweepDoesNotWriteThroughASymbolicLink() throws IOException {
        Path target = scratch.resolve("victim");
        Files.write(target, new byte[16]); // zero bytes: what the sweep took for a region without header
        Files.setLastModifiedTime(target, FileTime.from(Instant.now().minusSeconds(3600)));
        Path link = Files.createSymbolicLink(RegionFiles.pathOf(uniqueName("planted")), target);
        try {
            List<String> swept = SharedMemory.sweep();
            assertArrayEquals(new byte[16], Files.readAllBytes(target), "the link's target was written");
            assertTrue(Files.isSymbolicLink(link), "a link is not ours to remove");
            assertFalse(swept.contains(link.getFileName().toString().substring(RegionFiles.PREFIX.length())));
        } finally {
            Files.deleteIfExists(link);
        }
    }

    @Test
    void attachingASymbolicLinkIsRefused() throws IOException {
        String name = uniqueName("linked");
        try (SharedMemory real = SharedMemory.create(uniqueName("real"), 64)) {
            Path link = Files.createSymbolicLink(RegionFiles.pathOf(name), real.path());
            try {
                SharedMemoryException error = assertThrows(SharedMemoryException.class, () -> SharedMemory.attach(name));
                assertTrue(error.getMessage().contains("is a symbolic link"), error.getMessage());
            } finally {
                Files.delete(link);
            }
        }
    }

    /** One kind of primitive: how to create one, and how to attach one by name (what its handle does on arrival). */
    private record Kind(String type, java.util.function.Function<String, AutoCloseable> create,
                        java.util.function.Function<String, AutoCloseable> attach) {
        @Override
        public String toString() {
            return type;
        }
    }

    static List<Kind> everyKind() {
        return List.of(
                new Kind("SharedMemory", name -> SharedMemory.create(name, 64), SharedMemory::attach),
                new Kind("SharedLong", name -> SharedLong.create(name, 1), SharedLong::attach),
                new Kind("SharedLongArray", name -> SharedLongArray.create(name, 4), SharedLongArray::attach),
                new Kind("SharedLock", SharedLock::create, SharedLock::attach),
                new Kind("SharedEvent", SharedEvent::create, SharedEvent::attach),
                new Kind("SharedSemaphore", name -> SharedSemaphore.create(name, 1), SharedSemaphore::attach),
                new Kind("SharedQueue", name -> SharedQueue.create(name, 4, 64), SharedQueue::attach));
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.MethodSource("everyKind")
    void everyKindRefusesToAttachThroughASymbolicLink(Kind kind) throws Exception {
        String name = uniqueName("linked");
        String realName = uniqueName("real");
        try (AutoCloseable real = kind.create().apply(realName)) {
            Path target = RegionFiles.pathOf(realName);
            Path link = Files.createSymbolicLink(RegionFiles.pathOf(name), target);
            try {
                SharedMemoryException error = assertThrows(SharedMemoryException.class, () -> kind.attach().apply(name));
                assertTrue(error.getMessage().contains("is a symbolic link"), error.getMessage());
            } finally {
                Files.delete(link);
            }
        }
    }

    @Test
    void attachingAFileOfAnotherUserIsRefused() throws IOException {
        assumeTrue(UserDirectory.UID == 0, "only root can give a file to another user");
        String name = uniqueName("theirs");
        try (SharedMemory region = SharedMemory.create(name, 64)) {
            Files.setAttribute(region.path(), "unix:uid", NOBODY);
            SharedMemoryException error = assertThrows(SharedMemoryException.class, () -> SharedMemory.attach(name));
            assertTrue(error.getMessage().contains("belongs to another user"), error.getMessage());
        }
    }

    @Test
    void theSweepLeavesFilesOfAnotherUserAlone() throws IOException {
        assumeTrue(UserDirectory.UID == 0, "only root can give a file to another user");
        Path theirs = RegionFiles.pathOf(uniqueName("theirs"));
        Files.write(theirs, new byte[16]);
        try {
            Files.setAttribute(theirs, "unix:uid", NOBODY);
            Files.setLastModifiedTime(theirs, FileTime.from(Instant.now().minusSeconds(3600)));
            SharedMemory.sweep();
            assertArrayEquals(new byte[16], Files.readAllBytes(theirs));
        } finally {
            Files.deleteIfExists(theirs);
        }
    }

    @Test
    void handlesOfOneRegionInOneProcessShareOneMapping() throws Exception {
        try (SharedLong value = SharedLong.create(uniqueName("mapped"), 7)) {
            String handle = ChildJvms.encode(value);
            List<SharedLong> received = new java.util.ArrayList<>();
            try {
                for (int i = 0; i < 200; i++) {
                    received.add(ChildJvms.decode(handle)); // a message holding many handles of one region
                }
                assertEquals(7, received.get(199).get());
                String file = value.attached().path().toString();
                long mappings = Files.readAllLines(Path.of("/proc/self/maps")).stream()
                        .filter(line -> line.endsWith(file)).count();
                assertEquals(1, mappings, "mappings of " + file);
            } finally {
                received.forEach(SharedLong::close);
            }
        }
    }

    @Test
    void aRegionLargerThanTheFreeSpaceIsRefusedAndLeavesNothing() throws Exception {
        assumeTrue(UserDirectory.UID == 0, "mounting a small file system needs root");
        Path small = Files.createDirectory(scratch.resolve("small"));
        Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=1m,mode=0700", "tmpfs", small.toString())
                .redirectErrorStream(true).start();
        assumeTrue(mount.waitFor() == 0, "cannot mount a tmpfs here");
        try {
            String output = children.start(IpcTestChild.class, "create-beyond-space", small.toString())
                    .awaitExit(Duration.ofSeconds(60));
            for (String kind : List.of("SharedMemory", "SharedLongArray", "SharedQueue", "SharedLong", "SharedLock",
                    "SharedEvent", "SharedSemaphore")) {
                assertTrue(output.contains(kind + " refused: not enough space for region"), output);
            }
            assertTrue(output.contains("needs 4198400 bytes (4194304 asked"), output);
            assertTrue(output.contains("left: []"), output);
            try (Stream<Path> files = Files.list(small)) {
                assertEquals(List.of(), files.toList());
            }
        } finally {
            new ProcessBuilder("umount", small.toString()).inheritIO().start().waitFor();
        }
    }
}
