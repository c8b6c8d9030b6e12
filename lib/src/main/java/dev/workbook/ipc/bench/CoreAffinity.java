package dev.workbook.ipc.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Pins processes to cores with {@code taskset} (Linux), for measurements where two processes that wait
 * for each other must not take turns on one core. Every thread of a process is pinned ({@code -a});
 * threads it starts later inherit the pinning.
 */
final class CoreAffinity {

    private static final Path TASKSET = Path.of("/usr/bin/taskset");
    private static final Path STATUS = Path.of("/proc/self/status");

    private CoreAffinity() {
    }

    /**
     * Pins each process to a CPU of its own, among those this JVM may use.
     *
     * @return false, having changed nothing, where there is no taskset or fewer CPUs than processes;
     *         false also if taskset failed on one of them
     */
    static boolean pinApart(List<Long> pids) {
        List<String> cpus = allowedCpus();
        if (!Files.isExecutable(TASKSET) || cpus.size() < Math.max(2, pids.size())) {
            return false;
        }
        for (int i = 0; i < pids.size(); i++) {
            if (!taskset(cpus.get(i), pids.get(i))) {
                return false;
            }
        }
        return true;
    }

    /** Lets the processes run on every CPU this JVM may use again. */
    static void release(List<Long> pids) {
        String all = String.join(",", allowedCpus());
        if (Files.isExecutable(TASKSET) && !all.isEmpty()) {
            pids.forEach(pid -> taskset(all, pid));
        }
    }

    /** The CPUs this JVM may run on, from /proc/self/status; empty if unknown. */
    static List<String> allowedCpus() {
        try {
            return Files.readAllLines(STATUS).stream().filter(line -> line.startsWith("Cpus_allowed_list:"))
                    .map(line -> cpuList(line.substring(line.indexOf(':') + 1))).findFirst().orElse(List.of());
        } catch (IOException e) {
            return List.of();
        }
    }

    /** A kernel CPU list ("0-3,6") as its CPUs (0, 1, 2, 3, 6); empty if it does not parse. */
    static List<String> cpuList(String list) {
        List<String> cpus = new ArrayList<>();
        try {
            for (String range : list.trim().split(",")) {
                if (range.isBlank()) {
                    continue;
                }
                String[] ends = range.split("-");
                int first = Integer.parseInt(ends[0].trim());
                int last = ends.length > 1 ? Integer.parseInt(ends[1].trim()) : first;
                for (int cpu = first; cpu <= last; cpu++) {
                    cpus.add(Integer.toString(cpu));
                }
            }
        } catch (RuntimeException e) {
            return List.of();
        }
        return cpus;
    }

    private static boolean taskset(String cpus, long pid) {
        try {
            Process process = new ProcessBuilder(TASKSET.toString(), "-a", "-p", "-c", cpus, Long.toString(pid))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
