package dev.workbook.ipc.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.workbook.experiment.Progress;
import dev.workbook.measure.CPython;
import dev.workbook.ipc.SharedMemory;
import dev.workbook.ipc.WaitStrategy;
import dev.workbook.ipc.bench.IpcProbes.Latency;
import dev.workbook.process.NoOrphans;
import dev.workbook.report.JsonLines;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tech.tablesaw.api.Table;

@ExtendWith(NoOrphans.class)
class IpcBenchTest {

    @Test
    void percentilesComeFromTheSortedSamples() {
        long[] nanos = new long[100];
        for (int i = 0; i < nanos.length; i++) {
            nanos[i] = (100 - i) * 1_000L; // 100 us down to 1 us
        }
        Latency latency = Latency.of(nanos);
        assertEquals(50.0, latency.p50Micros());
        assertEquals(99.0, latency.p99Micros());
        assertEquals(100.0, latency.maxMicros());
        assertEquals(100, latency.count());
    }

    @Test
    void noSamplesIsAnErrorThatSaysSo() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Latency.of(new long[0]));
        assertTrue(e.getMessage().contains("no round trips"), e.getMessage());
    }

    @Test
    void aSmallPassFillsEveryJavaRowAndLeavesNoSharedMemoryBehind() throws Exception {
        Table table = IpcBench.quick().roundTrips(100, 200).oneWayMessages(1_000).sparseRoundTrips(3)
                .python(false).progress(Progress.none()).run();
        // Spinning needs a core for each side: where this JVM may use one core, those rows are skipped.
        boolean spins = Runtime.getRuntime().availableProcessors() >= 2;
        List<String> waiting = spins ? List.of("spin", "backoff", "backoff", "spin", "backoff", "blocking read")
                : List.of("backoff", "backoff", "backoff", "", "blocking read");
        assertEquals(waiting, table.stringColumn("waiting").asList().stream().map(w -> w.replace(", pinned", "")).toList());
        assertEquals(spins ? List.of() : List.of(3), skippedRows(table), table.print());
        for (int row : measuredRows(table)) {
            boolean oneWay = table.stringColumn("shape").get(row).equals("one-way");
            if (oneWay) {
                assertTrue(table.doubleColumn("msgs_per_sec").get(row) > 0, table.print());
                assertTrue(table.doubleColumn("p50_us").isMissing(row), table.print());
            } else {
                double p50 = table.doubleColumn("p50_us").get(row);
                assertTrue(p50 > 0 && table.doubleColumn("p99_us").get(row) >= p50, table.print());
                assertTrue(table.doubleColumn("msgs_per_sec").isMissing(row), table.print());
            }
        }
        assertEquals("3 round trips", table.stringColumn("sample").get(spins ? 2 : 1));
        assertEquals(List.of(), benchRegions(), "queues left in " + SharedMemory.directory());
    }

    @Test
    void theCpuListOfThisJvmIsReadFromProc() {
        assumeTrue(Files.isReadable(Path.of("/proc/self/status")), "needs /proc");
        List<String> cpus = CoreAffinity.allowedCpus();
        // A CPU quota lowers availableProcessors below the CPUs allowed, never above them.
        assertTrue(cpus.size() >= Runtime.getRuntime().availableProcessors(), cpus.toString());
        assertEquals(cpus.size(), cpus.stream().distinct().count(), cpus.toString());
    }

    @Test
    void aKernelCpuListUnfoldsItsRanges() {
        assertEquals(List.of("0", "1", "2", "3", "6"), CoreAffinity.cpuList("0-3,6\n"));
        assertEquals(List.of(), CoreAffinity.cpuList("zero"));
    }

    @Test
    void cpythonsFiguresBecomeRowsOfTheSameShape() throws Exception {
        assumeTrue(CPython.find().isPresent(), "needs a python3");
        List<IpcResult> rows = IpcBench.pythonResults(List.of("--quick", "--only=queue-oneway", "--payloads=long"));
        assertEquals(1, rows.size(), rows.toString());
        IpcResult row = rows.get(0);
        assertEquals("python Queue", row.transport());
        assertEquals("one-way", row.shape());
        assertEquals("long", row.payload());
        assertTrue(row.messagesPerSecond() > 0, row.toString());
        assertEquals("50000 messages", row.sample());
    }

    @Test
    void aFailingPythonRunBecomesASkippedRowThatSaysWhy() throws Exception {
        assumeTrue(CPython.find().isPresent(), "needs a python3");
        List<IpcResult> rows = IpcBench.pythonResults(List.of("--only=no-such-shape"));
        assertEquals(1, rows.size(), rows.toString());
        assertTrue(rows.get(0).note().startsWith("skipped: "), rows.toString());
        assertTrue(rows.get(0).note().contains("unknown only no-such-shape"), rows.toString());
    }

    @Test
    void aResultLineOfThePythonSideBecomesTheSameRecordAsAJavaRow() {
        IpcResult result = IpcResult.fromJson(JsonLines.read("{\"transport\": \"python Pipe\", \"shape\": \"round trip\", "
                + "\"payload\": \"long\", \"p50_us\": 44.5, \"p99_us\": 90.25, \"count\": 5000, \"unit\": \"round trips\"}").get(0));
        assertEquals(new IpcResult("python Pipe", "round trip", "long", "", 44.5, 90.25, Double.NaN, "5000 round trips", ""),
                result);
    }

    @Test
    void aResultLineWithoutItsFiguresCountIsRefusedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> IpcResult.fromJson(
                JsonLines.read("{\"transport\": \"python Queue\", \"shape\": \"one-way\", \"payload\": \"long\", "
                        + "\"unit\": \"messages\"}").get(0)));
        assertTrue(e.getMessage().contains("'count'"), e.getMessage());
    }

    @Test
    void waitStrategiesAreNamedInTheTable() {
        assertEquals("spin", IpcMeasurements.label(WaitStrategy.spin()));
        assertEquals("backoff", IpcMeasurements.label(WaitStrategy.backoff()));
    }

    @Test
    void badSettingsAreRefusedWithTheirNames() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> IpcBench.quick().roundTrips(0, 0))
                .getMessage().contains("round trips"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> IpcBench.quick().oneWayMessages(1))
                .getMessage().contains("one-way"));
    }

    /** The rows skipped with a note (none when the table has no note column). */
    private static List<Integer> skippedRows(Table table) {
        if (!table.columnNames().contains("note")) {
            return List.of();
        }
        return IntStream.range(0, table.rowCount())
                .filter(row -> !table.stringColumn("note").get(row).isEmpty()).boxed().toList();
    }

    private static List<Integer> measuredRows(Table table) {
        List<Integer> skipped = skippedRows(table);
        return IntStream.range(0, table.rowCount()).filter(row -> !skipped.contains(row)).boxed().toList();
    }

    private static List<Path> benchRegions() throws IOException {
        try (Stream<Path> files = Files.list(SharedMemory.directory())) {
            return files.filter(f -> f.getFileName().toString().contains("ipc-bench-" + ProcessHandle.current().pid() + "-"))
                    .toList();
        }
    }
}
