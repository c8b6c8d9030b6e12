package dev.workbook.kernel.eval;

import dev.workbook.kernel.exec.CellRun;
import jdk.jshell.Diag;
import jdk.jshell.EvalException;
import jdk.jshell.JShellException;

import java.util.ArrayList;
import java.util.List;

/**
 * Words failures for the notebook. Compile errors point at the line and column of the cell; runtime
 * errors list the cell lines that were running (innermost first, with their text) before any frame of
 * library or JDK code, and never show the kernel's own frames.
 */
final class FailureReports {

    static final String RED = "\u001b[0;31m";
    static final String BOLD_RED = "\u001b[1;31m";
    static final String GREEN = "\u001b[0;32m";
    static final String CYAN = "\u001b[0;36m";
    static final String RESET = "\u001b[0m";

    private static final int LIBRARY_FRAMES_SHOWN = 8;

    private FailureReports() {
    }

    /** A diagnostic of a rejected snippet, placed in the cell. */
    static final class Placed {
        final Diag diag;
        final int line;
        final int column;
        final int endColumn;

        Placed(Diag diag, int line, int column, int endColumn) {
            this.diag = diag;
            this.line = line;
            this.column = column;
            this.endColumn = endColumn;
        }
    }

    static CellFailure compilation(String label, String[] cellLines, List<Placed> errors) {
        List<String> lines = new ArrayList<>();
        String first = "";
        for (Placed error : errors) {
            String message = message(error.diag);
            if (first.isEmpty()) {
                first = message + " (" + label + ", line " + (error.line + 1) + ", column " + (error.column + 1) + ")";
            }
            lines.add(GREEN + label + ", line " + (error.line + 1) + ", column " + (error.column + 1) + RESET);
            String text = error.line < cellLines.length ? cellLines[error.line] : "";
            lines.add("    " + text);
            lines.add("    " + caretLine(text, error.column, error.endColumn));
            lines.add(RED + message + RESET);
        }
        lines.add(0, BOLD_RED + "Compilation error" + (errors.size() > 1 ? "s" : "") + ":" + RESET);
        return new CellFailure("CompilationException", first, lines);
    }

    /** The diagnostic's message without javac's "location:" lines (the cell line says where). */
    private static String message(Diag diag) {
        StringBuilder text = new StringBuilder();
        for (String line : diag.getMessage(null).split("\n")) {
            if (!line.trim().startsWith("location:")) {
                text.append(text.length() == 0 ? "" : "\n").append(line);
            }
        }
        return text.toString();
    }

    private static String caretLine(String text, int from, int to) {
        StringBuilder carets = new StringBuilder();
        for (int i = 0; i < from && i < text.length(); i++) {
            carets.append(text.charAt(i) == '\t' ? '\t' : ' ');
        }
        int width = Math.max(1, Math.min(to, Math.max(text.length(), from + 1)) - from);
        return carets + RED + "^".repeat(width) + RESET;
    }

    static CellFailure incomplete(String label, String[] cellLines, int line) {
        List<String> lines = new ArrayList<>();
        lines.add(BOLD_RED + "Incomplete input:" + RESET + " the code from " + label + ", line " + (line + 1)
                + " on does not end (a missing closing bracket, brace or quote?)");
        lines.add("    " + (line < cellLines.length ? cellLines[line] : ""));
        return new CellFailure("IncompleteSourceException", "the code from line " + (line + 1) + " on does not end", lines);
    }

    /** An exception thrown by a snippet, with its frames translated to cell lines. */
    static CellFailure runtime(JShellException error, SnippetIndex index) {
        String className = error instanceof EvalException ? ((EvalException) error).getExceptionClassName() : error.getClass().getName();
        String message = error.getMessage() == null ? "" : error.getMessage();
        if (className.endsWith("SystemExitTrap$ExitRequestedError") || className.endsWith("MagicException")) {
            String shortName = className.substring(className.lastIndexOf('$') + 1);
            shortName = shortName.substring(shortName.lastIndexOf('.') + 1);
            return new CellFailure(shortName, message, List.of(BOLD_RED + shortName + RESET + ": " + message));
        }
        List<String> lines = new ArrayList<>();
        describe(error, className, message, index, lines, "");
        Throwable cause = error.getCause();
        for (int depth = 0; cause != null && depth < 8; depth++, cause = cause.getCause()) {
            String causeName = cause instanceof EvalException ? ((EvalException) cause).getExceptionClassName() : cause.getClass().getName();
            describe(cause, causeName, cause.getMessage() == null ? "" : cause.getMessage(), index, lines, "Caused by: ");
        }
        return new CellFailure(className.substring(className.lastIndexOf('.') + 1), message, lines);
    }

