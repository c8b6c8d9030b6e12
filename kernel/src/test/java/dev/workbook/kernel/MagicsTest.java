package dev.workbook.kernel;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The magics of IJava and JJava work on a running kernel, and the workbook's display extension, loaded with
 * {@code %jars}, renders Tablesaw tables and XChart charts.
 */
class MagicsTest {

    @TempDir
    static Path workingDirectory;
    private static RunningKernel kernel;

    @BeforeAll
    static void startKernel() throws Exception {
        kernel = RunningKernel.start(workingDirectory, Map.of());
    }

    @AfterAll
    static void stopKernel() throws Exception {
        kernel.close();
    }

    /** The jar or classes directory a class was loaded from in this test JVM. */
    private static String locationOf(Class<?> type) throws Exception {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }

    /**
     * What a workbook notebook does: lib's jar, then (a line later) the jars it needs, which the lib build
     * copies to lib/target/dependency. The extension is in the first jar and needs the second line's jars.
     */
    private static void loadLibLikeANotebook() {
        Path libTarget = Path.of("..", "lib", "target").toAbsolutePath().normalize();
        RunningKernel.Execution run = kernel.execute("%jars " + libTarget + "/workbook-lib-*.jar\n"
                + "%jars " + libTarget + "/dependency/*.jar");
        assertEquals("ok", run.status(), run.traceback());
        assertEquals("", run.stream("stderr"), "the extension installs once its libraries are there");
    }

    @Test
    void jarsLoadTheDisplayExtensionSoThatATableShowsAsHtml() {
        loadLibLikeANotebook();

        RunningKernel.Execution run = kernel.execute("tech.tablesaw.api.Table.create(\"t\",\n"
                + "  tech.tablesaw.api.IntColumn.create(\"threads\", 1, 2, 4))");

        assertTrue(run.result().get("text/html").getAsString().contains("<th>threads</th>"), run.result().toString());
        assertTrue(run.result().get("text/plain").getAsString().contains("threads"));
    }

    @Test
    void aChartShowsAsPngAndAsSvgOnRequest() {
        loadLibLikeANotebook();
        kernel.execute("var chart = new org.knowm.xchart.XYChartBuilder().width(200).height(120).build();\n"
                + "chart.addSeries(\"s\", new double[]{1, 2}, new double[]{3, 4});");

        String png = kernel.execute("chart").result().get("image/png").getAsString();
        String svg = kernel.execute("display(chart, \"image/svg+xml\")").displays().get(0).get("image/svg+xml").getAsString();

        assertEquals('P', (char) Base64.getDecoder().decode(png)[1]);
        assertTrue(svg.contains("<svg"));
    }

    @Test
    void jarsReturnTheEntriesTheyAdded() throws Exception {
        Path jar = Files.copy(Path.of(locationOf(picocli.CommandLine.class)), workingDirectory.resolve("picocli-copy.jar"));

        RunningKernel.Execution run = kernel.execute("List<String> added = %jars *.jar\nadded");

        assertEquals("[" + jar.toRealPath() + "]", run.result().get("text/plain").getAsString());
    }

    @Test
    void aPatternThatMatchesNothingIsAClearError() {
        RunningKernel.Execution run = kernel.execute("%jars missing/*.jar");

        assertEquals("MagicException", run.reply.get("ename").getAsString());
        assertTrue(run.reply.get("evalue").getAsString().contains("nothing matches 'missing/*.jar'"));
    }

    @Test
    void mavenResolvesArtifactsFromTheLocalRepository() {
        // picocli is in the local repository: the kernel's own build put it there
        RunningKernel.Execution run = kernel.execute("%maven info.picocli:picocli:4.7.7\n"
                + "Class.forName(\"picocli.CommandLine\").getSimpleName()");

        assertEquals("ok", run.status(), run.traceback());
        assertEquals("CommandLine", run.result().get("text/plain").getAsString());
    }

    @Test
    void loadFromPomCellResolvesTheDependenciesOfAPastedFragment() {
        RunningKernel.Execution run = kernel.execute("%%loadFromPOM\n<dependency>\n  <groupId>info.picocli</groupId>\n"
                + "  <artifactId>picocli</artifactId>\n  <version>4.7.7</version>\n</dependency>");

        assertEquals("ok", run.status(), run.traceback());
    }

    @Test
    void timeReportsCpuAndWallTimeOfTheCell() {
        RunningKernel.Execution run = kernel.execute("%%time\nlong sum = 0;\nfor (int i = 0; i < 50_000_000; i++) sum += i;\nsum");

        String report = run.stream("stdout");
        assertTrue(report.startsWith("CPU times: user "), report);
        assertTrue(report.contains("\nWall time: "), report);
        assertEquals("1249999975000000", run.result().get("text/plain").getAsString());
    }

    @Test
    void timeOnALineTimesOnlyThatLine() {
        RunningKernel.Execution run = kernel.execute("int before = 1;\n%time Thread.sleep(300)\nint after = 2;");

        String wall = run.stream("stdout").replaceAll("(?s).*Wall time: ([0-9.]+) ms.*", "$1");
        assertTrue(Double.parseDouble(wall) >= 290, run.stream("stdout"));
    }

    @Test
    void loadEvaluatesAScript() throws Exception {
        Files.writeString(workingDirectory.resolve("helpers.jsh"), "String greet(String who) { return \"hello, \" + who; }");

        kernel.execute("%load helpers");

        assertEquals("hello, load", kernel.execute("greet(\"load\")").result().get("text/plain").getAsString());
    }

    @Test
    void anUnknownMagicIsAClearError() {
        RunningKernel.Execution run = kernel.execute("%nosuchmagic x");

        assertTrue(run.reply.get("evalue").getAsString().contains("%nosuchmagic is not a magic"));
    }
}
