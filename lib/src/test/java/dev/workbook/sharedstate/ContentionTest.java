package dev.workbook.sharedstate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.workbook.sharedstate.SharedStateStrategy.Tally;
import dev.workbook.sharedstate.SharedStateStrategy.Trial;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

class ContentionTest {

    @Test
    void synchronizedLocksAtomicsAndLongAdderAlwaysReachTheExactTotal() throws Exception {
        List<SharedStateStrategy> safe = SharedStateStrategies.counters().stream()
                .filter(SharedStateStrategy::threadSafe).toList();
        assertEquals(List.of("synchronized", "reentrant-lock", "atomic-long", "long-adder", "confined"),
                safe.stream().map(SharedStateStrategy::name).toList());
        ContentionResult result = Contention.of(safe).threads(1, 2, 4).operations(200_000).warmups(0).repeats(3).run();
        assertEquals(safe.size() * 3 * 3, result.runList().size());
        for (ContentionRun run : result.runList()) {
            assertTrue(run.finished(), run::toString);
            assertEquals(run.expected(), run.present(), run::toString);
            assertEquals(0, run.lost(), run::toString);
        }
    }

    @Test
    void threadSafeCollectionsKeepEveryElementAndTheirSizeIsRight() throws Exception {
        List<SharedStateStrategy> safe = SharedStateStrategies.collections().stream()
                .filter(SharedStateStrategy::threadSafe).toList();
        ContentionResult result = Contention.of(safe).threads(1, 3).operations(2_000).warmups(0).repeats(2).run();
        for (ContentionRun run : result.runList()) {
            assertEquals(run.expected(), run.present(), run::toString);
            assertEquals(run.expected(), run.reported(), run::toString);
            assertEquals(0, run.exceptions(), run::toString);
        }
    }

    @Test
    void unsynchronizedResultsAreNeverAboveTheTotal() throws Exception {
        List<SharedStateStrategy> unsafe = List.of(SharedStateStrategies.plainLong(), SharedStateStrategies.volatileLong(),
                SharedStateStrategies.arrayList(), SharedStateStrategies.hashMap());
        ContentionResult result = Contention.of(unsafe).threads(2, 4).operations(100_000).warmups(0).repeats(3).run();
        for (ContentionRun run : result.runList()) {
            assertTrue(run.present() <= run.expected(), run::toString);
            assertTrue(run.reported() <= run.expected(), run::toString);
            assertTrue(run.lost() >= 0, run::toString);
        }
    }

    @Test
    void aThreadSafeStrategyThatLosesAnItemFailsTheRun() {
        SharedStateStrategy leaky = fake("leaky", true, (threads, operations) -> tallying(
                new Tally((long) threads * operations - 1, (long) threads * operations, 0)));
        IllegalStateException failure = assertThrows(IllegalStateException.class,
                () -> Contention.of(leaky).threads(2).operations(10).warmups(0).run());
        assertTrue(failure.getMessage().contains("'leaky'"), failure.getMessage());
        assertTrue(failure.getMessage().contains("holds 19 of 20"), failure.getMessage());
    }

    @Test
    void aCountAboveTheTotalIsACountingBugAndFailsEvenForUnsafeStrategies() {
        SharedStateStrategy inventive = fake("inventive", false, (threads, operations) -> tallying(
                new Tally((long) threads * operations + 1, 0, 0)));
        IllegalStateException failure = assertThrows(IllegalStateException.class,
                () -> Contention.of(inventive).threads(1).operations(5).warmups(0).run());
        assertTrue(failure.getMessage().contains("the counting is wrong"), failure.getMessage());
    }

    @Test
    void aWorkerThatDoesNotEndMakesItsRunUnfinishedAtTheTimeLimitAndIsInterrupted() throws Exception {
        CountDownLatch neverOpened = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        SharedStateStrategy stuck = fake("stuck", true, (threads, operations) -> new Trial() {
            @Override
            public void work(int thread) {
                try {
                    neverOpened.await();
                } catch (InterruptedException e) {
                    interrupted.countDown();
                }
            }

            @Override
            public Tally tally() {
                throw new AssertionError("an unfinished run must not be tallied");
            }
        });
        ContentionResult result = Contention.of(stuck).threads(1).operations(1).warmups(0)
                .timeout(Duration.ofMillis(200)).run();
        ContentionRun run = result.runList().get(0);
        assertFalse(run.finished());
        assertTrue(run.wallNanos() >= Duration.ofMillis(200).toNanos(), run::toString);
        interrupted.await(); // the worker was interrupted, and ends
        assertTrue(result.table().stringColumn("note").get(0).contains("did not finish in time"));
    }

