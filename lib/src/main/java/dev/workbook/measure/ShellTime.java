package dev.workbook.measure;

import java.lang.management.ManagementFactory;
import java.util.Locale;

/**
 * The line a shell's {@code time} prints after a command, for this JVM:
 * {@code java Primes  9.42s user 0.19s system 98% cpu 9.771 total}, the format of the lesson's
 * figures (zsh's {@code time}).
 *
 * <p>Start one at the top of {@code main}. Wall time counts from the JVM's start; user and system time
 * are this process's, plus those of child processes reaped since {@link #start()} (as {@code time}
 * counts children). Children reaped before it, such as the JBang launcher that compiled a script
 * before {@code exec}-ing into this JVM, are left out.
 */
public final class ShellTime {

    private final CpuClock.CpuTimes childrenBefore;

    private ShellTime(CpuClock.CpuTimes childrenBefore) {
        this.childrenBefore = childrenBefore;
    }

    /** Takes note of the child processes reaped so far, so that they are not counted. */
    public static ShellTime start() {
        return new ShellTime(CpuClock.reapedChildren().orElse(new CpuClock.CpuTimes(0, 0)));
    }

    /** The {@code time} line for this JVM so far, labelled with {@code command}. */
    public String line(String command) {
        double total = (System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime()) / 1e3;
        CpuClock.CpuTimes self = CpuClock.userAndSystem().orElse(new CpuClock.CpuTimes(CpuClock.selfNanos(), 0));
        CpuClock.CpuTimes children = CpuClock.reapedChildren().orElse(new CpuClock.CpuTimes(0, 0));
        double user = (self.userNanos() + children.userNanos() - childrenBefore.userNanos()) / 1e9;
        double system = (self.systemNanos() + children.systemNanos() - childrenBefore.systemNanos()) / 1e9;
        return String.format(Locale.ROOT, "%s  %.2fs user %.2fs system %.0f%% cpu %.3f total",
                command, user, system, 100 * (user + system) / total, total);
    }
}
