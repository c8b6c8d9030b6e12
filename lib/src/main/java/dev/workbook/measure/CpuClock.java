package dev.workbook.measure;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * CPU time (user + system) consumed by this JVM and every process it started, as {@code time} counts
 * it for a command and its children.
 *
 * <p>Three parts are added up: this process's own CPU time; the CPU time of children that have
 * exited and been reaped (Linux's {@code cutime + cstime}); and the CPU time so far of live
 * descendants, such as the warm workers of a process pool. The clock is monotonic except when a live
 * descendant exits between two readings without being reaped yet; a measured interval then misses at
 * most that child's last few ticks.
 *
 * <p>Resolution is the kernel's clock tick (10 ms on Linux) for the process parts: fine for runs of a
 * second or more, too coarse for microbenchmarks.
 */
public final class CpuClock {

    /** Linux reports process times in clock ticks of 1/USER_HZ second; USER_HZ is 100 on every Linux ABI. */
    private static final long NANOS_PER_TICK = 10_000_000L;

    private static final Path SELF_STAT = Path.of("/proc/self/stat");

    private CpuClock() {
    }

    /** Total CPU nanoseconds of this JVM, its reaped children and its live descendants. */
    public static long processTreeNanos() {
        return selfNanos() + reapedChildrenNanos() + liveDescendantsNanos();
    }

    /** CPU nanoseconds of this JVM alone, all threads. */
    public static long selfNanos() {
        var os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean hotspot) {
            long nanos = hotspot.getProcessCpuTime();
            if (nanos >= 0) {
                return nanos;
            }
        }
        return ProcessHandle.current().info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
    }

    /** CPU nanoseconds of the children that have exited and been waited for; 0 where /proc is missing. */
    static long reapedChildrenNanos() {
        return reapedChildren().map(t -> t.userNanos() + t.systemNanos()).orElse(0L);
    }

    /** User and system time of this JVM alone, in clock ticks of /proc; empty where /proc is missing. */
    public static Optional<CpuTimes> userAndSystem() {
        long[] ticks = selfStatTicks();
        return ticks == null ? Optional.empty()
                : Optional.of(new CpuTimes(ticks[0] * NANOS_PER_TICK, ticks[1] * NANOS_PER_TICK));
    }

    /**
     * User and system time of the children this process has reaped (waited for), and of theirs:
     * what {@code time} adds to a command's own. Empty where /proc is missing.
     */
    public static Optional<CpuTimes> reapedChildren() {
        long[] ticks = selfStatTicks();
        return ticks == null ? Optional.empty()
                : Optional.of(new CpuTimes(ticks[2] * NANOS_PER_TICK, ticks[3] * NANOS_PER_TICK));
    }

    /** User and system CPU time in nanoseconds. */
    public record CpuTimes(long userNanos, long systemNanos) {
        public double userSeconds() {
            return userNanos / 1e9;
        }

        public double systemSeconds() {
            return systemNanos / 1e9;
        }
    }

    /** utime, stime, cutime, cstime of /proc/self/stat, in clock ticks; null where unreadable. */
    private static long[] selfStatTicks() {
        if (!Files.isReadable(SELF_STAT)) {
            return null;
        }
        try {
            String stat = Files.readString(SELF_STAT);
            // The command name (field 2) is in parentheses and may contain spaces: count from after it.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // fields[0] is field 3 (state), so fields 14..17 (utime, stime, cutime, cstime) are fields[11..14].
            return new long[] {Long.parseLong(fields[11]), Long.parseLong(fields[12]), Long.parseLong(fields[13]),
                    Long.parseLong(fields[14])};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** CPU nanoseconds used so far by every live descendant of this JVM. */
    static long liveDescendantsNanos() {
        return ProcessHandle.current().descendants()
                .mapToLong(p -> p.info().totalCpuDuration().map(Duration::toNanos).orElse(0L))
                .sum();
    }
}
