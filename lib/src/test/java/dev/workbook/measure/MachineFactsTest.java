package dev.workbook.measure;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class MachineFactsTest {

    @Test
    void loadAverageIsTheKernelsThreeFiguresOrUnknown() {
        String load = MachineFacts.loadAverage();
        if (Files.isReadable(Path.of("/proc/loadavg"))) {
            assertTrue(load.matches("\\d+\\.\\d+ \\d+\\.\\d+ \\d+\\.\\d+"), load);
        } else {
            assertTrue(load.equals("unknown"), load);
        }
    }
}
