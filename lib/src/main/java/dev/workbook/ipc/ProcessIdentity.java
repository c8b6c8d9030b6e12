package dev.workbook.ipc;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;

/**
 * Names one process for its whole life: its pid plus a tag taken from its start time, packed in one
 * {@code long} so that shared memory can hold it in a word that is compared and swapped atomically.
 *
 * <pre>
 *   63                             32 31                              0
 *  +--------------------------------+--------------------------------+
 *  |              pid               |        start tag (32 bits)     |
 *  +--------------------------------+--------------------------------+
 * </pre>
 *
 * <p>The pid alone is not enough: the kernel reuses pids, so a word naming a process that died could
 * come to name an unrelated live one. The start tag is the low 32 bits of the process's start time in
 * clock ticks since boot ({@code /proc/PID/stat}, field 22) on Linux, or of its start instant in
 * milliseconds elsewhere. A pid reused by a process started at another tick gets another token.
 *
 * <p>A token is never 0 (pids are positive), so 0 can mean "nobody" in shared words.
 */
final class ProcessIdentity {

    private static final boolean PROC = Files.isReadable(Path.of("/proc/self/stat"));
    private static final long CURRENT = computeCurrent();

    private ProcessIdentity() {
    }

    /** The token of this JVM's process. */
    static long current() {
        return CURRENT;
    }

    static long pidOf(long token) {
        return token >>> 32;
    }

    /**
     * Whether the process the token names still runs. A zombie (dead but not yet reaped by its
     * parent) counts as dead: it will never touch shared memory again.
     */
    static boolean isAlive(long token) {
        if (token == 0) {
            return false;
        }
        long pid = pidOf(token);
        if (pid == ProcessHandle.current().pid()) {
            return token == CURRENT;
        }
        long tag = startTag(pid);
        return tag != -1 && tag == (token & 0xFFFF_FFFFL);
    }

    /** A short human description for error messages, e.g. {@code "pid 4242 (dead)"}. */
    static String describe(long token) {
        return "pid " + pidOf(token) + (isAlive(token) ? " (alive)" : " (dead)");
    }

    private static long computeCurrent() {
        long pid = ProcessHandle.current().pid();
        long tag = startTag(pid);
        if (tag == -1) {
            throw new IllegalStateException("cannot read the start time of this process (pid " + pid + ")");
        }
        return pid << 32 | tag;
    }

    /** The 32-bit start tag of a live process, or -1 if there is no such live process. */
    private static long startTag(long pid) {
        if (PROC) {
            return procStartTag(pid);
        }
        return ProcessHandle.of(pid)
                .filter(ProcessHandle::isAlive)
                .flatMap(handle -> handle.info().startInstant())
                .map(Instant::toEpochMilli)
                .map(millis -> millis & 0xFFFF_FFFFL)
                .orElse(-1L);
    }

    private static long procStartTag(long pid) {
        String stat;
        try {
            stat = Files.readString(Path.of("/proc/" + pid + "/stat"), StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            return -1;
        } catch (IOException e) {
            // Vanished between the directory lookup and the read: it exited.
            return -1;
        }
        // The command name (field 2) is in parentheses and may hold spaces: parse after the last ')'.
        int close = stat.lastIndexOf(')');
        if (close < 0) {
            return -1;
        }
        String[] fields = stat.substring(close + 2).split(" ");
        // fields[0] is field 3 (state); field 22 (starttime) is fields[19].
        if (fields.length < 20) {
            return -1;
        }
        char state = fields[0].charAt(0);
        if (state == 'Z' || state == 'X' || state == 'x') {
            return -1;
        }
        return Long.parseLong(fields[19]) & 0xFFFF_FFFFL;
    }
}
