package dev.workbook.kernel;

import dev.workbook.kernel.comm.NotebookComms;
import dev.workbook.kernel.eval.CellFailure;
import dev.workbook.kernel.exec.CellClassLoader;
import dev.workbook.kernel.exec.CellExecutionControl;
import dev.workbook.kernel.exec.CellRun;
import dev.workbook.kernel.exec.ChildProcesses;
import dev.workbook.kernel.exec.Interrupter;
import dev.workbook.kernel.exec.KernelThreads;
import dev.workbook.kernel.exec.StopInstrumenter;
import dev.workbook.kernel.magic.KernelMagics;
import dev.workbook.kernel.magic.MavenResolver;
import dev.workbook.kernel.output.CellOutputStream;
import dev.workbook.kernel.output.ChildOutputCapture;
import dev.workbook.kernel.output.NotebookInputStream;
import dev.workbook.kernel.output.OutputRouter;
import dev.workbook.kernel.output.RoutedJupyterIO;
import dev.workbook.kernel.protocol.KernelChannels;
import org.dflib.jjava.jupyter.kernel.KernelConnectionProperties;
import org.dflib.jjava.jupyter.messages.publish.PublishStream;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Starts a kernel for a Jupyter connection file and runs it until a shutdown request.
 *
 * <p>The sockets answer {@code kernel_info} within moments of the JVM starting; JShell starts in the
 * background (the compiler's first run takes a second or two), and requests that need it wait for it.
 * JShell and its default imports are built from the first moment, on their own thread, while the main
 * thread binds the sockets; the rest of start-up (class path variables, extensions, start-up scripts)
 * needs the kernel and runs once both are there, as the first cell's prelude.
 */
final class KernelLauncher {

    private static final Duration STOP_GRACE = Duration.ofSeconds(1);

    private KernelLauncher() {
    }

    /** How {@link #run} runs the kernel. */
    enum Mode {
        /** Serve the connection until a shutdown request (or the end of the process that started it). */
        SERVE,
        /**
         * Start as {@link #SERVE} does, evaluate a few typical cells, and exit: the run the installer
         * records the kernel's class-data archive from (see {@code ClassDataRecording}).
         */
        RECORD_CLASS_DATA
    }

    static void run(Path connectionFile, KernelConfig config, Mode mode) throws Exception {
        PrintStream log = System.err; // the kernel's terminal: Jupyter's console, not a notebook cell
        configureLogging();
        KernelConnectionProperties connection;
        try {
            connection = KernelConnectionProperties.parse(Files.readString(connectionFile));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the connection file " + connectionFile + ": " + e.getMessage(), e);
        }

        // JShell and its first compilations (the default imports) start now, beside the sockets' set-up
        // below: both take a good part of a second, and a machine has more than one core.
        Interrupter interrupter = new Interrupter(STOP_GRACE);
        CellClassLoader loader = new CellClassLoader(KernelLauncher.class.getClassLoader(), new StopInstrumenter(),
                config.stopChecks);
        CellExecutionControl control = new CellExecutionControl(loader, interrupter);
        control.setTimeout(config.timeoutNanos, config.timeoutText);
        AtomicReference<WorkbookKernel> kernelOnceBuilt = new AtomicReference<>();
        CellRun startup = new CellRun(0, null, false, false, KernelThreads.notebookGroup(), Set.of());
        CompletableFuture<EarlyShell> earlyShell = new CompletableFuture<>();
        Runnable buildShell = () -> {
            try {
                earlyShell.complete(EarlyShell.build(control, config, log, kernelOnceBuilt, startup));
            } catch (RuntimeException | Error e) {
                earlyShell.completeExceptionally(e);
            }
        };
        if (mode == Mode.RECORD_CLASS_DATA) {
            buildShell.run();
        } else {
            KernelThreads.start("jshell-start", buildShell);
        }

        KernelChannels channels = new KernelChannels(connection);
        OutputRouter router = new OutputRouter(channels.publisher());
        System.setOut(CellOutputStream.printStream(router, PublishStream.StreamType.OUT));
        System.setErr(CellOutputStream.printStream(router, PublishStream.StreamType.ERR));
        System.setIn(new NotebookInputStream(router, channels.input()));
        ChildOutputCapture.install(router);
        Thread.setDefaultUncaughtExceptionHandler((thread, error) -> {
            log.println("Uncaught exception in kernel thread " + thread.getName() + ":");
            error.printStackTrace(log);
        });

        NotebookComms.Manager comms = new NotebookComms.Manager();
        comms.setIOPubChannel(channels.commSocket());
        SessionHistory history = new SessionHistory();
        WorkbookKernel kernel = new WorkbookKernel(version(), history, new RoutedJupyterIO(router), comms, router,
                loader, interrupter, config.loadExtensions);
        kernelOnceBuilt.set(kernel);
        KernelMagics.register(kernel.getMagicsRegistry(), kernel, new MavenResolver(MavenResolver.defaultLocalRepository()));

        KernelServer server = new KernelServer(channels, router, kernel, control, history, version());
        channels.serve(server::onShell, server::onControl);
        if (mode == Mode.RECORD_CLASS_DATA) {
            startShell(kernel, earlyShell, startup, router, config, log);
            evaluateTypicalCells(kernel, router);
            server.shutDown();
        } else {
            KernelThreads.start("kernel-startup", () -> startShell(kernel, earlyShell, startup, router, config, log));
        }
        handleInterruptSignal(kernel);
        shutDownWithParent(server, log);
        Runtime.getRuntime().addShutdownHook(new Thread(KernelLauncher::endChildProcesses, "end-child-processes"));

        boolean restart = server.awaitShutdown();
        kernel.onShutdown(restart);
        endChildProcesses();
        server.stop();
        channels.close();
        System.exit(0);
    }

    /**
     * JShell with the default imports evaluated, built before the sockets and the kernel exist: what the
     * imports reported is kept, to be printed in the first cell once output reaches the notebook.
     */
    private static final class EarlyShell {
        final NotebookShell shell;
        final List<String> startupErrors;

        private EarlyShell(NotebookShell shell, List<String> startupErrors) {
            this.shell = shell;
            this.startupErrors = startupErrors;
        }

        static EarlyShell build(CellExecutionControl control, KernelConfig config, PrintStream log,
                                AtomicReference<WorkbookKernel> kernel, CellRun startup) {
            NotebookShell shell = NotebookShell.create(control, config.compilerOptions, log,
                    () -> kernel.get().getMagicsRegistry().getLineMagicNames(),
                    () -> kernel.get().getMagicsRegistry().getCellMagicNames());
            List<String> errors = new ArrayList<>();
            for (String line : StartupCode.DEFAULT_IMPORTS.split("\n")) {
                try {
                    // one by one: a missing module costs one import only
                    shell.evaluator.evaluate(startup, "start-up", line);
                } catch (CellFailure failure) {
                    errors.add("The start-up code (start-up) failed:");
                    errors.addAll(failure.traceback());
                }
            }
            return new EarlyShell(shell, errors);
        }
    }

    /**
     * Finishes start-up as the first cell's prelude: takes JShell from {@code early}, puts the class path
     * variables on it, installs extensions and runs the start-up scripts; what they print shows in the
     * first cell.
     */
    private static void startShell(WorkbookKernel kernel, CompletableFuture<EarlyShell> early, CellRun startup,
                                   OutputRouter router, KernelConfig config, PrintStream log) {
        router.begin(startup);
        try {
            config.problems.forEach(System.err::println);
            EarlyShell built = early.join();
            built.startupErrors.forEach(System.err::println);
            NotebookShell shell = built.shell;
            kernel.attachShell(shell);
            List<Path> classpath = new ArrayList<>();
            for (String entry : config.classpath) {
                List<Path> matches = KernelMagics.expandPaths(entry, kernel.workingDirectory());
                if (matches.isEmpty()) {
                    System.err.println("The class path variable names '" + entry + "', which does not exist.");
                }
                classpath.addAll(matches);
            }
            kernel.addToClasspath(classpath);
            kernel.onStartup();
            for (StartupCode.Script script : StartupCode.scripts(config, kernel.workingDirectory())) {
                evaluate(shell, startup, script.label, script.code);
            }
            kernel.shellReady();
        } catch (RuntimeException | Error e) {
            Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
            kernel.shellFailed(cause);
            log.println("The kernel could not start JShell:");
            cause.printStackTrace(log);
        } finally {
            router.end(startup);
            startup.finish();
        }
    }

    /**
     * What a first session does (an expression, a declaration, a method call, rendering a value), so that
     * the classes of those paths are in the archive recorded from this run.
     */
    private static void evaluateTypicalCells(WorkbookKernel kernel, OutputRouter router) {
        NotebookShell shell = kernel.shell();
        String[] cells = {"1 + 1", "int twice(int x) { return 2 * x; }",
                "var numbers = new ArrayList<Integer>(List.of(1, 2, 3));\ntwice(numbers.get(2))",
                "String.format(\"%d items\", numbers.size())"};
        for (int i = 0; i < cells.length; i++) {
            CellRun run = new CellRun(i + 1, null, true, false, KernelThreads.notebookGroup(), Set.of());
            router.begin(run);
            try {
                Object value = shell.evaluator.evaluate(run, "Cell In[" + (i + 1) + "]", cells[i]);
                if (value != null && value != dev.workbook.kernel.eval.CellEvaluator.NO_VALUE) {
                    kernel.getRenderer().render(value);
                }
            } catch (CellFailure failure) {
                throw new IllegalStateException("a cell of the class-data recording failed: "
                        + String.join("\n", failure.traceback()));
            } finally {
                router.end(run);
                run.finish();
            }
        }
    }

    private static void evaluate(NotebookShell shell, CellRun startup, String label, String code) {
        try {
            shell.evaluator.evaluate(startup, label, code);
        } catch (CellFailure failure) {
            System.err.println("The start-up code (" + label + ") failed:");
            failure.traceback().forEach(System.err::println);
        }
    }

    /**
     * Ends the kernel when the process that started it ends (jupyter_client names it in JPY_PARENT_PID),
     * so that a front end killed without a shutdown request leaves no kernel, and no child process, behind;
     * likewise when the JVM that launched this one with {@code JJAVA_JVM_OPTS} ends (see {@link KernelJvm}).
     */
    private static void shutDownWithParent(KernelServer server, PrintStream log) {
        watchProcess(System.getenv("JPY_PARENT_PID"), "the process that started the kernel", server, log);
        watchProcess(System.getProperty(KernelJvm.LAUNCHER_PID_PROPERTY), "the JVM that launched the kernel", server, log);
    }

    private static void watchProcess(String parent, String what, KernelServer server, PrintStream log) {
        if (parent == null || !parent.matches("\\d+")) {
            return;
        }
        // Polled: onExit() of a process that is not our child is only noticed after many seconds.
        ProcessHandle.of(Long.parseLong(parent)).ifPresent(handle -> KernelThreads.start("parent-watch", () -> {
            while (handle.isAlive()) {
                try {
                    Thread.sleep(500);
                } catch (InterruptedException e) {
                    return;
                }
            }
            log.println("The end of " + what + " (pid " + parent + ") ends the kernel.");
            server.shutDown();
        }));
    }

    /** Ctrl-C in the terminal that runs Jupyter interrupts the cell instead of killing the kernel. */
    private static void handleInterruptSignal(WorkbookKernel kernel) {
        // sun.misc.Signal (module jdk.unsupported) through reflection: a compile-time reference draws a warning
        try {
            Class<?> signalType = Class.forName("sun.misc.Signal");
            Class<?> handlerType = Class.forName("sun.misc.SignalHandler");
            Object handler = java.lang.reflect.Proxy.newProxyInstance(handlerType.getClassLoader(), new Class<?>[]{handlerType},
                    (proxy, method, args) -> {
                        if ("handle".equals(method.getName())) {
                            kernel.interrupt();
                        }
                        return null;
                    });
            Object interrupt = signalType.getConstructor(String.class).newInstance("INT");
            signalType.getMethod("handle", signalType, handlerType).invoke(null, interrupt, handler);
        } catch (ReflectiveOperationException | RuntimeException unsupported) {
            // no SIGINT handling here: interrupts come as messages only
        }
    }

    /** Ends every process the kernel started, so that a stopped kernel leaves no orphans. */
    private static void endChildProcesses() {
        List<ProcessHandle> children = new ArrayList<>();
        ProcessHandle.current().descendants().forEach(children::add);
        if (!children.isEmpty()) {
            ChildProcesses.terminate(children, STOP_GRACE);
        }
    }

    private static void configureLogging() {
        String level = System.getenv().getOrDefault("WORKBOOK_KERNEL_LOG", "warn");
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", level);
        System.setProperty("org.slf4j.simpleLogger.logFile", "System.err");
        System.setProperty("org.slf4j.simpleLogger.cacheOutputStream", "true");
        System.setProperty("org.slf4j.simpleLogger.showThreadName", "true");
        System.setProperty("org.slf4j.simpleLogger.showShortLogName", "true");
        org.slf4j.LoggerFactory.getLogger(KernelLauncher.class); // binds the logger to the terminal's stderr now
    }

    static String version() {
        String version = KernelLauncher.class.getPackage().getImplementationVersion();
        return version != null ? version : "dev";
    }
}
