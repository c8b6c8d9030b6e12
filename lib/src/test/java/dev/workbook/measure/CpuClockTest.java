package dev.workbook.measure;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class CpuClockTest {

    @Test
    void countsTheCpuTimeOfThisJvm() {
        long before = CpuClock.processTreeNanos();
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300);
        long spin = 0;
        while (System.nanoTime() < until) {
            spin++;
        }
        long used = CpuClock.processTreeNanos() - before;
        assertTrue(spin > 0);
        // At least a third of the 300 ms spin, however busy the machine is.
        assertTrue(used >= TimeUnit.MILLISECONDS.toNanos(100), "only " + used + " ns counted");
    }

    @Test
    void countsALiveChildAndKeepsCountingItAfterItIsReaped() throws Exception {
        Process child = new ProcessBuilder("sh", "-c", "while :; do :; done").start();
        try {
            long before = CpuClock.processTreeNanos();
            Thread.sleep(1000); // this JVM idles while the child spins
            long whileAlive = CpuClock.processTreeNanos();
            assertTrue(whileAlive - before >= TimeUnit.MILLISECONDS.toNanos(200),
                    "a spinning child should add CPU time; got " + (whileAlive - before) + " ns in 1 s");
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
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
        while (System.nanoTime() < until) {
            Thread.onSpinWait();
        }
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
}
