package dev.workbook.process;

import static org.junit.jupiter.api.Assertions.fail;

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
                    .map(handle -> handle.pid() + " " + handle.info().commandLine().orElse("?"))
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
                .filter(handle -> handle.info().arguments().map(args -> List.of(args).contains(marker)).orElse(false))
                .collect(Collectors.toList());
    }
}
