package dev.workbook.lesson;

import dev.workbook.process.ChildProcess;
import java.util.List;

/** What the examples do with their children once started. */
final class ExampleChildren {

    private ExampleChildren() {
    }

    /**
     * Waits for every child to end (sleeping, as CPython's {@code join} does), then checks that each
     * one's target returned.
     *
     * @throws IllegalStateException naming the first child that failed, with its failure as the cause
     */
    static void joinAll(List<ChildProcess> children) throws InterruptedException {
        for (ChildProcess child : children) {
            child.join();
        }
        for (ChildProcess child : children) {
            if (child.exitCode() != 0) {
                throw new IllegalStateException(child.name() + " (pid " + child.pid() + ") failed with exit code "
                        + child.exitCode() + "; its output above says why", child.failure().orElse(null));
            }
        }
    }
}
