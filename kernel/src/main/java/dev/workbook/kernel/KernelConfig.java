package dev.workbook.kernel;

import dev.workbook.kernel.eval.MagicSyntax;
import dev.workbook.kernel.exec.CellClassLoader;

import java.io.File;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The kernel's settings from the environment, under IJava's names and JJava's (both are read; when both
 * are set, list settings are combined and the JJava timeout wins):
 * <ul>
 *   <li>{@code IJAVA_CLASSPATH} / {@code JJAVA_CLASSPATH}: class path entries (globs allowed), separated by
 *       the platform's path separator;</li>
 *   <li>{@code IJAVA_TIMEOUT} / {@code JJAVA_TIMEOUT}: a limit per top-level statement, in milliseconds or
 *       as {@code "30 SECONDS"}; below 1, no limit;</li>
 *   <li>{@code IJAVA_STARTUP_SCRIPTS_PATH} / {@code JJAVA_STARTUP_SCRIPTS_PATH}: {@code .jshell} scripts
 *       (globs allowed) run at start-up;</li>
 *   <li>{@code IJAVA_STARTUP_SCRIPT} / {@code JJAVA_STARTUP_SCRIPT}: code run at start-up;</li>
 *   <li>{@code IJAVA_COMPILER_OPTS} / {@code JJAVA_COMPILER_OPTS}: javac options, separated by spaces;</li>
 *   <li>{@code IJAVA_JVM_OPTS} / {@code JJAVA_JVM_OPTS}: options for the kernel's JVM, separated by spaces
 *       (double quotes group: {@code "-Dtitle=a b"}), applied by starting the kernel in a JVM that has them (see
 *       {@link KernelJvm});</li>
 *   <li>{@code JJAVA_LOAD_EXTENSIONS}: {@code 0} or {@code false} turns extension loading off;</li>
 *   <li>{@code WORKBOOK_KERNEL_STOP_CHECKS}: which classes get the check points that let an interrupt stop
 *       them: {@code all} (default), {@code cells} (snippets only: jars run unchanged), {@code off}.</li>
 * </ul>
 */
final class KernelConfig {

    private static final Pattern DURATION = Pattern.compile("^\\s*(-?\\d+)\\s*([A-Za-z]*)\\s*$");

    final List<String> classpath;
    final long timeoutNanos;
    final String timeoutText;
    final List<String> startupScriptPaths;
    final List<String> startupScripts;
    final List<String> compilerOptions;
    final List<String> jvmOptions;
    final boolean loadExtensions;
    final CellClassLoader.StopChecks stopChecks;
    final List<String> problems;

    private KernelConfig(List<String> classpath, long timeoutNanos, String timeoutText, List<String> startupScriptPaths,
                         List<String> startupScripts, List<String> compilerOptions, List<String> jvmOptions,
                         boolean loadExtensions,
                         CellClassLoader.StopChecks stopChecks, List<String> problems) {
        this.classpath = classpath;
        this.timeoutNanos = timeoutNanos;
        this.timeoutText = timeoutText;
        this.startupScriptPaths = startupScriptPaths;
        this.startupScripts = startupScripts;
        this.compilerOptions = compilerOptions;
        this.jvmOptions = jvmOptions;
        this.loadExtensions = loadExtensions;
        this.stopChecks = stopChecks;
        this.problems = problems;
    }

    static KernelConfig from(Map<String, String> env) {
        List<String> problems = new ArrayList<>();
        List<String> classpath = new ArrayList<>();
        List<String> scriptPaths = new ArrayList<>();
        List<String> scripts = new ArrayList<>();
        List<String> compilerOptions = new ArrayList<>();
        List<String> jvmOptions = new ArrayList<>();
        for (String prefix : new String[]{"IJAVA_", "JJAVA_"}) {
            classpath.addAll(pathList(env.get(prefix + "CLASSPATH")));
            scriptPaths.addAll(pathList(env.get(prefix + "STARTUP_SCRIPTS_PATH")));
            String script = env.get(prefix + "STARTUP_SCRIPT");
            if (script != null && !script.isBlank()) {
                scripts.add(script);
            }
            String options = env.get(prefix + "COMPILER_OPTS");
            if (options != null && !options.isBlank()) {
                compilerOptions.addAll(Arrays.asList(options.trim().split("\\s+")));
            }
            String jvm = env.get(prefix + "JVM_OPTS");
            if (jvm != null && !jvm.isBlank()) {
                jvmOptions.addAll(MagicSyntax.splitArguments(jvm)); // words as magics' arguments: "a b" is one
            }
        }
        long timeout = -1;
        String timeoutText = "";
        for (String name : new String[]{"IJAVA_TIMEOUT", "JJAVA_TIMEOUT"}) {
            String value = env.get(name);
            if (value == null || value.isBlank()) {
                continue;
            }
            Matcher m = DURATION.matcher(value);
            TimeUnit unit = null;
            if (m.matches()) {
                unit = m.group(2).isEmpty() ? TimeUnit.MILLISECONDS : unit(m.group(2));
            }
            if (unit == null) {
                problems.add(name + "=" + value + " is not a duration: give milliseconds (30000) or a number and"
                        + " a unit (30 SECONDS); no time limit applies");
                continue;
            }
            long amount = Long.parseLong(m.group(1));
            timeout = amount < 1 ? -1 : unit.toNanos(amount);
            timeoutText = amount + " " + unit.name().toLowerCase(Locale.ROOT);
        }
        String extensions = env.get("JJAVA_LOAD_EXTENSIONS");
        boolean loadExtensions = extensions == null
                || !(extensions.trim().equals("0") || extensions.trim().equalsIgnoreCase("false"));
        CellClassLoader.StopChecks stopChecks = CellClassLoader.StopChecks.ALL;
        try {
            stopChecks = CellClassLoader.StopChecks.parse(env.get("WORKBOOK_KERNEL_STOP_CHECKS"));
        } catch (IllegalArgumentException e) {
            problems.add("WORKBOOK_KERNEL_STOP_CHECKS=" + env.get("WORKBOOK_KERNEL_STOP_CHECKS")
                    + " is not one of all, cells, off; all classes get stop checks");
        }
        return new KernelConfig(List.copyOf(classpath), timeout, timeoutText, List.copyOf(scriptPaths),
                List.copyOf(scripts), List.copyOf(compilerOptions), List.copyOf(jvmOptions), loadExtensions, stopChecks, List.copyOf(problems));
    }

    private static TimeUnit unit(String name) {
        String upper = name.toUpperCase(Locale.ROOT);
        for (TimeUnit unit : TimeUnit.values()) {
            if (unit.name().equals(upper) || unit.name().equals(upper + "S")) {
                return unit;
            }
        }
        switch (upper) {
            case "MS": return TimeUnit.MILLISECONDS;
            case "S": return TimeUnit.SECONDS;
            case "M": case "MIN": return TimeUnit.MINUTES;
            case "H": return TimeUnit.HOURS;
            default: return null;
        }
    }

    private static List<String> pathList(String value) {
        List<String> entries = new ArrayList<>();
        if (value != null) {
            for (String entry : value.split(File.pathSeparator)) {
                if (!entry.isBlank()) {
                    entries.add(entry.trim());
                }
            }
        }
        return entries;
    }
}
