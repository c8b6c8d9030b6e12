package dev.workbook.kernel.install;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * Installs (or removes) the kernelspec: a directory {@code <jupyter data>/kernels/<name>/} holding
 * {@code kernel.json}, the kernel jar, its libraries and a logo, so that the kernelspec does not depend on
 * the source tree it was built in.
 */
@Command(name = "install", mixinStandardHelpOptions = true, sortOptions = false,
        versionProvider = KernelInstaller.Version.class,
        description = {"Installs the workbook Java kernel as a Jupyter kernelspec (user-wide by default).",
                "Afterwards `jupyter kernelspec list` shows it and notebooks can pick \"Java (workbook)\"."})
public final class KernelInstaller implements Callable<Integer> {

    static final String MARKER = "workbook_kernel";
    static final String MAIN_CLASS = "dev.workbook.kernel.KernelMain";
    static final String JAR_NAME = "workbook-kernel.jar";

    @Option(names = "--user", description = "Install for the current user (the default): $JUPYTER_DATA_DIR, or ~/.local/share/jupyter on Linux.")
    boolean user;

    @Option(names = "--prefix", paramLabel = "DIR", description = "Install into DIR/share/jupyter/kernels (e.g. a virtual environment).")
    Path prefix;

    @Option(names = "--sys-prefix", description = "Install into the prefix of the Python that runs Jupyter (sys.prefix).")
    boolean sysPrefix;

    @Option(names = "--jupyter-path", description = "Install into the first directory of $JUPYTER_PATH.")
    boolean jupyterPath;

    @Option(names = "--name", defaultValue = "java", paramLabel = "NAME", description = "Kernelspec name (default: ${DEFAULT-VALUE}); notebooks refer to the kernel by it.")
    String name;

    @Option(names = "--display-name", paramLabel = "TEXT", description = "Name shown in Jupyter's kernel menu (default: \"Java (workbook)\").")
    String displayName;

    @Option(names = "--replace", description = "Overwrite a kernelspec of the same name at the destination.")
    boolean replace;

    @Option(names = "--uninstall", description = "Remove the kernelspec of this name from the destination instead.")
    boolean uninstall;

    @Option(names = "--java", paramLabel = "PATH", description = "The java executable the kernel runs on (a JDK 17 or newer; default: the one running this installer).")
    Path javaOption;

    @Option(names = "--jvm-opt", paramLabel = "OPTION", description = "An extra JVM option for the kernel, e.g. --jvm-opt=-Xmx4g (repeatable).")
    List<String> jvmOptions = new ArrayList<>();

    @Option(names = "--env", paramLabel = "KEY=VALUE", description = "An environment variable for the kernel, e.g. --env IJAVA_CLASSPATH=/opt/libs/*.jar (repeatable).")
    Map<String, String> environment = new LinkedHashMap<>();

    @Option(names = "--no-class-data-archive", description = "Do not record the class-data archive that makes the kernel start faster"
            + " (recording runs the kernel once, for a few seconds).")
    boolean noClassDataArchive;

    @Option(names = "--kernel-jar", paramLabel = "PATH", hidden = true,
            description = "The kernel jar to install, with its lib/ directory beside it (default: the jar this runs from).")
    Path kernelJar;

    @Option(names = "--python", paramLabel = "PATH", description = "For --sys-prefix: the Python that runs Jupyter (default: the interpreter of `jupyter` on PATH).")
    Path python;

