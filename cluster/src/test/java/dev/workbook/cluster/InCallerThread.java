package dev.workbook.cluster;

import java.util.Map;
import jdk.jshell.JShell;
import jdk.jshell.execution.DirectExecutionControl;
import jdk.jshell.spi.ExecutionControl;
import jdk.jshell.spi.ExecutionControlProvider;
import jdk.jshell.spi.ExecutionEnv;

/**
 * A JShell engine that runs each snippet in the thread that evaluates it, as the notebook kernel's
 * own engine does (a {@link DirectExecutionControl}). Not JShell's "local" engine: that one runs each
 * snippet in a new thread group and joins every thread of the group alive just after the snippet
 * starts, so a snippet that builds a pool (whose worker threads live as long as the pool) hangs or
 * not depending on whether the pool's first thread started before that count. It did, in a full build
 * on two cores.
 */
final class InCallerThread implements ExecutionControlProvider {

    /** A JShell builder with this engine. */
    static JShell.Builder jshell() {
        return JShell.builder().executionEngine(new InCallerThread(), Map.of());
    }

    @Override
    public String name() {
        return "in-caller-thread";
    }

    @Override
    public ExecutionControl generate(ExecutionEnv env, Map<String, String> parameters) {
        return new DirectExecutionControl();
    }
}
