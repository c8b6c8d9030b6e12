package dev.workbook.kernel.eval;

import dev.workbook.kernel.exec.CellExecutionControl;
import dev.workbook.kernel.exec.CellRun;
import dev.workbook.kernel.exec.CpuClock;
import jdk.jshell.DeclarationSnippet;
import jdk.jshell.Diag;
import jdk.jshell.JShell;
import jdk.jshell.JShellException;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.UnresolvedReferenceException;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Evaluates a cell with JShell, one snippet (statement, declaration, expression) at a time, and turns
 * whatever goes wrong into a {@link CellFailure} that points at the cell's lines.
 *
 * <p>The temporary variables JShell makes for expression values ({@code $1}, {@code $2}...) are dropped when
 * their cell ends: every declaration left in JShell is compiled into each later snippet, and a long session
 * of expression cells would otherwise make every cell slower (from 24 to 40 ms per snippet after 1,200
 * expressions, measured on a busy machine). A notebook shows results as Out[n], never as {@code $n}. Then
 * the class files of what can no longer be used are pruned from JShell's compiler ({@link ReplClassFiles}).
 *
 * <p>A cell evaluates on the shell thread (JShell compiles there; each snippet then runs on a thread of
 * the cell, see {@link CellExecutionControl}). Code that a running snippet evaluates ({@code eval(...)},
 * {@code %load}) evaluates on the snippet's thread, while the shell thread waits for that snippet; other
 * threads may not evaluate, since JShell is not thread-safe.
 */
public final class CellEvaluator {

    /** What {@link #evaluate} returns when the cell's last snippet has no value to show. */
    public static final Object NO_VALUE = CellExecutionControl.NO_RESULT;

    private static final long STOP_WAIT_MILLIS = 30_000;
    private static final long COMPILE_TIME_SHOWN_NANOS = 100_000_000;

    private final JShell jshell;
    private final CellExecutionControl control;
    private final SnippetIndex index = new SnippetIndex();
    private final List<Snippet> temporaries = java.util.Collections.synchronizedList(new ArrayList<>());
    private final ReplClassFiles classFiles;
    private volatile CellRun current;

    public CellEvaluator(JShell jshell, CellExecutionControl control) {
        this.jshell = jshell;
        this.control = control;
        this.classFiles = ReplClassFiles.of(jshell);
    }

    /**
     * Evaluates {@code code} as the cell of {@code run}; blocks until it completes, fails or is stopped.
     *
     * @param label how errors name the code, e.g. {@code "Cell In[3]"}
     * @return the value of the cell's last snippet if it is an expression, else {@link #NO_VALUE}
     * @throws CellFailure if the code does not compile, throws, is incomplete or is interrupted
     */
    public Object evaluate(CellRun run, String label, String code) {
        CellSource source;
        try {
            source = CellSource.parse(code);
        } catch (IllegalArgumentException e) {
            throw FailureReports.plain("MagicSyntaxError", e.getMessage());
        }
        current = run;
        control.setRun(run);
        try {
            Object last = NO_VALUE;
            for (CellSource.Segment segment : source.segments()) {
                last = evaluateSegment(run, label, source.lines(), segment);
            }
            return last;
        } finally {
            control.setRun(null);
            control.clearResults();
            current = null;
            dropTemporaries();
            classFiles.prune();
        }
    }

    private void dropTemporaries() {
        List<Snippet> dropping;
        synchronized (temporaries) {
            dropping = new ArrayList<>(temporaries);
            temporaries.clear();
        }
        for (Snippet snippet : dropping) {
            try {
                jshell.drop(snippet);
            } catch (RuntimeException e) {
                // already gone (replaced by a later declaration): nothing to drop
            }
        }
    }

    /**
     * Evaluates one Java expression as {@code run}, for a request's {@code user_expressions}: like
     * {@link #evaluate}, but code that is not a single expression (a statement, a declaration, an
     * assignment, a magic) is refused before anything runs, so an expression cannot declare or change
     * what the notebook sees.
     *
     * @return the expression's value (null if it is null)
     * @throws CellFailure if it is not an expression, does not compile, throws or is interrupted
     */
    public Object evaluateExpression(CellRun run, String label, String expression) {
        String code = expression == null ? "" : expression.strip();
        List<Snippet> snippets = code.startsWith("%") ? List.of() : jshell.sourceCodeAnalysis().sourceToSnippets(code);
        if (snippets.size() != 1 || !isExpression(snippets.get(0))) {
            throw FailureReports.plain("NotAnExpression", label + " is not one Java expression: " + code);
        }
        Object value = evaluate(run, label, code);
        return value == NO_VALUE ? null : value;
    }

