package dev.workbook.measure;

import dev.workbook.process.CompletedProcess;
import dev.workbook.process.Subprocess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Finds the CPython that runs the lesson's Python programs beside the JVM: Debian's
 * {@code /usr/bin/python3} first (it has {@code multiprocessing} and, on the workbook's machines,
 * Jupyter), then the {@code python3} on the path. The one place that chooses the interpreter, for
 * the notebooks, the scripts and the IPC benchmark.
 */
public final class CPython {

    private static final Path DEBIAN = Path.of("/usr/bin/python3");
    private static final Duration VERSION_TIMEOUT = Duration.ofSeconds(20);

    private CPython() {
    }

    /**
     * The command of the first interpreter that answers {@code --version}; empty where none does.
     * Blocks while it asks (a few milliseconds; at most 20 s for a python3 that hangs).
     *
     * @throws InterruptedException if interrupted while an interpreter answers (it is killed)
     */
    public static Optional<String> find() throws InterruptedException {
        for (String candidate : candidates()) {
            try {
                CompletedProcess version = Subprocess.of(candidate, "--version").timeout(VERSION_TIMEOUT).run();
                if (version.exitCode() == 0) {
                    return Optional.of(candidate);
                }
            } catch (IOException e) {
                // not installed (or timed out): try the next
            }
        }
        return Optional.empty();
    }

    /**
     * The command of the interpreter, as {@link #find} chooses it.
     *
     * @throws IllegalStateException naming what to install where there is no python3
     * @throws InterruptedException  if interrupted while an interpreter answers
     */
    public static String require() throws InterruptedException {
        return find().orElseThrow(() -> new IllegalStateException("no python3 here (looked for " + DEBIAN
                + " and python3 on the PATH): install Python 3, on Debian or Ubuntu with apt-get install python3"));
    }

    /** Where to look, in order. */
    static List<String> candidates() {
        return Files.isExecutable(DEBIAN) ? List.of(DEBIAN.toString(), "python3") : List.of("python3");
    }
}
