package dev.workbook.sharedstate;

import dev.workbook.process.CompletedProcess;
import dev.workbook.process.Subprocess;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The lesson's claim, "lists, dictionaries and sets are thread-safe", run as a program in CPython on
 * this machine: {@code list.append} and {@code d[key] = value} from several threads keep every item,
 * while {@code x += 1} is three steps the GIL may interrupt (CPython 3.10 and later switches threads
 * only at backward jumps and calls, so a bare {@code x += 1} usually loses nothing, and
 * {@code x += one()}, with a call between the load and the store, does lose updates).
 *
 * <p>The program is {@code shared_state.py}, a resource next to this class, run with Debian's
 * {@code /usr/bin/python3} when it is there, else the {@code python3} on the path. Its results come
 * back as {@link ContentionRun}s of runtime {@value #RUNTIME}, to sit in one table with the JVM's.
 */
public final class CPythonSharedState {

    /** The runtime column of CPython's rows. */
    public static final String RUNTIME = "CPython threads";

    private static final Path DEBIAN_PYTHON = Path.of("/usr/bin/python3");
    private static final Duration TIME_LIMIT = Duration.ofMinutes(2);
    private static final Pattern RESULT = Pattern.compile("^RESULT (.*)$", Pattern.MULTILINE);

    /** What each case of the script is: its name in the table, its code, and whether the lesson calls it safe. */
    private record Case(String strategy, String tool, boolean threadSafe) {
    }

    private static final Map<String, Case> CASES = Map.of(
            "list.append", new Case("list-append", "list.append(i)", true),
            "dict[key]=value", new Case("dict-setitem", "d[i] = i", true),
            "x+=1", new Case("int-plus-equals", "x += 1 (global int)", false),
            "x+=one()", new Case("int-plus-equals-call", "x += one() (global int)", false));

    private CPythonSharedState() {
    }

    /** The interpreter that would run: {@code /usr/bin/python3} if executable, else {@code python3} from the path. */
    public static String interpreter() {
        return Files.isExecutable(DEBIAN_PYTHON) ? DEBIAN_PYTHON.toString() : "python3";
    }

    /** Why CPython's rows cannot be measured here (no python3 runs), or empty when they can. */
    public static Optional<String> unavailableReason() {
        try {
            CompletedProcess version = Subprocess.of(interpreter(), "--version").timeout(Duration.ofSeconds(20)).run();
            return version.exitCode() == 0 ? Optional.empty()
                    : Optional.of(interpreter() + " --version failed with exit code " + version.exitCode());
        } catch (IOException e) {
            return Optional.of("no python3 found: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("interrupted while looking for python3");
        }
    }

    /**
     * Runs the four cases with {@code threads} threads adding {@code operations} items each.
     *
     * @throws IllegalStateException if python3 cannot run the script, fails, or prints no results;
     *                               the message has its output
     * @throws InterruptedException  if interrupted; the interpreter is killed
     */
    public static ContentionResult run(int threads, int operations) throws InterruptedException {
        Contention.requireSizes(threads, operations);
        Path script = null;
        try {
            script = Files.createTempFile("shared_state", ".py");
            try (InputStream in = CPythonSharedState.class.getResourceAsStream("shared_state.py")) {
                if (in == null) {
                    throw new IllegalStateException("shared_state.py is missing from the class path, next to "
                            + CPythonSharedState.class.getName() + ": rebuild the library");
                }
                Files.write(script, in.readAllBytes());
            }
            CompletedProcess python = Subprocess.of(interpreter(), script.toString(), String.valueOf(threads),
                    String.valueOf(operations)).timeout(TIME_LIMIT).run();
            if (python.exitCode() != 0) {
                throw new IllegalStateException(interpreter() + " shared_state.py failed with exit code "
                        + python.exitCode() + ":\n" + python.stdout() + python.stderr());
            }
            return parse(python.stdout());
        } catch (IOException e) {
            throw new IllegalStateException("could not run " + interpreter() + " shared_state.py: " + e.getMessage()
                    + " (is python3 installed? see unavailableReason())", e);
        } finally {
            deleteScript(script);
        }
    }

    /** The script's RESULT lines as runs; anything else it printed is ignored. */
    static ContentionResult parse(String output) {
        List<ContentionRun> runs = new ArrayList<>();
        Matcher matcher = RESULT.matcher(output);
        while (matcher.find()) {
            Map<String, String> fields = new LinkedHashMap<>();
            for (String field : matcher.group(1).trim().split("\\s+")) {
                int eq = field.indexOf('=');
                if (eq > 0) {
                    fields.put(field.substring(0, eq), field.substring(eq + 1));
                }
            }
            Case known = CASES.get(fields.get("case"));
            if (known == null) {
                throw new IllegalStateException("shared_state.py printed an unknown case: " + matcher.group());
            }
            runs.add(new ContentionRun(RUNTIME, known.strategy(), known.tool(), known.threadSafe(),
                    Integer.parseInt(fields.get("threads")), 1, Long.parseLong(fields.get("expected")),
                    Long.parseLong(fields.get("present")), Long.parseLong(fields.get("reported")),
                    Long.parseLong(fields.get("exceptions")), Long.parseLong(fields.get("wall_ns")), true));
        }
        if (runs.size() != CASES.size()) {
            throw new IllegalStateException("shared_state.py printed " + runs.size() + " results, not " + CASES.size()
                    + "; its output:\n" + output);
        }
        return new ContentionResult(runs);
    }

    private static void deleteScript(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                throw new UncheckedIOException("could not delete the temporary script " + file, e);
            }
        }
    }
}