    /**
     * Evaluates code on behalf of the running cell's own code ({@code eval("1 + 2")}); returns the value
     * of its last expression, or null if there is none.
     *
     * @throws IllegalStateException if the calling thread is not a thread of the running cell
     */
    public Object evaluateNested(String code) {
        CellRun run = current;
        if (run == null || CellRun.of(Thread.currentThread()) != run) {
            throw new IllegalStateException("eval() can only evaluate code from the running cell's own thread");
        }
        CellSource source = CellSource.parse(code);
        Object last = NO_VALUE;
        for (CellSource.Segment segment : source.segments()) {
            last = evaluateSegment(run, "eval", source.lines(), segment);
        }
        return last == NO_VALUE ? null : last;
    }

    private Object evaluateSegment(CellRun run, String label, String[] cellLines, CellSource.Segment segment) {
        CpuClock.Span span = segment.timed ? new CpuClock.Span() : null;
        long started = System.nanoTime();
        if (span != null) {
            control.setTiming(span);
        }
        try {
            Object value = evaluateSnippets(run, label, cellLines, segment);
            if (span != null) {
                control.setTiming(null);
                printTiming(System.out, span, System.nanoTime() - started);
            }
            return value;
        } finally {
            if (span != null) {
                control.setTiming(null);
            }
        }
    }

    private Object evaluateSnippets(CellRun run, String label, String[] cellLines, CellSource.Segment segment) {
        String java = MagicSyntax.toJava(segment.code);
        SourceCodeAnalysis analysis = jshell.sourceCodeAnalysis();
        Placement placement = new Placement(java, segment);
        Object last = NO_VALUE;
        int offset = 0;
        String remaining = java;
        while (true) {
            SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(remaining);
            SourceCodeAnalysis.Completeness completeness = info.completeness();
            if (completeness == SourceCodeAnalysis.Completeness.EMPTY) {
                return last;
            }
            int lead = leadingWhitespace(remaining);
            if (!completeness.isComplete()) {
                throw FailureReports.incomplete(label, cellLines, placement.line(offset + lead));
            }
            String snippet = info.source().substring(Math.min(lead, info.source().length()));
            last = evaluateSnippet(run, label, cellLines, placement, offset + lead, snippet);
            offset += remaining.length() - info.remaining().length();
            remaining = info.remaining();
        }
    }

    private Object evaluateSnippet(CellRun run, String label, String[] cellLines, Placement placement,
                                   int start, String snippetSource) {
        List<SnippetEvent> events = jshell.eval(snippetSource);
        Object value = NO_VALUE;
        for (SnippetEvent event : events) {
            if (event.causeSnippet() != null) {
                noteBrokenDependent(event); // a dependent snippet was recompiled against this one
                continue;
            }
            Snippet snippet = event.snippet();
            int firstLine = placement.line(start);
            index.record(snippet.id(), new SnippetIndex.Origin(label, cellLines, firstLine));
            Object result = control.takeResult(event.value());
            checkInterrupted(run);
            // Not only REJECTED snippets fail: a declaration that cannot compile for a reason a later
            // declaration cannot fix ("cannot access p.Base": a jar lacks a superclass) is left
            // RECOVERABLE_NOT_DEFINED by JShell, with error diagnostics and no unresolved name.
            if (event.status() == Snippet.Status.REJECTED || hasErrors(snippet)) {
                throw compileFailure(label, cellLines, placement, start, snippet);
            }
            JShellException error = event.exception();
            if (error instanceof UnresolvedReferenceException) {
                DeclarationSnippet declaration = ((UnresolvedReferenceException) error).getSnippet();
                List<String> missing = jshell.unresolvedDependencies(declaration).collect(Collectors.toList());
                if (missing.isEmpty()) { // not a name declared later: it broke when something it uses changed
                    throw FailureReports.broken(label, cellLines, firstLine, declaration.name(), errorMessages(declaration));
                }
                throw FailureReports.unresolved(label, cellLines, firstLine, missing);
            }
            if (error != null) {
                throw FailureReports.runtime(error, index);
            }
            if (event.status() == Snippet.Status.RECOVERABLE_DEFINED
                    || event.status() == Snippet.Status.RECOVERABLE_NOT_DEFINED) {
                noteUnresolved(snippet);
            }
            value = isExpression(snippet) && result != NO_VALUE ? result : NO_VALUE;
            if (snippet.subKind() == Snippet.SubKind.TEMP_VAR_EXPRESSION_SUBKIND) {
                temporaries.add(snippet);
            }
        }
        return value;
    }

    /**
     * Throws the failure that reports {@code run}'s interruption (after the kernel has finished stopping
     * it) if it was interrupted; for work the kernel does for a cell after evaluating it.
     */
    public static void throwIfInterrupted(CellRun run) {
        checkInterrupted(run);
    }