    @Test
    void aWorkerThatIgnoresItsInterruptIsStoppedWhereTheJdkCanStopThreads() throws Exception {
        assumeTrue(Runtime.version().feature() < 20, "JDK 20 and later cannot stop a thread");
        AtomicReference<Thread> spinner = new AtomicReference<>();
        SharedStateStrategy spinning = fake("spinning", false, (threads, operations) -> new Trial() {
            @Override
            public void work(int thread) {
                spinner.set(Thread.currentThread());
                while (true) { // deaf to interrupts, as a loop in a corrupted HashMap bin is
                    Thread.onSpinWait();
                }
            }

            @Override
            public Tally tally() {
                throw new AssertionError("an unfinished run must not be tallied");
            }
        });
        ContentionResult result = Contention.of(spinning).threads(1).operations(1).warmups(0)
                .timeout(Duration.ofMillis(200)).run();
        assertFalse(result.runList().get(0).finished());
        spinner.get().join(5_000);
        assertFalse(spinner.get().isAlive(), "the spinning worker was stopped");
    }

    @Test
    void theUnsafeCollectionsRunInAChildJvmAndEverythingElseInThisOne() {
        List<String> isolated = java.util.stream.Stream.concat(SharedStateStrategies.counters().stream(),
                SharedStateStrategies.collections().stream()).filter(SharedStateStrategy::mayRunAway)
                .map(SharedStateStrategy::name).toList();
        assertEquals(List.of("array-list", "hash-map"), isolated);
    }

    @Test
    void aStrategyThatMayRunAwayIsRunAndCountedInAnotherJvm(@TempDir Path dir) throws Exception {
        String pids = dir.resolve("pids").toString();
        SharedStateStrategy elsewhere = notingItsPid("elsewhere", pids, false);
        ContentionResult result = Contention.of(elsewhere).threads(1, 2).operations(7).warmups(1).run();
        assertEquals(List.of(7L, 14L), result.runList().stream().map(ContentionRun::present).toList());
        assertTrue(result.runList().stream().allMatch(ContentionRun::finished), result.runList()::toString);
        List<Long> seen = readPids(pids);
        assertEquals(2 + 1 + 2, seen.size(), "a warm-up with 2 threads, then runs with 1 and 2: " + seen);
        assertEquals(1, seen.stream().distinct().count(), "the whole series ran in one child JVM: " + seen);
        assertFalse(seen.contains(ProcessHandle.current().pid()), "not in this JVM");
        assertJvmEnds(seen.get(0));
    }

    @Test
    void aWorkerDeafToInterruptsIsKilledWithItsChildJvmAndTheNextRunGetsAFreshOne(@TempDir Path dir) throws Exception {
        String pids = dir.resolve("pids").toString();
        SharedStateStrategy runaway = notingItsPid("runaway", pids, true);
        ContentionResult result = Contention.of(runaway).threads(1).operations(1).warmups(0).repeats(2)
                .timeout(Duration.ofMillis(300)).run();
        assertEquals(List.of(false, false), result.runList().stream().map(ContentionRun::finished).toList());
        assertEquals(List.of(1, 2), result.runList().stream().map(ContentionRun::run).toList());
        List<Long> seen = readPids(pids);
        assertEquals(2, seen.stream().distinct().count(), "each run had a JVM of its own: " + seen);
        for (long pid : seen) {
            assertJvmEnds(pid);
        }
    }

    @Test
    void aThreadSafeStrategyThatLosesAnItemInAChildJvmFailsTheRunNamingIt() {
        SharedStateStrategy leaky = SharedStateStrategies.runawayStrategy("leaky-elsewhere", "a test double", true,
                (threads, operations) -> tallying(new Tally((long) threads * operations - 1, (long) threads * operations, 0)));
        IllegalStateException failure = assertThrows(IllegalStateException.class,
                () -> Contention.of(leaky).threads(2).operations(10).warmups(0).run());
        assertTrue(failure.getMessage().contains("'leaky-elsewhere'"), failure.getMessage());
        assertTrue(failure.getMessage().contains("holds 19 of 20"), failure.getMessage());
    }