    /** The kernel's version, from the jar's manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = KernelInstaller.class.getPackage().getImplementationVersion();
            return new String[]{"workbook Java kernel " + (version != null ? version : "(development build)")};
        }
    }

    /** Runs the installer with command-line arguments; returns the exit status. */
    public static int run(String... args) {
        return new CommandLine(new KernelInstaller()).execute(args);
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = new PrintWriter(System.out, true);
        Path kernels;
        try {
            kernels = kernelsDirectory();
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            return 2;
        }
        Path target = kernels.resolve(name);
        if (uninstall) {
            return uninstall(target, out);
        }
        if (Files.exists(target)) {
            if (!replace) {
                System.err.println("A kernel named '" + name + "' is already installed at " + target
                        + describeExisting(target) + ".\nUse --replace to overwrite it, or --name to install this"
                        + " kernel under another name.");
                return 1;
            }
            deleteTree(target);
        }
        Path jar = kernelJar != null ? kernelJar.toAbsolutePath() : ownJar();
        if (jar == null || !Files.isRegularFile(jar) || !Files.isDirectory(jar.resolveSibling("lib"))) {
            System.err.println("The installer runs from the packaged kernel jar (kernel/target/" + JAR_NAME
                    + " next to kernel/target/lib/); build it with: mvn -pl kernel -am package -DskipTests");
            return 2;
        }
        Path javaExecutable = javaOption != null ? javaOption.toAbsolutePath() : currentJava();
        String problem = JdkCheck.problemWith(javaExecutable);
        if (problem != null) {
            System.err.println(problem);
            return 2;
        }
        Files.createDirectories(target.resolve("lib"));
        Files.copy(jar, target.resolve(JAR_NAME), StandardCopyOption.REPLACE_EXISTING);
        Path lib = jar.resolveSibling("lib");
        try (Stream<Path> jars = Files.list(lib)) {
            for (Path dependency : (Iterable<Path>) jars.filter(p -> p.toString().endsWith(".jar"))::iterator) {
                Files.copy(dependency, target.resolve("lib").resolve(dependency.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Path archive = null;
        if (!noClassDataArchive) {
            StringBuilder recordingProblem = new StringBuilder();
            archive = ClassDataRecording.record(javaExecutable, jvmFlags(), classPath(target), target, recordingProblem);
            if (archive == null) {
                out.println("Note: no class-data archive was recorded (" + recordingProblem + "); the kernel works, and"
                        + " starts as fast as it would without one.");
            }
        }
        Files.writeString(target.resolve("kernel.json"), kernelJson(target, javaExecutable, archive), StandardCharsets.UTF_8);
        KernelLogo.write(target);
        out.println("Installed the Java kernel '" + name + "' (" + displayName() + ") in " + target);
        out.println("It runs on " + javaExecutable + ". Check with: jupyter kernelspec list");
        for (Path other : JupyterPaths.otherKernels(name, target)) {
            out.println("Note: another kernel named '" + name + "' is installed at " + other
                    + "; Jupyter uses the one found first in its search path (jupyter --paths).");
        }
        return 0;
    }

    private Integer uninstall(Path target, PrintWriter out) throws IOException {
        if (!Files.isDirectory(target)) {
            System.err.println("There is no kernel named '" + name + "' at " + target + ".");
            return 1;
        }
        if (!isOurs(target)) {
            System.err.println("The kernel '" + name + "' at " + target + " was not installed by this installer"
                    + describeExisting(target) + "; remove it with: jupyter kernelspec remove " + name);
            return 1;
        }
        deleteTree(target);
        out.println("Removed the Java kernel '" + name + "' from " + target);
        return 0;
    }

    private Path kernelsDirectory() {
        int chosen = (user ? 1 : 0) + (prefix != null ? 1 : 0) + (sysPrefix ? 1 : 0) + (jupyterPath ? 1 : 0);
        if (chosen > 1) {
            throw new IllegalArgumentException("Choose one destination: --user, --prefix, --sys-prefix or --jupyter-path.");
        }
        if (prefix != null) {
            return prefix.toAbsolutePath().resolve("share/jupyter/kernels");
        }
        if (sysPrefix) {
            return JupyterPaths.sysPrefix(python).resolve("share/jupyter/kernels");
        }
        if (jupyterPath) {
            return JupyterPaths.firstJupyterPath().resolve("kernels");
        }
        return JupyterPaths.userDataDirectory().resolve("kernels");
    }

    private String displayName() {
        if (displayName != null) {
            return displayName;
        }
        return "java".equals(name) ? "Java (workbook)" : "Java (workbook, " + name + ")";
    }

    /** The kernel JVM's options, as the recording run and {@code kernel.json} both give them. */
    private List<String> jvmFlags() {
        List<String> flags = new ArrayList<>();
        // Agrona (used by the workbook's shared-memory code) needs this export in every JVM that loads it.
        flags.add("--add-exports");
        flags.add("java.base/jdk.internal.misc=ALL-UNNAMED");
        // The kernel prunes JShell's in-memory class files (ReplClassFiles) so long sessions stay fast.
        flags.add("--add-opens");
        flags.add("jdk.jshell/jdk.jshell=ALL-UNNAMED");
        flags.add("-Djava.awt.headless=true");
        flags.add("-Dfile.encoding=UTF-8");
        flags.addAll(jvmOptions);
        return flags;
    }

    private static String classPath(Path target) {
        return target.resolve(JAR_NAME) + File.pathSeparator + target.resolve("lib") + File.separator + "*";
    }

    /** {@code kernel.json} for a kernel in {@code target}; {@code archive} is its class-data archive, or null. */
    String kernelJson(Path target, Path javaExecutable, Path archive) {
        JsonArray argv = new JsonArray();
        argv.add(javaExecutable.toString());
        if (archive != null) {
            ClassDataRecording.runtimeFlags(archive).forEach(argv::add);
        }
        jvmFlags().forEach(argv::add);
        argv.add("-cp");
        argv.add(classPath(target));
        argv.add(MAIN_CLASS);
        argv.add("{connection_file}");
        JsonObject env = new JsonObject();
        environment.forEach(env::addProperty);
        JsonObject marker = new JsonObject();
        marker.addProperty("java", javaExecutable.toString());
        JsonObject metadata = new JsonObject();
        metadata.add(MARKER, marker);
        JsonObject spec = new JsonObject();
        spec.add("argv", argv);
        spec.addProperty("display_name", displayName());
        spec.addProperty("language", "java");
        spec.addProperty("interrupt_mode", "message");
        spec.add("env", env);
        spec.add("metadata", metadata);
        Gson gson = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();
        return gson.toJson(spec) + "\n";
    }

    static boolean isOurs(Path kernelDir) {
        JsonObject spec = readSpec(kernelDir);
        return spec != null && spec.has("metadata") && spec.getAsJsonObject("metadata").has(MARKER);
    }

    private static String describeExisting(Path kernelDir) {
        JsonObject spec = readSpec(kernelDir);
        if (spec == null) {
            return "";
        }
        String display = spec.has("display_name") ? spec.get("display_name").getAsString() : "?";
        return " (\"" + display + "\"" + (isOurs(kernelDir) ? ", this kernel" : "") + ")";
    }

    static JsonObject readSpec(Path kernelDir) {
        Path json = kernelDir.resolve("kernel.json");
        if (!Files.isRegularFile(json)) {
            return null;
        }
        try {
            return JsonParser.parseString(Files.readString(json)).getAsJsonObject();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** The kernel jar this class runs from, if it runs from a jar that has a {@code lib} directory beside it. */
    private static Path ownJar() {
        try {
            Path location = Path.of(KernelInstaller.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (Files.isRegularFile(location) && Files.isDirectory(location.resolveSibling("lib"))) {
                return location;
            }
            return null;
        } catch (URISyntaxException e) {
            return null;
        }
    }

    private static Path currentJava() {
        return ProcessHandle.current().info().command().map(Path::of)
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java"));
    }

    static void deleteTree(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