    private static void checkInterrupted(CellRun run) {
        if (run.isInterrupted()) {
            try {
                run.awaitStopped(STOP_WAIT_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw FailureReports.interrupted(run);
        }
    }

    private boolean hasErrors(Snippet snippet) {
        return jshell.diagnostics(snippet).anyMatch(Diag::isError);
    }

    /**
     * Says, as the jshell tool does, when redefining something left an earlier declaration that uses it
     * unusable (a method whose return type changed under its callers): the cell itself succeeded.
     */
    private void noteBrokenDependent(SnippetEvent event) {
        Snippet dependent = event.snippet();
        if (!(dependent instanceof DeclarationSnippet) || event.status() == Snippet.Status.OVERWRITTEN
                || event.status() == Snippet.Status.DROPPED) {
            return;
        }
        List<String> errors = errorMessages(dependent);
        if (!errors.isEmpty()) {
            System.err.println("note: " + ((DeclarationSnippet) dependent).name() + " no longer compiles and"
                    + " cannot be used until this is corrected: " + String.join("; ", errors));
        }
    }

    /** The first line of each of the snippet's error diagnostics. */
    private List<String> errorMessages(Snippet snippet) {
        return jshell.diagnostics(snippet).filter(Diag::isError)
                .map(d -> d.getMessage(null).split("\n")[0]).collect(Collectors.toList());
    }

    private CellFailure compileFailure(String label, String[] cellLines, Placement placement, int start, Snippet snippet) {
        List<FailureReports.Placed> errors = new ArrayList<>();
        for (Diag diag : (Iterable<Diag>) jshell.diagnostics(snippet)::iterator) {
            if (!diag.isError()) {
                continue;
            }
            long from = diag.getStartPosition() >= 0 ? diag.getStartPosition() : Math.max(0, diag.getPosition());
            long to = diag.getEndPosition() >= from ? diag.getEndPosition() : from + 1;
            int line = placement.line(start + (int) from);
            int column = placement.column(start + (int) from);
            int endColumn = placement.line(start + (int) to) == line ? placement.column(start + (int) to) : Integer.MAX_VALUE;
            errors.add(new FailureReports.Placed(diag, line, column, endColumn));
        }
        if (errors.isEmpty()) {
            return FailureReports.plain("CompilationException", "the snippet at " + label + ", line "
                    + (placement.line(start) + 1) + " was rejected");
        }
        return FailureReports.compilation(label, cellLines, errors);
    }

    private void noteUnresolved(Snippet snippet) {
        if (snippet instanceof DeclarationSnippet) {
            List<String> missing = jshell.unresolvedDependencies((DeclarationSnippet) snippet).collect(Collectors.toList());
            if (!missing.isEmpty()) {
                System.err.println("note: " + ((DeclarationSnippet) snippet).name() + " can be used once "
                        + String.join(", ", missing) + (missing.size() == 1 ? " is" : " are") + " declared");
            }
        }
    }

    private static boolean isExpression(Snippet snippet) {
        switch (snippet.subKind()) {
            case VAR_VALUE_SUBKIND:
            case OTHER_EXPRESSION_SUBKIND:
            case TEMP_VAR_EXPRESSION_SUBKIND:
                return true;
            default:
                return false;
        }
    }

    private static int leadingWhitespace(String text) {
        int i = 0;
        while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
            i++;
        }
        return i;
    }

    /** Prints {@code %time}'s report, in IPython's words. */
    static void printTiming(PrintStream out, CpuClock.Span span, long segmentNanos) {
        StringBuilder report = new StringBuilder();
        if (span.cpuNanos() >= 0) {
            report.append("CPU times: user ").append(Durations.format(span.userNanos()))
                    .append(", sys ").append(Durations.format(span.systemNanos()))
                    .append(", total ").append(Durations.format(span.cpuNanos())).append('\n');
        }
        if (span.childUserNanos() > 0 || span.childSystemNanos() > 0) {
            report.append("CPU times of child processes: user ").append(Durations.format(span.childUserNanos()))
                    .append(", sys ").append(Durations.format(span.childSystemNanos())).append('\n');
        }
        report.append("Wall time: ").append(Durations.format(span.wallNanos())).append('\n');
        long compile = segmentNanos - span.wallNanos();
        if (compile >= COMPILE_TIME_SHOWN_NANOS) {
            report.append("Compile time: ").append(Durations.format(compile)).append(" (not included above)\n");
        }
        out.print(report);
        out.flush();
    }

    /** Maps offsets in a segment's Java text to lines and columns of the cell. */
    private static final class Placement {
        private final String java;
        private final CellSource.Segment segment;

        Placement(String java, CellSource.Segment segment) {
            this.java = java;
            this.segment = segment;
        }

        int line(int offset) {
            int lines = 0;
            for (int i = 0; i < Math.min(offset, java.length()); i++) {
                if (java.charAt(i) == '\n') {
                    lines++;
                }
            }
            return segment.firstLine + lines;
        }

        int column(int offset) {
            int bounded = Math.min(offset, java.length());
            int lineStart = java.lastIndexOf('\n', bounded - 1) + 1;
            return (lineStart == 0 ? segment.firstColumn : 0) + bounded - lineStart;
        }
    }
}