    @Test
    void theTableCountsWhatIsThereAgainstWhatWasAdded() throws Exception {
        ContentionResult result = Contention.of(SharedStateStrategies.atomicLong(), SharedStateStrategies.arrayList())
                .threads(2).operations(1_000).warmups(0).run();
        Table table = result.table();
        assertEquals(List.of("runtime", "strategy", "tool", "safe", "workers", "expected", "final", "lost", "exceptions",
                "wall_s", "ns_per_op", "note"), table.columnNames());
        assertEquals(List.of("atomic-long", "array-list"), table.stringColumn("strategy").asList());
        assertEquals(2_000L, table.longColumn("expected").get(0));
        assertEquals(2_000L, table.longColumn("final").get(0));
        long arrayListFinal = table.longColumn("final").get(1);
        assertEquals(2_000L - arrayListFinal, table.longColumn("lost").get(1));
        assertEquals(2, result.nanosPerOperationChart().getSeriesMap().size());
    }

    @Test
    void badSizesAreRefusedWithWhatToChange() {
        assertThrows(IllegalArgumentException.class, () -> Contention.of(SharedStateStrategies.plainLong()).operations(0));
        assertThrows(IllegalArgumentException.class, () -> Contention.of(SharedStateStrategies.plainLong()).threads(0));
        assertThrows(IllegalArgumentException.class, () -> Contention.of(List.of()));
        IllegalArgumentException tooMany = assertThrows(IllegalArgumentException.class,
                () -> Contention.of(SharedStateStrategies.arrayList()).threads(4).operations(Integer.MAX_VALUE / 2).run());
        assertTrue(tooMany.getMessage().contains("use fewer items per thread"), tooMany.getMessage());
        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class,
                () -> Contention.of(SharedStateStrategies.atomicLong(), SharedStateStrategies.atomicLong()));
        assertTrue(twice.getMessage().contains("listed twice"), twice.getMessage());
    }

    private static SharedStateStrategy fake(String name, boolean threadSafe, SharedStateStrategies.TrialFactory open) {
        return SharedStateStrategies.strategy(name, "a test double", threadSafe, open);
    }

    /**
     * A strategy that may run away whose threads each note their JVM's pid in {@code pids} and then either
     * return (the trial holds every item) or spin deaf to interrupts, as a loop in a corrupted HashMap bin
     * does. Static, so that it captures only the path and travels to a child JVM.
     */
    private static SharedStateStrategy notingItsPid(String name, String pids, boolean spinForever) {
        return SharedStateStrategies.runawayStrategy(name, "a test double", !spinForever,
                (threads, operations) -> new Trial() {
                    @Override
                    public void work(int thread) {
                        notePid(pids);
                        while (spinForever) {
                            Thread.onSpinWait();
                        }
                    }

                    @Override
                    public Tally tally() {
                        if (spinForever) {
                            throw new AssertionError("an unfinished run must not be tallied");
                        }
                        return new Tally((long) threads * operations, (long) threads * operations, 0);
                    }
                });
    }

    /** In a trial's thread, wherever it runs: appends this JVM's pid to the file. */
    private static void notePid(String file) {
        try {
            Files.writeString(Path.of(file), ProcessHandle.current().pid() + "\n", StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Long> readPids(String file) throws IOException {
        return Files.readAllLines(Path.of(file)).stream().map(Long::valueOf).toList();
    }

    /** The JVM of this pid has ended, or does within 10 s (a kill is reaped in milliseconds). */
    private static void assertJvmEnds(long pid) throws Exception {
        Optional<ProcessHandle> process = ProcessHandle.of(pid);
        if (process.isPresent()) {
            process.get().onExit().get(10, TimeUnit.SECONDS);
        }
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "the child JVM " + pid + " ended");
    }

    private static Trial tallying(Tally tally) {
        return new Trial() {
            @Override
            public void work(int thread) {
            }

            @Override
            public Tally tally() {
                return tally;
            }
        };
    }
}
