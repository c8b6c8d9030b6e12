///usr/bin/env jbang "$0" "$@" ; exit $?
//SOURCES Workbook.java

import dev.workbook.measure.MachineFacts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ForkJoinPool;

/**
 * The lesson's {@code print(os.cpu_count())}, then what the JVM adds: the count the JVM sizes itself
 * by (container limits and -XX:ActiveProcessorCount lower it), and the hardware behind it.
 */
public class CpuCount {

    public static void main(String[] args) throws IOException {
        // What the lesson prints: one number.
        System.out.println(Runtime.getRuntime().availableProcessors());

        System.out.println();
        System.out.println("What the JVM adds:");
        System.out.println("- Runtime.availableProcessors() is the count the JVM sizes itself by (GC threads, the");
        System.out.println("  common ForkJoinPool, virtual-thread carriers). It follows CPU affinity, cgroup limits");
        System.out.println("  and -XX:ActiveProcessorCount; Python's os.cpu_count() counts the machine's CPUs.");
        Path cpuinfo = Path.of("/proc/cpuinfo");
        if (Files.isReadable(cpuinfo)) {
            List<String> lines = Files.readAllLines(cpuinfo);
            long logical = lines.stream().filter(l -> l.startsWith("processor")).count();
            Set<String> cores = new HashSet<>();
            String physicalId = "0";
            for (String line : lines) {
                if (line.startsWith("physical id")) {
                    physicalId = line.substring(line.indexOf(':') + 1).trim();
                } else if (line.startsWith("core id")) {
                    cores.add(physicalId + "/" + line.substring(line.indexOf(':') + 1).trim());
                }
            }
            System.out.printf("- The OS shows %d logical CPUs on %s physical cores.%n", logical,
                    cores.isEmpty() ? "an unknown number of" : Integer.toString(cores.size()));
        }
        Path status = Path.of("/proc/self/status");
        if (Files.isReadable(status)) {
            Files.readAllLines(status).stream().filter(l -> l.startsWith("Cpus_allowed_list"))
                    .findFirst().ifPresent(l -> System.out.println("- This JVM may run on CPUs "
                            + l.substring(l.indexOf(':') + 1).trim() + " (its affinity)."));
        }
        System.out.printf("- The common ForkJoinPool has %d worker(s): cores - 1, because the thread that starts a%n"
                + "  parallel stream works too.%n", ForkJoinPool.commonPool().getParallelism());
        System.out.println();
        System.out.print(MachineFacts.current());
    }
}
