package dev.workbook.process;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test class that leaves a child JVM behind. Finds every process of this test JVM's family
 * (see {@link Processes#family()}), which includes grandchildren and children whose parent was killed
 * (the kernel has given them to another parent, so they are no longer our descendants). Gives them a
 * few seconds to go, since a child's exit is asynchronous, then kills the rest and fails. Idle spare
 * JVMs ({@link StartMethod#FORKSERVER}) are kept on purpose, so they are stopped first; anything left
 * after that is an orphan.
 */
public final class NoOrphans implements AfterAllCallback {

    private static final Duration GRACE = Duration.ofSeconds(10);

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        StartMethod.stopSpares();
        long deadline = System.nanoTime() + GRACE.toNanos();
        List<ProcessHandle> left = familyMembers();
        while (!left.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(100);
            left = familyMembers();
        }
        if (!left.isEmpty()) {
            String description = left.stream()
                    .map(handle -> handle.pid() + " " + shortened(String.join(" ", arguments(handle))))
                    .collect(Collectors.joining("\n  "));
            left.forEach(ProcessHandle::destroyForcibly);
            fail(context.getDisplayName() + " left " + left.size() + " process(es) behind:\n  " + description);
        }
    }

    /** Live processes started by this test JVM or its descendants, other than this JVM. */
    static List<ProcessHandle> familyMembers() {
        String marker = "-D" + Processes.FAMILY_PROPERTY + "=" + Processes.family();
        long self = ProcessHandle.current().pid();
        return ProcessHandle.allProcesses()
                .filter(handle -> handle.pid() != self && TestJvm.running(handle.pid()))
                .filter(handle -> arguments(handle).contains(marker))
                .collect(Collectors.toList());
    }

    /** A command line cut to a length that keeps the failure readable (class paths run long). */
    private static String shortened(String commandLine) {
        return commandLine.length() <= 400 ? commandLine : commandLine.substring(0, 400) + "...";
    }

    /**
     * A process's command line, argument by argument; empty if it is gone. Read from
     * {@code /proc/<pid>/cmdline} where there is one: on JDK 17, {@link ProcessHandle.Info#arguments()}
     * is empty for a command line longer than 4 KiB, which a JVM with a long class path has, and such
     * a JVM would escape this check.
     */
    static List<String> arguments(ProcessHandle handle) {
        if (!Files.isDirectory(Path.of("/proc", "self"))) {
            return handle.info().arguments().map(List::of).orElse(List.of());
        }
        try {
            byte[] cmdline = Files.readAllBytes(Path.of("/proc", Long.toString(handle.pid()), "cmdline"));
            return List.of(new String(cmdline, StandardCharsets.UTF_8).split("\0"));
        } catch (IOException gone) {
            return List.of();
        }
    }
}
