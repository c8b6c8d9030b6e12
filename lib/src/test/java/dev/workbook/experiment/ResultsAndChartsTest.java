package dev.workbook.experiment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.workbook.primes.PrimalityTest;
import dev.workbook.primes.PrimeNumbers;
import dev.workbook.report.ChartImages;
import dev.workbook.report.Charts;
import dev.workbook.report.ResultsCsv;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.XYChart;
import tech.tablesaw.api.Table;

class ResultsAndChartsTest {

    private static ExperimentResult result;

    @BeforeAll
    static void runSmallExperiment() throws Exception {
        result = Experiment.of(Workload.primality("small", PrimeNumbers.SEED_DISTINCT.subList(0, 7),
                        PrimalityTest.TRIAL_DIVISION))
                .strategies(Strategies.threads(), Strategies.virtualThreads())
                .workers(1, 2).warmups(0).repeats(2).progress(Progress.none()).run();
    }

    @Test
    void csvKeepsEveryRowAndValueAndAddsTheMachinesFacts(@TempDir Path dir) throws Exception {
        Table summary = result.summary();
        Path file = ResultsCsv.write(summary, result.facts(), dir.resolve("summary.csv"));
        Table loaded = ResultsCsv.read(file);
        assertEquals(summary.rowCount(), loaded.rowCount());
        assertEquals(summary.stringColumn("strategy").asList(), loaded.stringColumn("strategy").asList());
        assertArrayEquals(summary.doubleColumn("wall_s").asDoubleArray(), loaded.doubleColumn("wall_s").asDoubleArray());
        assertEquals(result.facts().cores(), loaded.intColumn("cores").get(0));
        assertEquals(result.facts().cpuModel(), loaded.stringColumn("cpu_model").get(0));
        assertEquals(result.facts().jvm(), loaded.stringColumn("jvm").get(0));
        assertEquals(result.facts().date().toString(), loaded.stringColumn("date").get(0));
    }

    @Test
    void saveWritesTablesAndChartsAndNoTemporaryFiles(@TempDir Path dir) throws Exception {
        List<Path> written = result.save(dir.resolve("out"));
        assertEquals(8, written.size());
        try (Stream<Path> files = Files.list(dir.resolve("out"))) {
            List<String> names = files.map(p -> p.getFileName().toString()).sorted().toList();
            assertEquals(List.of("cpu.png", "cpu.svg", "runs.csv", "speedup.png", "speedup.svg", "summary.csv",
                    "wall-time.png", "wall-time.svg"), names);
        }
        byte[] png = Files.readAllBytes(dir.resolve("out/speedup.png"));
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, Arrays.copyOf(png, 4));
        assertTrue(Files.readString(dir.resolve("out/wall-time.svg")).contains("<svg"));
    }

    @Test
    void chartsCanBeDrawnFromALoadedCsvFile(@TempDir Path dir) throws Exception {
        Path file = ResultsCsv.write(result.summary(), result.facts(), dir.resolve("summary.csv"));
        Table loaded = ResultsCsv.read(file);
        BufferedImage image = ChartImages.image(ExperimentCharts.wallTime(loaded));
        assertEquals(Charts.WIDTH, image.getWidth());
        assertEquals(Charts.HEIGHT, image.getHeight());
    }

    @Test
    void theSpeedupChartHasTheIdealLineAndOneSeriesPerStrategy() {
        XYChart chart = result.speedupChart();
        List<String> series = List.copyOf(chart.getSeriesMap().keySet());
        assertEquals("ideal (speedup = workers)", series.get(0));
        assertTrue(series.containsAll(List.of("sequential", "threads")), series.toString());
        // On Java 17 virtual threads are skipped and have no line; on 21+ they have one point.
        assertEquals(Runtime.version().feature() >= 21 ? 4 : 3, series.size());
    }

    @Test
    void inMemoryRenderingGivesPngBytesAndSvgText() throws Exception {
        byte[] png = ChartImages.png(result.cpuChart());
        assertEquals((byte) 0x89, png[0]);
        String svg = ChartImages.svg(result.wallTimeChart());
        assertTrue(svg.contains("<svg") && svg.contains("</svg>"), svg.substring(0, Math.min(200, svg.length())));
    }

    @Test
    void aBarChartNeedsOneValuePerLabel() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Charts.bars("t", "y", List.of("a", "b"), List.of(1.0)));
        assertTrue(e.getMessage().contains("2 labels and 1 values"), e.getMessage());
    }

    @Test
    void aMissingColumnIsNamedWithTheColumnsThereAre() {
        Table table = result.runs();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Charts.bars("t", "y", table, "strategy", "nope"));
        assertTrue(e.getMessage().contains("no column 'nope'"), e.getMessage());
    }

    @Test
    void readingAMissingFileSaysWhatToDo(@TempDir Path dir) {
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> ResultsCsv.read(dir.resolve("x.csv")));
        assertTrue(e.getMessage().contains("ExperimentResult.save"), e.getMessage());
    }

    @Test
    void writingATableThatAlreadyHasAMachineColumnIsRefused(@TempDir Path dir) {
        Table table = result.summary().copy();
        table.stringColumn("note").setName("os");
        assertThrows(IllegalArgumentException.class,
                () -> ResultsCsv.write(table, result.facts(), dir.resolve("x.csv")));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(0, files.count(), "nothing should be written");
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aLogScaleSpansThePowersOfTenAroundTheValues() {
        var chart = Charts.logScale(Charts.bars("t", "s", List.of("a", "b"), List.of(1.8, 0.000083)));
        assertTrue(chart.getStyler().isYAxisLogarithmic());
        assertEquals(1e-5, chart.getStyler().getYAxisMin(), 1e-12);
        assertEquals(10.0, chart.getStyler().getYAxisMax(), 1e-12);
        assertEquals(Charts.WIDTH, ChartImages.image(chart).getWidth()); // and XChart can draw it
    }

    @Test
    void aLogScaleRefusesZero() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Charts.logScale(Charts.bars("t", "s", List.of("a", "b"), List.of(1.0, 0.0))));
        assertTrue(e.getMessage().contains("a log scale cannot show"), e.getMessage());
    }

    @Test
    void aLogScaleChartOfWholeNumbersCanBeDrawn() {
        var chart = Charts.logScale(Charts.bars("t", "n", List.of("a", "b"), List.of(3L, 40_000L)));
        assertEquals(Charts.HEIGHT, ChartImages.image(chart).getHeight());
    }
}
