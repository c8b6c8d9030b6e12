package dev.workbook.kernel.install;

import com.google.gson.JsonObject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The installer writes a self-contained kernelspec, refuses to overwrite one, and removes only its own. */
class KernelInstallerTest {

    @TempDir
    Path build;
    @TempDir
    Path prefix;
    private Path jar;

    @BeforeEach
    void fakeABuiltKernel() throws Exception {
        jar = Files.writeString(build.resolve("workbook-kernel.jar"), "not really a jar");
        Files.createDirectories(build.resolve("lib"));
        Files.writeString(build.resolve("lib/dependency.jar"), "a dependency");
    }

    /** Installs the fake build; without recording a class-data archive, which needs a real kernel jar. */
    private int install(String... options) {
        List<String> args = new java.util.ArrayList<>(List.of("--no-class-data-archive"));
        args.addAll(List.of(options));
        return installRecording(args.toArray(new String[0]));
    }

    private int installRecording(String... options) {
        List<String> args = new java.util.ArrayList<>(List.of("--prefix", prefix.toString(), "--kernel-jar", jar.toString()));
        args.addAll(List.of(options));
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            return KernelInstaller.run(args.toArray(new String[0]));
        } finally {
            System.setOut(out);
            System.setErr(err);
            lastError = captured.toString(StandardCharsets.UTF_8);
            lastOutput = printed.toString(StandardCharsets.UTF_8);
        }
    }

    private String lastError = "";
    private String lastOutput = "";

    private List<String> argv(String name) {
        List<String> argv = new java.util.ArrayList<>();
        KernelInstaller.readSpec(kernelDir(name)).getAsJsonArray("argv").forEach(e -> argv.add(e.getAsString()));
        return argv;
    }

    private Path kernelDir(String name) {
        return prefix.resolve("share/jupyter/kernels").resolve(name);
    }

    @Test
    void installWritesAKernelspecThatDoesNotPointIntoTheBuild() {
        assertEquals(0, install());

        Path dir = kernelDir("java");
        JsonObject spec = KernelInstaller.readSpec(dir);
        List<String> argv = new java.util.ArrayList<>();
        spec.getAsJsonArray("argv").forEach(e -> argv.add(e.getAsString()));
        assertTrue(Files.isRegularFile(dir.resolve("workbook-kernel.jar")));
        assertTrue(Files.isRegularFile(dir.resolve("lib/dependency.jar")));
        assertTrue(Files.isRegularFile(dir.resolve("logo-64x64.png")));
        assertTrue(argv.contains("--add-exports") && argv.contains("java.base/jdk.internal.misc=ALL-UNNAMED"), argv.toString());
        assertTrue(argv.contains("-Djava.awt.headless=true"), argv.toString());
        assertTrue(argv.indexOf("jdk.jshell/jdk.jshell=ALL-UNNAMED") == argv.indexOf("--add-opens") + 1,
                "JShell's class files can be pruned: " + argv);
        assertEquals("{connection_file}", argv.get(argv.size() - 1));
        assertTrue(argv.stream().noneMatch(a -> a.contains(build.toString())), "nothing refers to the build: " + argv);
        assertEquals("Java (workbook)", spec.get("display_name").getAsString());
        assertEquals("java", spec.get("language").getAsString());
        assertEquals("message", spec.get("interrupt_mode").getAsString());
    }

    @Test
    void aKernelWhoseClassDataCannotBeRecordedIsInstalledWithoutAnArchiveAndWithoutScratchFiles() throws Exception {
        assertEquals(0, installRecording()); // the fake jar cannot run: the recording run fails

        assertTrue(lastOutput.contains("no class-data archive was recorded"), lastOutput);
        assertTrue(argv("java").stream().noneMatch(a -> a.startsWith("-XX:SharedArchiveFile")), argv("java").toString());
        try (java.util.stream.Stream<Path> files = Files.list(kernelDir("java"))) {
            assertEquals(List.of("kernel.json", "lib", "logo-32x32.png", "logo-64x64.png", "workbook-kernel.jar"),
                    files.map(f -> f.getFileName().toString()).sorted().collect(java.util.stream.Collectors.toList()));
        }
    }

    @Test
    void anExistingKernelIsNotOverwrittenWithoutReplace() {
        assertEquals(0, install());

        assertEquals(1, install());
        assertTrue(lastError.contains("already installed") && lastError.contains("--replace"), lastError);
        assertEquals(0, install("--replace"));
    }

    @Test
    void aKernelCanBeInstalledUnderAnotherName() {
        assertEquals(0, install("--name", "java-workbook", "--env", "IJAVA_CLASSPATH=/opt/x.jar"));

        JsonObject spec = KernelInstaller.readSpec(kernelDir("java-workbook"));
        assertEquals("Java (workbook, java-workbook)", spec.get("display_name").getAsString());
        assertEquals("/opt/x.jar", spec.getAsJsonObject("env").get("IJAVA_CLASSPATH").getAsString());
    }

    @Test
    void uninstallRemovesTheKernelItInstalled() {
        assertEquals(0, install());

        assertEquals(0, install("--uninstall"));
        assertFalse(Files.exists(kernelDir("java")));
    }

    @Test
    void uninstallLeavesAnotherKernelOfTheSameNameAlone() throws Exception {
        Path foreign = Files.createDirectories(kernelDir("java"));
        Files.writeString(foreign.resolve("kernel.json"), "{\"argv\": [\"java\", \"-jar\", \"ijava.jar\"], \"display_name\": \"Java\"}");

        assertEquals(1, install("--uninstall"));
        assertTrue(lastError.contains("not installed by this installer"), lastError);
        assertTrue(Files.exists(foreign.resolve("kernel.json")));
    }

    @Test
    void aJavaWithoutJShellIsRefused() throws Exception {
        Path fakeJava = Files.writeString(build.resolve("java"), "#!/bin/sh\necho 'java.base@17'\n");
        fakeJava.toFile().setExecutable(true);

        assertEquals(2, install("--java", fakeJava.toString()));
        assertTrue(lastError.contains("no JShell"), lastError);
    }
}
