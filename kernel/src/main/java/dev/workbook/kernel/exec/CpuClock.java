package dev.workbook.kernel.exec;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads the CPU time the kernel JVM has used, for {@code %time}.
 *
 * <p>The total comes from the JVM's process CPU clock (nanosecond resolution, every thread of the
 * process). The split into user and system time, and the CPU time of child processes the JVM has waited
 * for, come from {@code /proc/self/stat} on Linux, counted in clock ticks (usually 10 ms).
 */
public final class CpuClock {

    /** Clock ticks per second for {@code /proc} counters; 100 on every mainstream Linux. */
    private static final long TICKS_PER_SECOND = 100;
    private static final Path PROC_STAT = Path.of("/proc/self/stat");

    private final com.sun.management.OperatingSystemMXBean os;

    public CpuClock() {
        java.lang.management.OperatingSystemMXBean bean = ManagementFactory.getOperatingSystemMXBean();
        this.os = bean instanceof com.sun.management.OperatingSystemMXBean
                ? (com.sun.management.OperatingSystemMXBean) bean : null;
    }

    /** A reading of every counter at one moment. */
    public Reading read() {
        long total = os == null ? -1 : os.getProcessCpuTime();
        long[] ticks = procTicks();
        return new Reading(System.nanoTime(), total, ticks);
    }

    private static long[] procTicks() {
        try {
            String stat = Files.readString(PROC_STAT);
            // Fields after the command name, which is in parentheses and may contain spaces.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // utime, stime, cutime, cstime are fields 14..17 of the whole line, 12..15 after the name.
            return new long[]{Long.parseLong(f[11]), Long.parseLong(f[12]), Long.parseLong(f[13]), Long.parseLong(f[14])};
        } catch (IOException | RuntimeException notLinux) {
            return null;
        }
    }

    /** Counters at one moment; differences of two readings give the time between them. */
    public static final class Reading {
        final long wallNanos;
        final long cpuNanos;
        final long[] ticks;

        Reading(long wallNanos, long cpuNanos, long[] ticks) {
            this.wallNanos = wallNanos;
            this.cpuNanos = cpuNanos;
            this.ticks = ticks;
        }
    }

    /** Time accumulated over one or more intervals between readings. Not thread-safe. */
    public static final class Span {
        private long wallNanos;
        private long cpuNanos;
        private boolean cpuKnown = true;
        private long userTicks;
        private long systemTicks;
        private long childUserTicks;
        private long childSystemTicks;
        private boolean ticksKnown = true;

        /** Adds the interval from {@code start} to {@code end}. */
        public void add(Reading start, Reading end) {
            wallNanos += end.wallNanos - start.wallNanos;
            if (start.cpuNanos < 0 || end.cpuNanos < 0) {
                cpuKnown = false;
            } else {
                cpuNanos += end.cpuNanos - start.cpuNanos;
            }
            if (start.ticks == null || end.ticks == null) {
                ticksKnown = false;
            } else {
                userTicks += end.ticks[0] - start.ticks[0];
                systemTicks += end.ticks[1] - start.ticks[1];
                childUserTicks += end.ticks[2] - start.ticks[2];
                childSystemTicks += end.ticks[3] - start.ticks[3];
            }
        }

        public long wallNanos() {
            return wallNanos;
        }

        /** Process CPU time in nanoseconds, or -1 if this JVM cannot measure it. */
        public long cpuNanos() {
            return cpuKnown ? cpuNanos : -1;
        }

        /**
         * The user part of {@link #cpuNanos()}: the total split in the proportion of the user and system
         * clock ticks (all user time when no tick elapsed, as for short cells).
         */
        public long userNanos() {
            if (!cpuKnown) {
                return -1;
            }
            long ticks = userTicks + systemTicks;
            return !ticksKnown || ticks == 0 ? cpuNanos : Math.round(cpuNanos * (double) userTicks / ticks);
        }

        public long systemNanos() {
            return cpuKnown ? cpuNanos - userNanos() : -1;
        }

        /** User CPU time of child processes that ended (and were waited for) in the span, or -1. */
        public long childUserNanos() {
            return ticksKnown ? childUserTicks * 1_000_000_000L / TICKS_PER_SECOND : -1;
        }

        public long childSystemNanos() {
            return ticksKnown ? childSystemTicks * 1_000_000_000L / TICKS_PER_SECOND : -1;
        }
    }
}
