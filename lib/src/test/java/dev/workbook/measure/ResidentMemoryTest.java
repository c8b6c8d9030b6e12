package dev.workbook.measure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class ResidentMemoryTest {

    @Test
    void aRunningJvmHoldsMegabytesAndNoMoreThanItsHeapAndCodeAllow() {
        assumeTrue(Files.isReadable(Path.of("/proc/self/status")), "needs /proc");
        long kib = ResidentMemory.selfKib().orElseThrow();
        assertTrue(kib > 10 * 1024, kib + " KiB");
        assertTrue(kib < Runtime.getRuntime().maxMemory() / 1024 + 2 * 1024 * 1024, kib + " KiB");
    }

    @Test
    void anEndedProcessHasNoResidentMemory() throws Exception {
        assumeTrue(Files.isReadable(Path.of("/proc/self/status")), "needs /proc");
        Process child = new ProcessBuilder("true").start();
        child.waitFor();
        assertEquals(OptionalLong.empty(), ResidentMemory.kib(child.pid()));
    }

    @Test
    void aPidBelowOneIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> ResidentMemory.kib(0));
    }
}
