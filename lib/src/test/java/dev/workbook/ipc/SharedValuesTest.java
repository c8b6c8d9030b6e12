package dev.workbook.ipc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** SharedLong, SharedLongArray, SharedLock, SharedEvent and SharedSemaphore. */
class SharedValuesTest extends IpcTestSupport {

    private static final Duration CHILD_TIMEOUT = Duration.ofSeconds(60);

    @Test
    void sharedLongHasTheAtomicLongOperations() {
        try (SharedLong value = SharedLong.create(10)) {
            assertEquals(11, value.incrementAndGet());
            assertEquals(10, value.decrementAndGet());
            assertEquals(15, value.addAndGet(5));
            assertEquals(15, value.getAndAdd(1));
            assertTrue(value.compareAndSet(16, 100));
            assertFalse(value.compareAndSet(16, 200));
            assertEquals(100, value.getAndSet(7));
            value.set(-3);
            assertEquals(-3, value.get());
        }
    }

    @Test
    void incrementsFromTwoProcessesAreNeverLost() throws Exception {
        try (SharedLong counter = SharedLong.create(0)) {
            String handle = ChildJvms.encode(counter);
            ChildJvms.Child first = children.start(IpcTestChild.class, "increment", handle, "100000");
            ChildJvms.Child second = children.start(IpcTestChild.class, "increment", handle, "100000");
            first.awaitExit(CHILD_TIMEOUT);
            second.awaitExit(CHILD_TIMEOUT);
            assertEquals(200_000, counter.get());
        }
    }

    @Test
    void sharedLongArrayChecksItsBounds() {
        try (SharedLongArray array = SharedLongArray.create(3)) {
            array.set(0, 5);
            assertEquals(6, array.incrementAndGet(0));
            assertEquals(4, array.addAndGet(2, 4));
            assertTrue(array.compareAndSet(1, 0, 9));
            assertArrayEquals(new long[] {6, 9, 4}, array.toArray());
            try (SharedLongArray attached = SharedLongArray.attach(array.name())) {
                assertEquals(3, attached.length());
                assertEquals(9, attached.get(1));
            }
            IndexOutOfBoundsException error = assertThrows(IndexOutOfBoundsException.class, () -> array.get(3));
            assertTrue(error.getMessage().contains("index 3 out of bounds"), error.getMessage());
        }
    }

    @Test
    void theLockMakesAReadModifyWriteAtomicAcrossProcesses() throws Exception {
        try (SharedLock lock = SharedLock.create(); SharedLongArray cell = SharedLongArray.create(1)) {
            String lockHandle = ChildJvms.encode(lock);
            String cellHandle = ChildJvms.encode(cell);
            ChildJvms.Child first = children.start(IpcTestChild.class, "locked-increment", lockHandle, cellHandle, "20000");
            ChildJvms.Child second = children.start(IpcTestChild.class, "locked-increment", lockHandle, cellHandle, "20000");
            for (int i = 0; i < 2_000; i++) { // and this process's threads join in
                lock.lock();
                try {
                    cell.set(0, cell.get(0) + 1);
                } finally {
                    lock.unlock();
                }
            }
            first.awaitExit(CHILD_TIMEOUT);
            second.awaitExit(CHILD_TIMEOUT);
            assertEquals(42_000, cell.get(0));
            assertEquals(0, lock.takeovers());
        }
    }

