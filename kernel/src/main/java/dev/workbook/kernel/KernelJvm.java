package dev.workbook.kernel;

import dev.workbook.kernel.exec.ChildProcesses;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Runs the kernel in a JVM with the options of {@code IJAVA_JVM_OPTS} / {@code JJAVA_JVM_OPTS}: options
 * such as {@code -Xmx300m} only take effect when a JVM starts, and the JVM that Jupyter started from
 * {@code kernel.json} is already running. When the variables are set, that JVM (the launcher) starts the
 * kernel in a child JVM with its own options followed by the variables' (so {@code -Xmx} from the
 * environment wins over {@code --jvm-opt} from the installation), waits for it and exits with its status.
 * Without the variables nothing is started twice: the cost (one more JVM start, about a tenth of a second)
 * is paid only by those who ask for options.
 *
 * <p>The launcher stays out of the way: Ctrl-C in the terminal (sent to the whole process group) is left
 * to the kernel, which turns it into an interrupt; a SIGTERM to the launcher (Jupyter ending the kernel)
 * ends the kernel, SIGTERM then SIGKILL; and the kernel ends itself when the launcher disappears without
 * that chance (SIGKILL), as it does when Jupyter's process does ({@link #LAUNCHER_PID_PROPERTY}).
 */
final class KernelJvm {

    /** Set on the kernel's JVM: the launcher's pid, which the kernel watches; also marks "already launched". */
    static final String LAUNCHER_PID_PROPERTY = "workbook.kernel.launcher.pid";

    private static final Duration STOP_GRACE = Duration.ofSeconds(5);

    private KernelJvm() {
    }

    /** True if this JVM should start the kernel in another: JVM options are asked for and this is not that JVM. */
    static boolean needed(KernelConfig config) {
        return !config.jvmOptions.isEmpty() && System.getProperty(LAUNCHER_PID_PROPERTY) == null;
    }

    /**
     * Starts the kernel's JVM with {@code config.jvmOptions} for {@code args}, blocks until it ends and
     * returns its exit status. Interrupting the calling thread is not expected (the launcher's main thread).
     */
    static int launch(KernelConfig config, String[] args, PrintStream log) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(javaCommand());
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        command.addAll(config.jvmOptions);
        command.add("-D" + LAUNCHER_PID_PROPERTY + "=" + ProcessHandle.current().pid());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(KernelMain.class.getName());
        command.addAll(List.of(args));
        ignoreInterruptSignal();
        Process kernel = new ProcessBuilder(command).inheritIO().start();
        Thread stopKernel = new Thread(() -> {
            if (kernel.isAlive()) {
                ChildProcesses.terminate(List.of(kernel.toHandle()), STOP_GRACE);
            }
        }, "stop-kernel-jvm");
        Runtime.getRuntime().addShutdownHook(stopKernel);
        int status = kernel.waitFor();
        if (status != 0) {
            log.println("The kernel's JVM, started with the options " + String.join(" ", config.jvmOptions)
                    + " from IJAVA_JVM_OPTS/JJAVA_JVM_OPTS, ended with status " + status + ". If it did not start,"
                    + " the message above says which option it refused: correct or unset the variable.");
        }
        return status;
    }

    private static String javaCommand() {
        Optional<String> running = ProcessHandle.current().info().command();
        return running.orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    /** The kernel gets the terminal's Ctrl-C too and interrupts its cell; the launcher must not die of it. */
    private static void ignoreInterruptSignal() {
        // sun.misc.Signal (module jdk.unsupported) through reflection, as KernelLauncher does
        try {
            Class<?> signalType = Class.forName("sun.misc.Signal");
            Class<?> handlerType = Class.forName("sun.misc.SignalHandler");
            Object ignore = handlerType.getField("SIG_IGN").get(null);
            Object interrupt = signalType.getConstructor(String.class).newInstance("INT");
            signalType.getMethod("handle", signalType, handlerType).invoke(null, interrupt, ignore);
        } catch (ReflectiveOperationException | RuntimeException unsupported) {
            // then Ctrl-C ends the launcher, and with it (shutdown hook) the kernel
        }
    }
}
