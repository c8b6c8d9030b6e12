package dev.workbook.process;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ExitStatusTest {

    @Test
    void statusesAboveOneTwentyEightAreSignalsAsInPython() {
        assertEquals(-9, ExitStatus.exitCode(128 + 9));
        assertEquals(-15, ExitStatus.exitCode(128 + 15));
        assertEquals(-1, ExitStatus.exitCode(129));
        assertEquals(-31, ExitStatus.exitCode(159));
    }

    @Test
    void otherStatusesAreExitCodes() {
        assertEquals(0, ExitStatus.exitCode(0));
        assertEquals(3, ExitStatus.exitCode(3));
        assertEquals(128, ExitStatus.exitCode(128));
        assertEquals(160, ExitStatus.exitCode(160));
        assertEquals(255, ExitStatus.exitCode(255));
    }

    @Test
    void describesSignalsByName() {
        assertEquals("was killed by SIGKILL (exit code -9)", ExitStatus.describe(-9));
        assertEquals("was killed by SIGTERM (exit code -15)", ExitStatus.describe(-15));
        assertEquals("exited with code 2", ExitStatus.describe(2));
    }
}
