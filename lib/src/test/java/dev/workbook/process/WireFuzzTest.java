package dev.workbook.process;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Whatever a child JVM writes on its standard output, the parent's Wire reads frames and text or
 * fails with an IOException (EOFException, NotAFrameException).
 */
class WireFuzzTest {

    @FuzzTest
    void readingAnyBytesFailsOnlyWithAnIoError(byte[] bytes) {
        Wire wire = new Wire(new ByteArrayInputStream(bytes), OutputStream.nullOutputStream());
        try {
            while (wire.receive(line -> { }) != null) {
                // next frame
            }
        } catch (IOException expected) {
            // documented
        }
    }
}