    @Test
    void theLockIsReentrantAndOnlyItsHolderMayUnlockIt() throws Exception {
        try (SharedLock lock = SharedLock.create()) {
            lock.lock();
            lock.lock();
            assertTrue(lock.isHeldByCurrentThread());
            assertEquals(OptionalLong.of(ProcessHandle.current().pid()), lock.ownerPid());
            CompletableFuture<Boolean> other = CompletableFuture.supplyAsync(() -> {
                assertThrows(IllegalMonitorStateException.class, lock::unlock);
                try {
                    return lock.tryLock(20, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            assertFalse(other.get(10, TimeUnit.SECONDS), "another thread cannot take a held lock");
            lock.unlock();
            assertTrue(lock.isLocked(), "still held once");
            lock.unlock();
            assertFalse(lock.isLocked());
        }
    }

    @Test
    void aLockHeldByAnotherLiveProcessTimesOut() throws Exception {
        try (SharedLock lock = SharedLock.create()) {
            ChildJvms.Child holder = children.start(IpcTestChild.class, "hold-lock", ChildJvms.encode(lock));
            holder.awaitOutput("locked", CHILD_TIMEOUT);
            assertFalse(lock.tryLock(50, TimeUnit.MILLISECONDS));
            assertFalse(lock.tryLock());
            assertEquals(OptionalLong.of(holder.pid()), lock.ownerPid());
        }
    }

    @Test
    void aWaiterTakesOverALockWhoseOwnerDiedAndSaysSo() throws Exception {
        try (SharedLock lock = SharedLock.create()) {
            ChildJvms.Child holder = children.start(IpcTestChild.class, "hold-lock", ChildJvms.encode(lock));
            holder.awaitOutput("locked", CHILD_TIMEOUT);
            CompletableFuture<OptionalLong> waiter = CompletableFuture.supplyAsync(() -> {
                lock.lock();
                try {
                    return lock.ownerPid();
                } finally {
                    lock.unlock();
                }
            });
            Thread.sleep(100);
            assertFalse(waiter.isDone(), "the owner is alive: the waiter waits");
            holder.kill();
            assertEquals(OptionalLong.of(ProcessHandle.current().pid()), waiter.get(10, TimeUnit.SECONDS),
                    "the waiter took the lock");
            assertEquals(1, lock.takeovers());
            assertEquals(OptionalLong.of(holder.pid()), lock.lastDeadOwnerPid());
            assertFalse(lock.isLocked());
        }
    }

    @Test
    void anEventReleasesAWaiterInAnotherProcess() throws Exception {
        try (SharedEvent event = SharedEvent.create()) {
            assertFalse(event.await(Duration.ofMillis(10)));
            ChildJvms.Child waiter = children.start(IpcTestChild.class, "event-wait", ChildJvms.encode(event));
            waiter.awaitOutput("waiting", CHILD_TIMEOUT);
            Thread.sleep(50);
            assertFalse(waiter.output().contains("woke"));
            event.set();
            assertTrue(waiter.awaitExit(CHILD_TIMEOUT).contains("woke"));
            assertTrue(event.isSet());
            event.clear();
            assertFalse(event.isSet());
        }
    }

    @Test
    void aSemaphoreHandsOutItsPermitsAndWaitsForMore() throws Exception {
        try (SharedSemaphore semaphore = SharedSemaphore.create(2)) {
            assertTrue(semaphore.tryAcquire());
            semaphore.acquire();
            assertFalse(semaphore.tryAcquire());
            assertFalse(semaphore.tryAcquire(Duration.ofMillis(20)));
            semaphore.release();
            assertTrue(semaphore.tryAcquire(Duration.ofSeconds(5)));
            assertEquals(0, semaphore.availablePermits());
            assertThrows(IllegalArgumentException.class, () -> SharedSemaphore.create(-1));
        }
    }

    @Test
    void everyPrimitiveTravelsAsAHandleThatAttachesWhereItIsRead() throws Exception {
        try (SharedMemory memory = SharedMemory.create(uniqueName("raw"), 64);
             SharedLongArray array = SharedLongArray.create(2);
             SharedEvent event = SharedEvent.create();
             SharedSemaphore semaphore = SharedSemaphore.create(3)) {
            memory.buffer().putLong(0, 99);
            array.set(1, 5);
            event.set();
            try (SharedMemory memoryCopy = ChildJvms.decode(ChildJvms.encode(memory));
                 SharedLongArray arrayCopy = ChildJvms.decode(ChildJvms.encode(array));
                 SharedEvent eventCopy = ChildJvms.decode(ChildJvms.encode(event));
                 SharedSemaphore semaphoreCopy = ChildJvms.decode(ChildJvms.encode(semaphore))) {
                assertFalse(memoryCopy.isCreator(), "the copy attached; it did not create");
                assertEquals(99, memoryCopy.buffer().getLong(0));
                assertEquals(5, arrayCopy.get(1));
                assertTrue(eventCopy.isSet());
                assertTrue(semaphoreCopy.tryAcquire());
                assertEquals(2, semaphore.availablePermits(), "one region, two handles");
            }
        }
    }
}
