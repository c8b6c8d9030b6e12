package dev.workbook.measure;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class CpuClockTest {

    @Test
    void countsTheCpuTimeOfThisJvm() {
        long before = CpuClock.processTreeNanos();
        long spun = spinForCpu(TimeUnit.MILLISECONDS.toNanos(200));
        long used = CpuClock.processTreeNanos() - before;
        // The process used at least what this thread did, however long the machine made it wait for a core;
        // less a tick or two of the kernel's accounting.
        assertTrue(used >= spun - TimeUnit.MILLISECONDS.toNanos(20), "only " + used + " ns counted for " + spun
                + " ns of this thread's CPU");
    }

    @Test
    void countsALiveChildAndKeepsCountingItAfterItIsReaped() throws Exception {
        Process child = new ProcessBuilder("sh", "-c", "while :; do :; done").start();
        try {
            long before = CpuClock.processTreeNanos();
            // However loaded the machine, the spinning child gets a core now and then: wait until its CPU shows.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            long whileAlive = before;
            while (whileAlive - before < TimeUnit.MILLISECONDS.toNanos(200)) {
                assertTrue(System.nanoTime() < deadline, "a spinning child added only " + (whileAlive - before)
                        + " ns of CPU in 30 s");
                Thread.sleep(10); // this JVM idles while the child spins
                whileAlive = CpuClock.processTreeNanos();
            }
            child.destroyForcibly();
            child.waitFor();
            long afterReaped = CpuClock.processTreeNanos();
            // The child's time moves from 'live descendants' to 'reaped children', within one tick or two.
            assertTrue(afterReaped >= whileAlive - TimeUnit.MILLISECONDS.toNanos(20),
                    "the clock went back by " + (whileAlive - afterReaped) + " ns when the child was reaped");
        } finally {
            child.destroyForcibly();
            child.waitFor();
        }
    }

    @Test
    void userAndSystemTimeAddUpToTheProcessCpuTime() {
        spinForCpu(TimeUnit.MILLISECONDS.toNanos(100));
        CpuClock.CpuTimes times = CpuClock.userAndSystem().orElseThrow();
        long self = CpuClock.selfNanos();
        long split = times.userNanos() + times.systemNanos();
        // Both come from the kernel's tick counters, read a moment apart.
        assertTrue(Math.abs(split - self) <= TimeUnit.MILLISECONDS.toNanos(50),
                "user + system = " + split + " ns, process CPU = " + self + " ns");
        assertTrue(times.userNanos() >= TimeUnit.MILLISECONDS.toNanos(50), times.toString());
    }

    @Test
    void theShellTimeLineLooksLikeZshsTime() {
        String line = ShellTime.start().line("java Primes");
        assertTrue(line.matches("java Primes  \\d+\\.\\d\\ds user \\d+\\.\\d\\ds system \\d+% cpu \\d+\\.\\d{3} total"), line);
    }

    /**
     * Spins until this thread has used {@code nanos} of CPU (not of wall time, which a loaded machine
     * stretches); returns the thread's CPU time actually used.
     */
    private static long spinForCpu(long nanos) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long start = threads.getCurrentThreadCpuTime();
        long used = 0;
        while (used < nanos) {
            for (int i = 0; i < 10_000; i++) {
                Thread.onSpinWait();
            }
            used = threads.getCurrentThreadCpuTime() - start;
        }
        return used;
    }
}