    private static void describe(Throwable error, String className, String message, SnippetIndex index,
                                 List<String> lines, String prefix) {
        lines.add(BOLD_RED + prefix + className + RESET + (message.isEmpty() ? "" : ": " + message));
        StackTraceElement[] frames = error.getStackTrace();
        int firstCellFrame = frames.length;
        for (int i = 0; i < frames.length; i++) {
            if (cellOrigin(frames[i], index) != null) {
                firstCellFrame = i;
                break;
            }
        }
        for (int i = firstCellFrame; i < frames.length; i++) {
            SnippetIndex.Origin origin = cellOrigin(frames[i], index);
            if (origin == null) {
                continue; // a library frame between two cell frames (a callback): the cell lines matter
            }
            int line = origin.cellLine(frames[i].getLineNumber());
            String method = frames[i].getMethodName();
            String owner = frames[i].getClassName();
            String in = method.isEmpty() ? "" : ", in " + (owner.isEmpty() ? "" : owner + ".") + method;
            lines.add(GREEN + origin.label + ", line " + (line + 1) + RESET + in);
            lines.add(CYAN + String.format("%6d | ", line + 1) + RESET + origin.text(line));
        }
        if (firstCellFrame > 0) {
            lines.add(firstCellFrame == frames.length ? "thrown in:" : "thrown inside:");
            int shown = Math.min(firstCellFrame, LIBRARY_FRAMES_SHOWN);
            for (int i = 0; i < shown; i++) {
                lines.add("    at " + frames[i]);
            }
            if (firstCellFrame > shown) {
                lines.add("    ... " + (firstCellFrame - shown) + " more");
            }
        }
    }

    private static SnippetIndex.Origin cellOrigin(StackTraceElement frame, SnippetIndex index) {
        String file = frame.getFileName();
        return file != null && file.startsWith("#") ? index.origin(file.substring(1)) : null;
    }

    static CellFailure unresolved(String label, String[] cellLines, int line, List<String> missing) {
        List<String> lines = new ArrayList<>();
        lines.add(BOLD_RED + "Unresolved references" + RESET + " in " + label + ", line " + (line + 1) + ":");
        lines.add("    " + (line < cellLines.length ? cellLines[line] : ""));
        for (String name : missing) {
            lines.add(RED + "    cannot use it until " + name + " is declared" + RESET);
        }
        return new CellFailure("UnresolvedReferenceException", "uses " + String.join(", ", missing)
                + ", which " + (missing.size() == 1 ? "is" : "are") + " not declared", lines);
    }

    /**
     * A cell used a declaration that no longer compiles because something it uses was redefined (a
     * method's return type changed under its caller): JShell reports it as an unresolved reference
     * with no unresolved name.
     */
    static CellFailure broken(String label, String[] cellLines, int line, String name, List<String> errors) {
        List<String> lines = new ArrayList<>();
        lines.add(BOLD_RED + name + " cannot be used" + RESET + " in " + label + ", line " + (line + 1) + ":");
        lines.add("    " + (line < cellLines.length ? cellLines[line] : ""));
        String why = errors.isEmpty() ? "it no longer compiles" : "it no longer compiles: " + String.join("; ", errors);
        lines.add(RED + "    " + why + "; declare it again, corrected" + RESET);
        return new CellFailure("UnresolvedReferenceException", name + " cannot be used: " + why, lines);
    }

    static CellFailure interrupted(CellRun run) {
        String reason = run.interruption();
        boolean timedOut = reason != null && reason.startsWith("timed out");
        List<String> lines = new ArrayList<>();
        lines.add(BOLD_RED + (timedOut ? "Timed out" : "Interrupted") + RESET + ": the cell was stopped ("
                + reason + ").");
        List<String> ended = run.terminatedProcesses();
        if (!ended.isEmpty()) {
            lines.add("Ended " + ended.size() + " child process" + (ended.size() == 1 ? "" : "es") + " the cell started:");
            ended.forEach(p -> lines.add("    " + p));
        }
        if (run.abandonedThread() != null) {
            lines.add(RED + "The " + run.abandonedThread() + " did not stop: it is in code the kernel cannot"
                    + " interrupt and keeps running in the background. Restart the kernel to end it." + RESET);
        }
        return new CellFailure(timedOut ? "EvaluationTimeoutException" : "EvaluationInterruptedException", reason, lines);
    }

    static CellFailure plain(String name, String message) {
        return new CellFailure(name, message, List.of(BOLD_RED + name + RESET + ": " + message));
    }

    /** A failure of the kernel itself; shows the whole stack, which is then worth a bug report. */
    static CellFailure internal(Throwable error) {
        List<String> lines = new ArrayList<>();
        lines.add(BOLD_RED + "Kernel error" + RESET + ": " + error);
        for (StackTraceElement frame : error.getStackTrace()) {
            lines.add("    at " + frame);
        }
        return new CellFailure(error.getClass().getSimpleName(), String.valueOf(error.getMessage()), lines);
    }
}
