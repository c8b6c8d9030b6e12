package dev.workbook.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.workbook.measure.MachineFacts;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

class ComparisonTest {

    @TempDir
    Path dir;

    /** A summary.csv as a run on a machine of that many cores writes it: sequential, threads and processes. */
    private Path machine(String name, int cores, double threadsSeconds, double processesSeconds) throws Exception {
        Table summary = Table.create("summary",
                StringColumn.create("strategy", "sequential", "threads", "processes", "virtual-threads"),
                IntColumn.create("workers", new int[] {1, cores, cores, cores}),
                DoubleColumn.create("wall_s", new double[] {threadsSeconds * cores, threadsSeconds, processesSeconds,
                        Double.NaN}),
                DoubleColumn.create("cpu_pct", new double[] {100, 100.0 * cores, 95.0 * cores, Double.NaN}),
                StringColumn.create("note", "", "", "", "skipped: virtual threads need Java 21 or newer"));
        MachineFacts facts = new MachineFacts("Test CPU " + name, cores, 8, "Linux 6.1 amd64",
                "Eclipse Adoptium OpenJDK 64-Bit Server VM 17.0.15+6", OffsetDateTime.parse("2026-12-02T06:00:00Z"));
        Path run = Files.createDirectories(dir.resolve(name));
        ResultsCsv.write(summary, facts, run.resolve("summary.csv"));
        return run;
    }

    @Test
    void theComparisonLoadsTwoMachinesAndTheLessonsRow() throws Exception {
        Comparison comparison = Comparison.load(machine("alice", 2, 0.8, 1.1), machine("bob", 8, 0.2, 0.4));
        assertEquals(List.of("the lesson: 4 cores, macOS, CPython", "alice: 2 cores, Linux, JVM 17.0.15+6",
                "bob: 8 cores, Linux, JVM 17.0.15+6"), comparison.machines());
        Table table = comparison.table();
        // the lesson's 2 rows, and 3 measured rows of each machine (the skipped strategy is left out)
        assertEquals(2 + 3 + 3, table.rowCount());
        assertEquals(39.213, table.doubleColumn("wall_s").get(0), 1e-9);
        assertEquals(389, table.doubleColumn("cpu_pct").get(1), 1e-9);
        assertEquals(0.4, table.where(table.stringColumn("machine").startsWith("bob")
                .and(table.stringColumn("strategy").isEqualTo("processes"))).doubleColumn("wall_s").get(0), 1e-9);
    }

    @Test
    void theChartsShowTheLessonsStrategiesOfEveryMachine() throws Exception {
        Comparison comparison = Comparison.load(machine("alice", 2, 0.8, 1.1), machine("bob", 8, 0.2, 0.4));
        assertEquals(List.of("the lesson · threads", "the lesson · processes", "alice · threads", "alice · processes",
                "bob · threads", "bob · processes"),
                comparison.wallTimeChart().getSeriesMap().values().iterator().next().getXData());
        assertTrue(ChartImages.png(comparison.cpuChart()).length > 1000);
    }

    @Test
    void theLessonsFiguresAreTheOnesItsTimeLinesPrinted() {
        Table lesson = ResultsCsv.lesson();
        assertEquals(List.of("threads", "processes"), lesson.stringColumn("strategy").asList());
        assertEquals(4, lesson.intColumn("cores").get(0));
        assertEquals("macOS", lesson.stringColumn("os").get(0));
        assertEquals("CPython", lesson.stringColumn("jvm").get(1));
        assertEquals(101, lesson.numberColumn("cpu_pct").getDouble(0), 1e-9);
        assertEquals(27.497, lesson.numberColumn("wall_s").getDouble(1), 1e-9);
    }

    @Test
    void aFileThatIsNotAResultsFileIsNamedWithWhatItLacks() throws Exception {
        Path stray = Files.writeString(dir.resolve("stray.csv"), "a,b\n1,2\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ResultsCsv.load(stray));
        assertTrue(e.getMessage().contains("stray.csv") && e.getMessage().contains("strategy"), e.getMessage());
    }

    @Test
    void aDirectoryWithoutASummaryIsReported() throws Exception {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        assertThrows(NoSuchFileException.class, () -> ResultsCsv.load(empty));
    }

    @Test
    void theCompareCommandWritesOnePageThatLoadsNothingFromOutside() throws Exception {
        Path page = dir.resolve("out").resolve("compare.html");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int status = CompareMain.run(new String[] {"--out", page.toString(), machine("alice", 2, 0.8, 1.1).toString(),
                machine("bob", 8, 0.2, 0.4).toString()}, new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
        assertEquals(0, status, out.toString(StandardCharsets.UTF_8));
        String html = Files.readString(page);
        assertTrue(html.contains("alice: 2 cores") && html.contains("bob: 8 cores") && html.contains("the lesson"));
        assertEquals(2, html.split("<img ", -1).length - 1, "two charts");
        assertFalse(html.matches("(?s).*(src|href)=\"(?!data:)[^\"]+\".*"), "a reference outside the page");
    }

    @Test
    void theCompareCommandWithoutDirectoriesSaysWhatToGiveAndWritesNothing() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Path page = dir.resolve("compare.html");
        int status = CompareMain.run(new String[] {"--out", page.toString()}, System.out,
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(2, status);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("summary.csv"));
        assertFalse(Files.exists(page));
    }
}
