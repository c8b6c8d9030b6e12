package dev.workbook.process;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Starts a test main class in a JVM of its own, of this test JVM's family (so {@link NoOrphans} sees its children). */
final class TestJvm {

    private TestJvm() {
    }

    static List<String> command(Class<?> main, String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add(ChildJvm.AGRONA_EXPORT);
        command.add("-XX:+UseSerialGC");
        command.add("-XX:-UsePerfData"); // no /tmp/hsperfdata file, which a SIGKILLed JVM would leave behind
        command.add("-D" + Processes.FAMILY_PROPERTY + "=" + Processes.family());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(main.getName());
        command.addAll(List.of(args));
        return command;
    }

    /**
     * Whether a process is still running. A zombie is not: a dead child whose parent was killed waits
     * as a zombie until the system's init process reaps it, which can take a while in a container,
     * and {@link ProcessHandle#isAlive()} counts it as alive until then.
     */
    static boolean running(long pid) {
        Path stat = Path.of("/proc", Long.toString(pid), "stat");
        if (java.nio.file.Files.isDirectory(Path.of("/proc", "self"))) {
            try {
                String text = java.nio.file.Files.readString(stat);
                // pid (comm) state ...: comm may contain spaces and parentheses; the state follows the last ')'
                char state = text.charAt(text.lastIndexOf(')') + 2);
                return state != 'Z' && state != 'X';
            } catch (IOException e) {
                return false; // gone
            }
        }
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    static Process start(Class<?> main, String... args) throws IOException {
        return new ProcessBuilder(command(main, args))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectErrorStream(true)
                .start();
    }
}
