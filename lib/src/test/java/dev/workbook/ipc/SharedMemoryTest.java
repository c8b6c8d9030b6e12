package dev.workbook.ipc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SharedMemoryTest extends IpcTestSupport {

    @Test
    void createdRegionIsAFileReadableAndWritableByItsOwnerOnly() throws Exception {
        try (SharedMemory region = SharedMemory.create(uniqueName("perm"), 100)) {
            assertTrue(Files.exists(region.path()));
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(region.path())));
            assertEquals(100, region.size());
            assertTrue(region.isCreator());
            assertEquals(ProcessHandle.current().pid(), region.creatorPid());
        }
    }

    @Test
    void attachedHandleSeesTheCreatorsWrites() {
        String name = uniqueName("share");
        try (SharedMemory created = SharedMemory.create(name, 64);
             SharedMemory attached = SharedMemory.attach(name, 64)) {
            created.buffer().putLongRelease(8, 42);
            assertEquals(42, attached.buffer().getLongVolatile(8));
            assertFalse(attached.isCreator());
        }
    }

    @Test
    void anotherProcessSeesTheValueThroughTheHandle() throws Exception {
        try (SharedLong value = SharedLong.create(uniqueName("long"), 31337)) {
            String output = children.start(IpcTestChild.class, "print-long", ChildJvms.encode(value))
                    .awaitExit(Duration.ofSeconds(60));
            assertTrue(output.contains("value=31337"), output);
        }
    }

    @Test
    void attachingAMissingNameSaysSoAndWhatToDo() {
        SharedMemoryException error = assertThrows(SharedMemoryException.class,
                () -> SharedMemory.attach(uniqueName("missing")));
        assertTrue(error.getMessage().contains("no shared-memory region named"), error.getMessage());
        assertTrue(error.getMessage().contains("create it first"), error.getMessage());
    }

    @Test
    void attachingWithTheWrongSizeNamesBothSizes() {
        String name = uniqueName("size");
        try (SharedMemory region = SharedMemory.create(name, 4096)) {
            try (SharedMemory right = SharedMemory.attach(name, region.size())) {
                assertEquals(4096, right.size());
            }
            SharedMemoryException error = assertThrows(SharedMemoryException.class,
                    () -> SharedMemory.attach(name, 8192));
            assertTrue(error.getMessage().contains("holds 4096 bytes but 8192 were expected"), error.getMessage());
        }
    }

    @Test
    void attachingARegionOfAnotherLayoutVersionIsRefused() throws Exception {
        String name = uniqueName("version");
        try (SharedMemory region = SharedMemory.create(name, 64)) {
            try (FileChannel file = FileChannel.open(region.path(), StandardOpenOption.WRITE)) {
                file.write(ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(0, 99),
                        SharedMemory.VERSION_OFFSET);
            }
            SharedMemoryException error = assertThrows(SharedMemoryException.class, () -> SharedMemory.attach(name));
            assertTrue(error.getMessage().contains("layout version 99"), error.getMessage());
        }
    }

    @Test
    void attachingAsTheWrongKindNamesWhatTheRegionHolds() {
        try (SharedQueue queue = SharedQueue.create(4)) {
            SharedMemoryException error = assertThrows(SharedMemoryException.class, () -> SharedLong.attach(queue.name()));
            assertTrue(error.getMessage().contains("holds a SharedQueue, not a SharedLong"), error.getMessage());
        }
    }

    @Test
    void creatingATakenNameIsRefused() {
        String name = uniqueName("taken");
        try (SharedMemory region = SharedMemory.create(name, 64)) {
            SharedMemoryException error = assertThrows(SharedMemoryException.class, () -> SharedMemory.create(name, 64));
            assertTrue(error.getMessage().contains("already exists"), error.getMessage());
            assertTrue(error.getMessage().contains("created by pid " + region.creatorPid() + " (alive)"),
                    error.getMessage());
        }
    }

    @Test
    void invalidNamesAndSizesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> SharedMemory.create("../etc/passwd", 64));
        assertThrows(IllegalArgumentException.class, () -> SharedMemory.create("", 64));
        assertThrows(IllegalArgumentException.class, () -> SharedMemory.create(uniqueName("zero"), 0));
    }

    @Test
    void theCreatorsCloseUnlinksButAnAttachedCloseDoesNot() {
        String name = uniqueName("close");
        SharedMemory created = SharedMemory.create(name, 64);
        SharedMemory attached = SharedMemory.attach(name);
        attached.close();
        assertTrue(Files.exists(created.path()));
        created.close();
        assertFalse(Files.exists(created.path()));
        assertThrows(IllegalStateException.class, created::buffer);
    }

    @Test
    void unlinkRemovesTheNameButKeepsMappingsUsable() {
        String name = uniqueName("unlink");
        try (SharedMemory region = SharedMemory.create(name, 64)) {
            assertTrue(region.unlink());
            assertThrows(SharedMemoryException.class, () -> SharedMemory.attach(name));
            region.buffer().putLong(0, 7);
            assertEquals(7, region.buffer().getLong(0));
            assertFalse(region.unlink());
        }
    }

    @Test
    void regionsOfDeadCreatorsAreSweptAndLiveOnesKept() throws Exception {
        String stale = uniqueName("stale");
        children.start(IpcTestChild.class, "create-and-halt", stale).awaitExit(Duration.ofSeconds(60));
        assertTrue(Files.exists(RegionFiles.pathOf(stale)), "the halted child left its region");
        try (SharedMemory live = SharedMemory.create(uniqueName("live"), 64)) {
            assertTrue(SharedMemory.sweep().contains(stale));
            assertFalse(Files.exists(RegionFiles.pathOf(stale)));
            assertTrue(Files.exists(live.path()), "a live creator's region is kept");
        }
    }

    @Test
    void aRegionStillOpenElsewhereIsNotSweptEvenIfItsCreatorDied() throws Exception {
        String name = uniqueName("orphan");
        children.start(IpcTestChild.class, "create-and-halt", name).awaitExit(Duration.ofSeconds(60));
        try (SharedMemory attached = SharedMemory.attach(name)) {
            // This JVM holds it open: the sweep (which skips our own files) keeps it.
            assertFalse(SharedMemory.sweep().contains(name));
            assertTrue(Files.exists(attached.path()));
        }
        assertTrue(SharedMemory.sweep().contains(name), "swept once nobody has it open");
    }

    @Test
    void aJvmWithoutAgronasExportIsToldWhichFlagToAdd() throws Exception {
        String output = children.startWithoutAgronaExport(IpcTestChild.class, "create-queue")
                .awaitExit(Duration.ofSeconds(60));
        assertTrue(output.contains("refused: shared memory needs this JVM to be started with --add-exports"
                + " java.base/jdk.internal.misc=ALL-UNNAMED"), output);
    }
}
