package dev.workbook.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(NoOrphans.class)
class ClassDataArchiveTest {

    @Test
    void noArchiveWithoutADirectoryOrWithADirectoryOnTheClassPath(@TempDir Path directory) throws IOException {
        Path classes = Files.createDirectories(directory.resolve("classes"));
        Files.writeString(classes.resolve("A.class"), "not empty");
        assertNull(ClassDataArchive.plan(null, ChildClassPath.of(List.of()), List.of(), false));
        assertNull(ClassDataArchive.plan(directory.resolve("cds"), ChildClassPath.of(List.of(classes.toString())), List.of(), false),
                "JDK 17 cannot archive classes from a directory");
    }

    @Test
    void theFirstChildRecordsTheArchiveAndLaterOnesMapIt(@TempDir Path directory) throws IOException {
        Path jar = Files.writeString(directory.resolve("app.jar"), "stand-in");
        ChildClassPath classPath = ChildClassPath.of(List.of(jar.toString()));
        Path cds = directory.resolve("cds");

        ClassDataArchive first = ClassDataArchive.plan(cds, classPath, List.of("-Xmx64m"), false);
        assertTrue(first.flags().get(0).startsWith("-XX:ArchiveClassesAtExit=" + cds.toAbsolutePath()), first.flags().get(0));
        assertNull(ClassDataArchive.plan(cds, classPath, List.of("-Xmx64m"), false), "one recording at a time");

        Path recording = Path.of(first.flags().get(0).substring("-XX:ArchiveClassesAtExit=".length()));
        Files.writeString(recording, "archive bytes");
        first.childExited(0);
        ClassDataArchive later = ClassDataArchive.plan(cds, classPath, List.of("-Xmx64m"), false);
        assertTrue(later.flags().get(0).startsWith("-XX:SharedArchiveFile="), later.flags().get(0));
        assertTrue(Files.isRegularFile(Path.of(later.flags().get(0).substring("-XX:SharedArchiveFile=".length()))));
        assertTrue(Files.notExists(recording));

        ClassDataArchive otherFlags = ClassDataArchive.plan(cds, classPath, List.of("-Xmx128m"), false);
        assertTrue(otherFlags.flags().get(0).startsWith("-XX:ArchiveClassesAtExit="), "other flags, other archive");
        otherFlags.childExited(1);
        try (Stream<Path> files = Files.list(cds)) {
            assertEquals(1, files.count(), "a failed recording leaves nothing behind");
        }
    }

    @Test
    void onJdk24AndLaterTheFirstChildRecordsAnAotConfigurationAndLaterOnesStartFromTheCache(@TempDir Path directory) throws IOException {
        Path jar = Files.writeString(directory.resolve("app.jar"), "stand-in");
        ChildClassPath classPath = ChildClassPath.of(List.of(jar.toString()));
        Path cds = directory.resolve("cds");
        ClassDataArchive first = ClassDataArchive.plan(cds, classPath, List.of(), true);
        assertEquals("-XX:AOTMode=record", first.flags().get(0));
        assertTrue(first.flags().get(1).startsWith("-XX:AOTConfiguration=" + cds.toAbsolutePath()), first.flags().get(1));
        assertEquals(List.of("-XX:+UseSerialGC", "-Xmx64m"),
                ClassDataArchive.compatible(List.of("-XX:+UseSerialGC", "-Xshare:auto", "-Xmx64m"), first.flags()),
                "the AOT flags refuse any -Xshare");
        String configuration = first.flags().get(1).substring("-XX:AOTConfiguration=".length());
        first.childExited(1); // nothing recorded: nothing created, nothing left
        try (Stream<Path> files = Files.list(cds)) {
            assertEquals(0, files.count());
        }

        Path cache = cds.resolve(Path.of(configuration).getFileName().toString().replaceAll("\\.\\d+\\.tmp\\.aotconf$", ""));
        Files.writeString(cache, "cache bytes");
        ClassDataArchive later = ClassDataArchive.plan(cds, classPath, List.of(), true);
        assertEquals("-XX:AOTCache=" + cache.toAbsolutePath(), later.flags().get(0));
        assertEquals(List.of("-Xmx64m", "-Xshare:auto"), ClassDataArchive.compatible(List.of("-Xmx64m", "-Xshare:auto"), List.of("-XX:SharedArchiveFile=x")),
                "a CDS archive keeps them");
    }

