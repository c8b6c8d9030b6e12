package dev.workbook.kernel.install;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The kernel's application class-data sharing archive: the classes a kernel loads while it starts and
 * runs its first cells (JShell and the compiler, the sockets, the kernel), already parsed and verified,
 * which the kernel's JVM maps from {@value #ARCHIVE_NAME} in the kernelspec instead of loading them
 * again from the jars at every start.
 *
 * <p>The installer records it once, from a kernel run on the installed jars with the installed JVM
 * options ({@code -XX:ArchiveClassesAtExit}): the kernel starts on a scratch connection file, evaluates
 * a few typical cells and exits ({@code KernelMain --record-class-data}). The archive lives and dies with
 * the kernelspec directory (a reinstall records a new one; uninstall removes it). It is safe when
 * things change under it: the JVM checks the archive against the JDK and the class path's jars (size
 * and modification time) and starts without it when they differ, silently, since CDS's logging (on standard output, where the JVM prints its warnings) is off
 * ({@link #runtimeFlags}); the kernel is then as fast to start as without an archive, no slower.
 *
 * <p>Recording blocks for a few seconds (a kernel start-up). A failed or timed-out recording leaves
 * nothing behind (the partial file is deleted, the recording JVM killed) and the kernel is installed
 * without an archive.
 */
public final class ClassDataRecording {

    /** The kernel's argument for the recording run. */
    public static final String ARGUMENT = "--record-class-data";

    static final String ARCHIVE_NAME = "kernel.jsa";

    private static final long TIMEOUT_SECONDS = 180;

    /** Variables of the installer's environment that would change what the recording run does. */
    private static final List<String> KERNEL_VARIABLES = List.of("JPY_PARENT_PID", "WORKBOOK_KERNEL_LOG",
            "WORKBOOK_KERNEL_STOP_CHECKS");

    private ClassDataRecording() {
    }

    /** The JVM flags that make a kernel map {@code archive}; an unusable archive is ignored without a word. */
    static List<String> runtimeFlags(Path archive) {
        return List.of("-XX:SharedArchiveFile=" + archive, "-Xlog:cds*=off");
    }

    /**
     * Records the archive for a kernel in {@code kernelDir} started as {@code java jvmFlags -cp classPath};
     * blocks until the recording run ends.
     *
     * @return the archive, or null if it could not be recorded (then {@code problem} holds why)
     */
    static Path record(Path java, List<String> jvmFlags, String classPath, Path kernelDir, StringBuilder problem)
            throws InterruptedException {
        Path archive = kernelDir.resolve(ARCHIVE_NAME);
        Path partial = kernelDir.resolve(ARCHIVE_NAME + ".recording");
        Path connection = kernelDir.resolve("recording-connection.json");
        Path output = kernelDir.resolve("recording-output.txt");
        Process process = null;
        try {
            Files.writeString(connection, scratchConnection(), StandardCharsets.UTF_8);
            List<String> command = new ArrayList<>();
            command.add(java.toString());
            command.addAll(jvmFlags);
            command.add("-XX:ArchiveClassesAtExit=" + partial);
            command.add("-Xlog:cds*=off"); // it warns of every class it leaves out (generated, JFR)
            command.add("-cp");
            command.add(classPath);
            command.add("dev.workbook.kernel.KernelMain");
            command.add(ARGUMENT);
            command.add(connection.toString());
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(output.toFile()).directory(kernelDir.toFile());
            Map<String, String> env = builder.environment();
            env.keySet().removeIf(name -> name.startsWith("IJAVA_") || name.startsWith("JJAVA_")
                    || KERNEL_VARIABLES.contains(name)); // the archive is for the kernel as installed
            process = builder.start();
            process.getOutputStream().close();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                problem.append("the recording run did not end within ").append(TIMEOUT_SECONDS).append(" s");
                return null;
            }
            if (process.exitValue() != 0 || !Files.isRegularFile(partial) || Files.size(partial) == 0) {
                problem.append("the recording run ended with status ").append(process.exitValue())
                        .append(lastLines(output));
                return null;
            }
            Files.move(partial, archive, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return archive;
        } catch (IOException e) {
            problem.append(e.getMessage());
            return null;
        } finally {
            if (process != null && process.isAlive()) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
            for (Path scratch : new Path[]{partial, connection, output}) {
                try {
                    Files.deleteIfExists(scratch);
                } catch (IOException ignored) {
                    // a file of the kernelspec directory, removed with it on uninstall
                }
            }
        }
    }

    /** A connection file on free loopback ports with a random key, for a kernel nobody talks to. */
    private static String scratchConnection() throws IOException {
        List<ServerSocket> held = new ArrayList<>();
        try {
            InetAddress loopback = InetAddress.getLoopbackAddress();
            for (int i = 0; i < 5; i++) {
                held.add(new ServerSocket(0, 1, loopback)); // all held at once: five different ports
            }
            byte[] key = new byte[32];
            new SecureRandom().nextBytes(key);
            return "{\"transport\": \"tcp\", \"ip\": \"" + loopback.getHostAddress() + "\", "
                    + "\"shell_port\": " + held.get(0).getLocalPort() + ", \"iopub_port\": " + held.get(1).getLocalPort()
                    + ", \"stdin_port\": " + held.get(2).getLocalPort() + ", \"control_port\": " + held.get(3).getLocalPort()
                    + ", \"hb_port\": " + held.get(4).getLocalPort() + ", \"key\": \"" + HexFormat.of().formatHex(key)
                    + "\", \"signature_scheme\": \"hmac-sha256\", \"kernel_name\": \"\"}\n";
        } finally {
            for (ServerSocket socket : held) {
                socket.close();
            }
        }
    }

    private static String lastLines(Path output) {
        try {
            List<String> lines = Files.readAllLines(output, StandardCharsets.UTF_8);
            List<String> tail = lines.subList(Math.max(0, lines.size() - 5), lines.size());
            return tail.isEmpty() ? "" : ":\n  " + String.join("\n  ", tail);
        } catch (IOException e) {
            return "";
        }
    }
}
