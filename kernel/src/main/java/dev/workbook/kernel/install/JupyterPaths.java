package dev.workbook.kernel.install;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Where Jupyter looks for kernelspecs, computed the way {@code jupyter_core} does, without needing Python
 * (except to learn {@code sys.prefix} for {@code --sys-prefix}).
 */
final class JupyterPaths {

    private JupyterPaths() {
    }

    /** The user's Jupyter data directory: {@code $JUPYTER_DATA_DIR}, else the platform's default. */
    static Path userDataDirectory() {
        String explicit = System.getenv("JUPYTER_DATA_DIR");
        if (explicit != null && !explicit.isBlank()) {
            return Path.of(explicit);
        }
        Path home = Path.of(System.getProperty("user.home"));
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        if (os.contains("mac")) {
            return home.resolve("Library/Jupyter");
        }
        if (os.contains("win")) {
            String appData = System.getenv("APPDATA");
            return appData != null ? Path.of(appData, "jupyter") : home.resolve("AppData/Roaming/jupyter");
        }
        String xdg = System.getenv("XDG_DATA_HOME");
        return xdg != null && !xdg.isBlank() ? Path.of(xdg, "jupyter") : home.resolve(".local/share/jupyter");
    }

    static Path firstJupyterPath() {
        String value = System.getenv("JUPYTER_PATH");
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("--jupyter-path needs the JUPYTER_PATH environment variable to be set.");
        }
        return Path.of(value.split(File.pathSeparator)[0]);
    }

    /** {@code sys.prefix} of the Python that runs Jupyter. */
    static Path sysPrefix(Path python) {
        Path interpreter = python != null ? python : jupyterInterpreter();
        try {
            Process process = new ProcessBuilder(interpreter.toString(), "-c", "import sys; print(sys.prefix)")
                    .redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0 || output.isEmpty()) {
                throw new IllegalArgumentException("Could not ask " + interpreter + " for sys.prefix: " + output);
            }
            return Path.of(output);
        } catch (IOException e) {
            throw new IllegalArgumentException("Could not run " + interpreter + " to learn sys.prefix (" + e.getMessage()
                    + "); name the Python that runs Jupyter with --python, or use --prefix.");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalArgumentException("interrupted");
        }
    }

    /** The interpreter in the {@code #!} line of {@code jupyter} on the PATH, else {@code python3}. */
    private static Path jupyterInterpreter() {
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(File.pathSeparator)) {
                Path jupyter = Path.of(dir, "jupyter");
                if (Files.isRegularFile(jupyter)) {
                    try {
                        String first = Files.readAllLines(jupyter).get(0);
                        if (first.startsWith("#!") && !first.contains(" ")) {
                            return Path.of(first.substring(2).trim());
                        }
                    } catch (IOException | RuntimeException ignored) {
                        // not a script: fall through
                    }
                }
            }
        }
        return Path.of("python3");
    }

    /** Kernelspec directories named {@code name} in Jupyter's other standard places, besides {@code installed}. */
    static List<Path> otherKernels(String name, Path installed) {
        Set<Path> dataDirs = new LinkedHashSet<>();
        String jupyterPath = System.getenv("JUPYTER_PATH");
        if (jupyterPath != null) {
            for (String dir : jupyterPath.split(File.pathSeparator)) {
                if (!dir.isBlank()) {
                    dataDirs.add(Path.of(dir));
                }
            }
        }
        dataDirs.add(userDataDirectory());
        dataDirs.add(Path.of("/usr/local/share/jupyter"));
        dataDirs.add(Path.of("/usr/share/jupyter"));
        List<Path> others = new ArrayList<>();
        for (Path dir : dataDirs) {
            Path candidate = dir.resolve("kernels").resolve(name);
            if (Files.isRegularFile(candidate.resolve("kernel.json"))
                    && !candidate.toAbsolutePath().normalize().equals(installed.toAbsolutePath().normalize())) {
                others.add(candidate);
            }
        }
        return others;
    }
}
