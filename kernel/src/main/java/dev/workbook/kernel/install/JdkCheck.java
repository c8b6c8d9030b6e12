package dev.workbook.kernel.install;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Checks that a java executable is a JDK the kernel runs on: version 17 or newer, with JShell. */
final class JdkCheck {

    private static final Pattern BASE = Pattern.compile("java\\.base@(\\d+)");

    private JdkCheck() {
    }

    /** What is wrong with {@code java} for running the kernel, or null if nothing. */
    static String problemWith(Path java) {
        if (!Files.isExecutable(java)) {
            return "There is no java executable at " + java + "; give a JDK's bin/java with --java.";
        }
        String modules;
        try {
            Process process = new ProcessBuilder(java.toString(), "--list-modules").redirectErrorStream(true).start();
            modules = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return java + " --list-modules did not answer within a minute.";
            }
        } catch (IOException e) {
            return "Cannot run " + java + ": " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
        Matcher base = BASE.matcher(modules);
        if (!base.find()) {
            return java + " does not look like Java 9 or newer (no module list); the kernel needs a JDK 17 or newer.";
        }
        int feature = Integer.parseInt(base.group(1));
        if (feature < 17) {
            return java + " is Java " + feature + "; the kernel needs a JDK 17 or newer.";
        }
        if (!modules.contains("jdk.jshell@")) {
            return java + " has no JShell (module jdk.jshell): it is a JRE or a trimmed runtime; the kernel needs a full JDK.";
        }
        return null;
    }
}
