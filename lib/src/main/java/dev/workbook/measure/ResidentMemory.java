package dev.workbook.measure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * A process's resident memory (RSS): the {@code VmRSS} line of {@code /proc/<pid>/status}, what
 * {@code ps} and {@code top} show as RES. Linux only; elsewhere, and for a process that has ended, the
 * answer is empty. Reads a small file; does not block on the process.
 */
public final class ResidentMemory {

    private ResidentMemory() {
    }

    /**
     * The resident memory of the process, in KiB; empty where there is no {@code /proc}, the process
     * has ended, or it has no user memory (a kernel thread).
     *
     * @throws IllegalArgumentException if the pid is not positive
     */
    public static OptionalLong kib(long pid) {
        if (pid <= 0) {
            throw new IllegalArgumentException("a process id is positive; got " + pid);
        }
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return OptionalLong.of(Long.parseLong(line.substring("VmRSS:".length()).replace("kB", "").strip()));
                }
            }
        } catch (IOException | NumberFormatException e) {
            // no /proc, the process is gone, or a line we do not understand: nothing to report
        }
        return OptionalLong.empty();
    }

    /** The resident memory of this JVM, in KiB; empty where there is no {@code /proc}. */
    public static OptionalLong selfKib() {
        return kib(ProcessHandle.current().pid());
    }
}