    @Test
    void aRebuiltJarGetsAFreshArchiveSinceTheJvmWouldIgnoreTheOldOne(@TempDir Path directory) throws IOException {
        Path jar = Files.writeString(directory.resolve("app.jar"), "first build");
        ChildClassPath classPath = ChildClassPath.of(List.of(jar.toString()));
        Path cds = directory.resolve("cds");
        ClassDataArchive first = ClassDataArchive.plan(cds, classPath, List.of(), false);
        Files.writeString(Path.of(first.flags().get(0).substring("-XX:ArchiveClassesAtExit=".length())), "archive bytes");
        first.childExited(0);
        assertTrue(ClassDataArchive.plan(cds, classPath, List.of(), false).flags().get(0).startsWith("-XX:SharedArchiveFile="));

        Files.writeString(jar, "second build, longer");
        ClassDataArchive rebuilt = ClassDataArchive.plan(cds, classPath, List.of(), false);
        assertTrue(rebuilt.flags().get(0).startsWith("-XX:ArchiveClassesAtExit="), rebuilt.flags().get(0));
        rebuilt.childExited(1);
    }

    @Test
    void aRebuiltJarNamedOnlyInAManifestClassPathGetsAFreshArchive(@TempDir Path directory) throws IOException {
        Path dependency = Files.createDirectories(directory.resolve("lib")).resolve("dependency.jar");
        jarWithClassPath(dependency, "first build", null);
        Path application = jarWithClassPath(directory.resolve("app.jar"), "application", "lib/dependency.jar");
        ChildClassPath classPath = ChildClassPath.of(List.of(application.toString()));
        Path cds = directory.resolve("cds");
        ClassDataArchive first = ClassDataArchive.plan(cds, classPath, List.of(), false);
        Files.writeString(Path.of(first.flags().get(0).substring("-XX:ArchiveClassesAtExit=".length())), "archive bytes");
        first.childExited(0);
        assertTrue(ClassDataArchive.plan(cds, classPath, List.of(), false).flags().get(0).startsWith("-XX:SharedArchiveFile="));

        jarWithClassPath(dependency, "second build, a longer one", null);
        ClassDataArchive rebuilt = ClassDataArchive.plan(cds, classPath, List.of(), false);
        assertTrue(rebuilt.flags().get(0).startsWith("-XX:ArchiveClassesAtExit="),
                "the JVM checks the manifest's jars too, and would ignore the old archive: " + rebuilt.flags().get(0));
        rebuilt.childExited(1);
    }

