package dev.workbook.measure;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * What a timing depends on, recorded beside it so that runs from different machines can be compared:
 * the CPU, how many cores this JVM may use, memory, the OS and the JVM, and when.
 *
 * @param cpuModel  the processor's model name, or "unknown"
 * @param cores     {@link Runtime#availableProcessors()}: the cores this JVM may use (containers may limit it)
 * @param memoryGib physical memory in GiB, or 0 where unknown
 * @param os        operating system name, version and architecture
 * @param jvm       JVM vendor, name and version
 * @param date      when the facts were taken, UTC, to the second
 */
public record MachineFacts(String cpuModel, int cores, double memoryGib, String os, String jvm, OffsetDateTime date) {

    /** The facts of this machine and JVM, now. */
    public static MachineFacts current() {
        return new MachineFacts(
                readCpuModel(),
                Runtime.getRuntime().availableProcessors(),
                readMemoryGib(),
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                        + System.getProperty("os.arch"),
                System.getProperty("java.vm.vendor") + " " + System.getProperty("java.vm.name") + " "
                        + System.getProperty("java.runtime.version", System.getProperty("java.version")),
                OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS));
    }

    /** The facts as ordered label/value pairs, for printing and for report headers. */
    public Map<String, String> asMap() {
        Map<String, String> map = new LinkedHashMap<>();
        map.put("CPU", cpuModel);
        map.put("cores", Integer.toString(cores));
        map.put("memory", memoryGib > 0 ? String.format("%.1f GiB", memoryGib) : "unknown");
        map.put("OS", os);
        map.put("JVM", jvm);
        map.put("date", date.toString());
        return map;
    }

    /**
     * The load averages over 1, 5 and 15 minutes as the kernel reports them ({@code "1.35 1.73 1.99"}),
     * or {@code "unknown"} where there is no {@code /proc/loadavg}. Not one of the facts: it changes
     * from one second to the next, but a timing taken on a busy machine should say so.
     */
    public static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return fields.length >= 3 ? fields[0] + " " + fields[1] + " " + fields[2] : "unknown";
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    /** Prints this machine's facts, one per line; used by the report renderer. */
    public static void main(String[] args) {
        System.out.print(current());
    }

    /** One fact per line, "label: value". */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder();
        asMap().forEach((label, value) -> out.append(label).append(": ").append(value).append('\n'));
        return out.toString();
    }

    private static String readCpuModel() {
        Path cpuinfo = Path.of("/proc/cpuinfo");
        if (Files.isReadable(cpuinfo)) {
            try (Stream<String> lines = Files.lines(cpuinfo)) {
                Optional<String> model = lines
                        .filter(line -> line.startsWith("model name") || line.startsWith("Model"))
                        .map(line -> line.substring(line.indexOf(':') + 1).trim())
                        .filter(name -> !name.isEmpty())
                        .findFirst();
                if (model.isPresent()) {
                    return model.get();
                }
            } catch (IOException | RuntimeException e) {
                // fall through to the generic answer
            }
        }
        String identifier = System.getenv("PROCESSOR_IDENTIFIER"); // Windows
        return identifier != null ? identifier : "unknown (" + System.getProperty("os.arch") + ")";
    }

    private static double readMemoryGib() {
        var os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean hotspot) {
            return hotspot.getTotalMemorySize() / (1024.0 * 1024 * 1024);
        }
        return 0;
    }
}
