package dev.workbook.kernel.exec;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads the CPU time the kernel JVM has used, for {@code %time}.
 *
 * <p>On Linux the user and system time of the process (every thread) and of the child processes it has
 * waited for come from {@code /proc/self/stat}, counted in clock ticks (10 ms). Elsewhere the JVM's
 * process CPU clock gives the total only.
 */
public final class CpuClock {

    /** One clock tick of the {@code /proc} counters: USER_HZ is 100 on every mainstream Linux. */
    private static final long NANOS_PER_TICK = 1_000_000_000L / 100;
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

        /**
         * The kernel JVM's CPU time (all its threads) in nanoseconds, or -1 if it cannot be measured: the
         * sum of user and system clock ticks where {@code /proc} has them, else the JVM's process CPU clock.
         * Both count in clock ticks on Linux (10 ms).
         */
        public long cpuNanos() {
            if (ticksKnown) {
                return (userTicks + systemTicks) * NANOS_PER_TICK;
            }
            return cpuKnown ? cpuNanos : -1;
        }

        /** The user part of {@link #cpuNanos()}; all of it where the split is unknown. */
        public long userNanos() {
            return ticksKnown ? userTicks * NANOS_PER_TICK : cpuNanos();
        }

        /** The system part of {@link #cpuNanos()}; 0 where the split is unknown. */
        public long systemNanos() {
            return ticksKnown ? systemTicks * NANOS_PER_TICK : cpuKnown ? 0 : -1;
        }

        /** User CPU time of child processes that ended (and were waited for) in the span, or -1. */
        public long childUserNanos() {
            return ticksKnown ? childUserTicks * NANOS_PER_TICK : -1;
        }

        public long childSystemNanos() {
            return ticksKnown ? childSystemTicks * NANOS_PER_TICK : -1;
        }
    }
}