    /** A jar holding one text entry, with a manifest naming {@code classPath} if it is not null. */
    private static Path jarWithClassPath(Path jar, String content, String classPath) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        if (classPath != null) {
            manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, classPath);
        }
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file, manifest)) {
            out.putNextEntry(new JarEntry("content.txt"));
            out.write(content.getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
        return jar;
    }

    @Test
    void aDirectoryKeepsOnlyTheNewestArchives(@TempDir Path directory) throws IOException {
        Path cds = Files.createDirectories(directory.resolve("cds"));
        Path jar = directory.resolve("app.jar");
        List<Path> published = new java.util.ArrayList<>();
        for (int build = 0; build < ClassDataArchive.MAX_ARCHIVES + 3; build++) {
            Files.writeString(jar, "build " + "x".repeat(build)); // each build a different size: a new archive
            ClassDataArchive recording = ClassDataArchive.plan(cds, ChildClassPath.of(List.of(jar.toString())), List.of(), false);
            String flag = recording.flags().get(0);
            Files.writeString(Path.of(flag.substring("-XX:ArchiveClassesAtExit=".length())), "archive " + build);
            recording.childExited(0);
            try (Stream<Path> files = Files.list(cds)) {
                Path newest = files.filter(file -> !published.contains(file)).findFirst().orElseThrow();
                Files.setLastModifiedTime(newest, java.nio.file.attribute.FileTime.fromMillis(1_000_000L * (build + 1)));
                published.add(newest);
            }
        }
        try (Stream<Path> files = Files.list(cds)) {
            assertEquals(java.util.Set.copyOf(published.subList(3, published.size())), java.util.Set.copyOf(files.toList()),
                    "the three oldest are gone, the newest " + ClassDataArchive.MAX_ARCHIVES + " kept");
        }
    }

    private static final String HELLO = """
            package extra;
            public class Hello implements dev.workbook.process.SerializableRunnable {
                public void run() {
                    boolean mapped = java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()
                            .stream().anyMatch(flag -> flag.startsWith("-XX:SharedArchiveFile=") || flag.startsWith("-XX:AOTCache="));
                    System.out.println(mapped ? "started from the archive" : "started without an archive");
                }
            }
            """;

    @Test
    void realChildrenRecordThenUseTheArchive(@TempDir Path directory) throws Exception {
        // A class path of jars only: this library's classes, and a target class.
        Path library = jar(directory.resolve("lib.jar"), Path.of("target", "classes"));
        Path sources = Files.createDirectories(directory.resolve("src/extra"));
        Files.writeString(sources.resolve("Hello.java"), HELLO);
        Path helloClasses = directory.resolve("hello-classes");
        assertEquals(0, ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", helloClasses.toString(),
                "-cp", System.getProperty("java.class.path"), sources.resolve("Hello.java").toString()));
        Path hello = jar(directory.resolve("hello.jar"), helloClasses);
        ChildClassPath classPath = ChildClassPath.of(List.of(library.toString(), hello.toString()));
        JvmOptions options = JvmOptions.defaults().withClassDataArchive(directory.resolve("cds"));

        try (URLClassLoader loader = new URLClassLoader(new URL[] {hello.toUri().toURL()}, getClass().getClassLoader())) {
            SerializableRunnable target = (SerializableRunnable) loader.loadClass("extra.Hello").getConstructor().newInstance();
            byte[] targetBytes = dev.workbook.codec.MessageCodec.trusting(getClass().getClassLoader()).serialize(target);
            assertEquals(List.of("started without an archive"), run(classPath, options, targetBytes));
            awaitNoRecording(directory.resolve("cds"));
            try (Stream<Path> files = Files.list(directory.resolve("cds"))) {
                assertEquals(1, files.filter(file -> file.toString().matches(".*\\.(jsa|aot)")).count(), "recorded at the first child's exit");
            }
            assertEquals(List.of("started from the archive"), run(classPath, options, targetBytes));
        }
    }

    /** Runs one child to its end, returns the lines it printed; fails if it printed on stderr or failed. */
    private static List<String> run(ChildClassPath classPath, JvmOptions options, byte[] target) throws Exception {
        try (Capture out = Capture.stdout(); Capture err = Capture.stderr()) {
            ChildJvm child = ChildJvm.launch("Process-cds", options, classPath);
            ProcessInfo self = new ProcessInfo("Process-cds", child.pid());
            child.wire().send(Wire.RUN, 0, WorkerProtocol.writeOrders(self, Processes.current(), ClassBundle.EMPTY, target));
            Wire.Frame frame;
            while ((frame = child.wire().receive(child::output)) != null) {
                if (frame.type() == Wire.OUTPUT) {
                    child.output(frame.payload());
                }
            }
            int exitCode = child.awaitExitCode();
            child.finishOutput(Duration.ofSeconds(5));
            child.closeWire();
            assertEquals(0, exitCode, err.text());
            // The AOT cache's recording run (JDK 24+) prints this one line whatever the logging flags say.
            assertEquals("", err.text().replaceAll("(?m)^ *(Temporary )?AOTConfiguration recorded: .*\\R?", ""), "no CDS warnings");
            // the archive is published when the process has exited: wait for that callback
            child.process().onExit().get();
            Thread.sleep(100);
            return out.lines();
        }
    }

    /**
     * Waits until the archive's recording is over: on JDK 24+ the AOT cache is created by a background
     * JVM after the recording child's exit, and its files ({@code .tmp}, {@code .aotconf}) are gone then.
     */
    private static void awaitNoRecording(Path cds) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            try (Stream<Path> files = Files.list(cds)) {
                if (files.noneMatch(file -> file.toString().matches(".*\\.(tmp|aotconf)"))) {
                    return;
                }
            }
            Thread.sleep(20);
        }
    }

    private static Path jar(Path jar, Path classes) throws IOException {
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file);
             Stream<Path> tree = Files.walk(classes)) {
            for (Path path : tree.filter(Files::isRegularFile).toList()) {
                out.putNextEntry(new JarEntry(classes.relativize(path).toString().replace('\\', '/')));
                Files.copy(path, out);
                out.closeEntry();
            }
        }
        assertNotEquals(0, Files.size(jar));
        return jar;
    }
}
