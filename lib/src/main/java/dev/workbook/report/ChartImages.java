package dev.workbook.report;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.internal.chartpart.Chart;

/**
 * Renders XChart charts to PNG and SVG, in memory (for notebooks and HTML reports) or to files.
 * Works headless. Files are written under a temporary name and renamed into place, so a crash never
 * leaves a half-written image under the final name.
 */
public final class ChartImages {

    private ChartImages() {
    }

    /** The chart drawn into an image of its own size. */
    public static BufferedImage image(Chart<?, ?> chart) {
        return BitmapEncoder.getBufferedImage(chart);
    }

    /** The chart as PNG bytes. */
    public static byte[] png(Chart<?, ?> chart) throws IOException {
        return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
    }

    /** The chart as an SVG document. */
    public static String svg(Chart<?, ?> chart) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        VectorGraphicsEncoder.saveVectorGraphic(chart, out, VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
        return out.toString(StandardCharsets.UTF_8);
    }

    /** Writes the chart as PNG to {@code file} (its name is used as given) and returns the file. */
    public static Path writePng(Chart<?, ?> chart, Path file) throws IOException {
        return writeAtomically(file, out -> BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG));
    }

    /** Writes the chart as SVG to {@code file} (its name is used as given) and returns the file. */
    public static Path writeSvg(Chart<?, ?> chart, Path file) throws IOException {
        return writeAtomically(file, out -> VectorGraphicsEncoder.saveVectorGraphic(chart, out,
                VectorGraphicsEncoder.VectorGraphicsFormat.SVG));
    }

    interface Writer {
        void writeTo(OutputStream out) throws IOException;
    }

    /**
     * Writes through a temporary file in the same directory, then renames it over {@code file}. The
     * file gets the permissions of the one it replaces, or {@code rw-r--r--} (a temporary file is
     * created private to its owner, but charts and reports are for sharing).
     */
    static Path writeAtomically(Path file, Writer writer) throws IOException {
        Path directory = file.toAbsolutePath().getParent();
        Files.createDirectories(directory);
        Path temporary = Files.createTempFile(directory, "." + file.getFileName(), ".part");
        try {
            try (OutputStream out = Files.newOutputStream(temporary)) {
                writer.writeTo(out);
            }
            PosixFileAttributeView permissions = Files.getFileAttributeView(temporary, PosixFileAttributeView.class);
            if (permissions != null) {
                permissions.setPermissions(Files.exists(file)
                        ? Files.getPosixFilePermissions(file) : PosixFilePermissions.fromString("rw-r--r--"));
            }
            return Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }
}
