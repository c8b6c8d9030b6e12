package dev.workbook.measure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class CPythonTest {

    @Test
    void debiansPython3ComesBeforeTheOneOnThePath() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/python3")), "needs Debian's python3");
        assertEquals("/usr/bin/python3", CPython.candidates().get(0));
        assertEquals("/usr/bin/python3", CPython.find().orElseThrow());
    }
}
