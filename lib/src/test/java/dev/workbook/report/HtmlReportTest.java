package dev.workbook.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.workbook.measure.MachineFacts;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

class HtmlReportTest {

    private static Table timings() {
        return Tables.readable(Table.create("timings", StringColumn.create("strategy", "threads", "processes"),
                DoubleColumn.create("wall_s", 0.5, 0.75)));
    }

    @Test
    void thePageHoldsItsTitleFactsTablesAndTextInOrder() {
        String html = new HtmlReport("Report <1>").facts(MachineFacts.current()).heading("Primes")
                .paragraph("a < b").table(timings()).note("measured once").html();
        assertTrue(html.startsWith("<!DOCTYPE html>"), html);
        assertTrue(html.contains("<title>Report &lt;1&gt;</title>"), html);
        assertTrue(html.contains("<dt>cores</dt><dd>" + Runtime.getRuntime().availableProcessors() + "</dd>"), html);
        assertTrue(html.contains("<p>a &lt; b</p>"), html);
        assertTrue(html.indexOf("<h2>Primes</h2>") < html.indexOf("<table") && html.indexOf("<table") < html.indexOf("measured once"),
                "parts come in the order they were added");
        assertTrue(html.contains(">0.750</td>"), html);
    }

    @Test
    void aChartIsEmbeddedAsAPngImageThatNeedsNoOtherFile() throws Exception {
        String html = new HtmlReport("r").chart(Charts.bars("Wall time", "seconds", timings(), "strategy", "wall_s")).html();
        Matcher image = Pattern.compile("<img alt=\"Wall time\" width=\"\\d+\" height=\"\\d+\" src=\"data:image/png;base64,([A-Za-z0-9+/=]+)\">")
                .matcher(html);
        assertTrue(image.find(), html.substring(0, Math.min(400, html.length())));
        byte[] png = Base64.getDecoder().decode(image.group(1));
        assertEquals(0x89, png[0] & 0xff);
        assertEquals("PNG", new String(png, 1, 3, StandardCharsets.US_ASCII));
        assertFalse(html.contains("src=\"http"), "no external resource");
    }

    @Test
    void writingCreatesTheDirectoryAndLeavesNoTemporaryFile(@TempDir Path directory) throws Exception {
        Path file = directory.resolve("reports").resolve("report.html");
        HtmlReport report = new HtmlReport("r").table(timings());
        assertEquals(file, report.write(file));
        assertEquals(report.html(), Files.readString(file));
        try (Stream<Path> files = Files.list(file.getParent())) {
            assertEquals(List.of(file), files.toList());
        }
    }

    @Test
    void aReportIsReadableByOthersUnlessTheFileItReplacesWasNot(@TempDir Path directory) throws Exception {
        assumeTrue(directory.getFileSystem().supportedFileAttributeViews().contains("posix"), "needs POSIX permissions");
        Path shared = new HtmlReport("r").write(directory.resolve("shared.html"));
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(shared)));
        Path secret = directory.resolve("secret.html");
        Files.writeString(secret, "old");
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
        new HtmlReport("r").write(secret);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(secret)));
    }
}
