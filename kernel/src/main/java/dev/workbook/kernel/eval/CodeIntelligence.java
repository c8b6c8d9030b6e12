package dev.workbook.kernel.eval;

import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SourceCodeAnalysis;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the notebook asks about code without running it: completions (Tab), documentation (Shift-Tab) and
 * whether a cell is complete (the console's "run or new line?").
 *
 * <p>Called on the shell thread only (JShell is not thread-safe).
 */
public final class CodeIntelligence {

    /** Completion choices and the range of the code they replace. */
    public static final class Completions {
        public final List<String> matches;
        public final int start;
        public final int end;

        Completions(List<String> matches, int start, int end) {
            this.matches = matches;
            this.start = start;
            this.end = end;
        }
    }

    /** Documentation for the code at the cursor: plain text and HTML, or nothing found. */
    public static final class Documentation {
        public final String text;
        public final String html;

        Documentation(String text, String html) {
            this.text = text;
            this.html = html;
        }
    }

    private static final Pattern MAGIC_AT_CURSOR = Pattern.compile("^\\s*(%{1,2})([\\w-]*)$");

    private final JShell jshell;
    private final Supplier<Set<String>> lineMagics;
    private final Supplier<Set<String>> cellMagics;

    public CodeIntelligence(JShell jshell, Supplier<Set<String>> lineMagics, Supplier<Set<String>> cellMagics) {
        this.jshell = jshell;
        this.lineMagics = lineMagics;
        this.cellMagics = cellMagics;
    }

    public Completions complete(String code, int cursor) {
        cursor = Math.max(0, Math.min(cursor, code.length()));
        int lineStart = code.lastIndexOf('\n', cursor - 1) + 1;
        Matcher magic = MAGIC_AT_CURSOR.matcher(code.substring(lineStart, cursor));
        if (magic.matches()) {
            String percent = magic.group(1);
            Set<String> names = new java.util.TreeSet<>(percent.length() == 2 ? cellMagics.get() : lineMagics.get());
            names.add("time"); // %time and %%time are handled by the evaluator, not the registry
            List<String> matches = new ArrayList<>();
            for (String name : names) {
                if (name.startsWith(magic.group(2))) {
                    matches.add(percent + name);
                }
            }
            int start = cursor - magic.group(1).length() - magic.group(2).length();
            return new Completions(matches, start, cursor);
        }
        String analysed = MagicSyntax.blankMagics(code);
        int[] anchor = new int[1];
        List<SourceCodeAnalysis.Suggestion> suggestions =
                jshell.sourceCodeAnalysis().completionSuggestions(analysed, cursor, anchor);
        Set<String> typeMatches = new LinkedHashSet<>();
        Set<String> others = new LinkedHashSet<>();
        for (SourceCodeAnalysis.Suggestion suggestion : suggestions) {
            (suggestion.matchesType() ? typeMatches : others).add(suggestion.continuation());
        }
        List<String> matches = new ArrayList<>(typeMatches);
        for (String other : others) {
            if (!typeMatches.contains(other)) {
                matches.add(other);
            }
        }
        return new Completions(matches, suggestions.isEmpty() ? cursor : anchor[0], cursor);
    }

    /**
     * Signatures (and, with {@code detail}, Javadoc where the JDK's sources are installed) of what the
     * cursor is on; null if nothing is known about it.
     */
    public Documentation inspect(String code, int cursor, boolean detail) {
        String analysed = MagicSyntax.blankMagics(code);
        cursor = Math.max(0, Math.min(cursor, analysed.length()));
        int end = cursor;
        while (end < analysed.length() && Character.isJavaIdentifierPart(analysed.charAt(end))) {
            end++;
        }
        int next = end;
        while (next < analysed.length() && Character.isWhitespace(analysed.charAt(next))) {
            next++;
        }
        List<SourceCodeAnalysis.Documentation> docs;
        if (next < analysed.length() && analysed.charAt(next) == '(') {
            docs = jshell.sourceCodeAnalysis().documentation(analysed, next + 1, detail);
        } else {
            docs = jshell.sourceCodeAnalysis().documentation(analysed, end, detail);
            if (docs.isEmpty()) {
                // A method name without its parenthesis: ask as if the call were being typed.
                docs = jshell.sourceCodeAnalysis().documentation(analysed.substring(0, end) + "(", end + 1, detail);
            }
        }
        if (docs.isEmpty()) {
            return null;
        }
        StringBuilder text = new StringBuilder();
        StringBuilder html = new StringBuilder();
        for (SourceCodeAnalysis.Documentation doc : docs) {
            if (text.length() > 0) {
                text.append("\n\n");
            }
            text.append(doc.signature());
            html.append("<pre>").append(escape(doc.signature())).append("</pre>");
            if (doc.javadoc() != null && !doc.javadoc().isBlank()) {
                text.append('\n').append(doc.javadoc());
                html.append("<div>").append(escape(doc.javadoc()).replace("\n", "<br>")).append("</div>");
            }
        }
        return new Documentation(text.toString(), html.toString());
    }

    /**
     * {@code "complete"}, {@code "invalid"}, or the indent for the next line when more input is needed
     * (an open brace, an unfinished expression).
     */
    public String isComplete(String code) {
        String java = MagicSyntax.isCellMagic(code) ? "" : MagicSyntax.toJava(stripTimeMagics(code));
        SourceCodeAnalysis analysis = jshell.sourceCodeAnalysis();
        String remaining = java;
        while (true) {
            SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(remaining);
            switch (info.completeness()) {
                case EMPTY:
                    return "complete";
                case UNKNOWN:
                    return "invalid";
                case DEFINITELY_INCOMPLETE:
                case CONSIDERED_INCOMPLETE:
                    return indentAfter(remaining);
                default:
                    if (isErroneous(analysis, info.source())) {
                        return "invalid";
                    }
                    remaining = info.remaining();
            }
        }
    }

    /** True if JShell's parser cannot make a snippet of {@code source}: a syntax error. */
    private static boolean isErroneous(SourceCodeAnalysis analysis, String source) {
        try {
            for (Snippet snippet : analysis.sourceToSnippets(source)) {
                if (snippet.kind() == Snippet.Kind.ERRONEOUS) {
                    return true;
                }
            }
            return false;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static String stripTimeMagics(String code) {
        return code.replaceAll("(?m)^\\s*%%time\\b.*$", "").replaceAll("(?m)^(\\s*)%time\\b", "$1     ");
    }

    /** The indent of the last line, deeper by four spaces if that line opens a brace or parenthesis. */
    static String indentAfter(String code) {
        String trimmedEnd = code.replaceAll("\\s+$", "");
        String last = trimmedEnd.substring(trimmedEnd.lastIndexOf('\n') + 1);
        int i = 0;
        while (i < last.length() && (last.charAt(i) == ' ' || last.charAt(i) == '\t')) {
            i++;
        }
        String indent = last.substring(0, i);
        int depth = 0;
        for (char c : last.toCharArray()) {
            if (c == '{' || c == '(') {
                depth++;
            } else if (c == '}' || c == ')') {
                depth--;
            }
        }
        return depth > 0 ? indent + "    " : indent;
    }

    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
