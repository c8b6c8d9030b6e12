package dev.workbook.kernel.eval;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Tells whether a cell is complete from its brackets, quotes, comments and last token, without JShell:
 * the kernel's answer to {@code is_complete} while JShell is still starting. A terminal front end waits
 * at most a second for that answer and, when it is late once, stops asking for the whole session (then
 * Enter no longer runs a cell), and JShell's first analysis waits for its compiler to load, which takes
 * longer than that on a busy machine.
 *
 * <p>It agrees with JShell on open brackets, block comments and text blocks, on an expression that ends in
 * an operator, and on a control statement without its body (see the test that compares the two); a syntax
 * error inside balanced code reads as complete here (the cell then reports it when it runs). Once JShell
 * is ready, {@link CodeIntelligence#isComplete} answers instead.
 */
public final class QuickCompleteness {

    /** Operators and separators after which a statement cannot end. */
    private static final Pattern TRAILING_OPERATOR = Pattern.compile(
            "(?:[-+*/%&|^!~<>=?,.]|->|::)\\s*$");
    private static final Pattern TRAILING_WORD = Pattern.compile("\\b(\\w+)\\s*$");
    private static final Set<String> WORDS_NEEDING_MORE = Set.of("do", "try", "finally", "new", "extends",
            "implements", "throws", "instanceof", "case", "default", "import", "package", "class", "interface",
            "enum", "record");
    private static final Pattern CONTROL_HEAD = Pattern.compile("\\b(?:if|for|while|catch|synchronized|switch)\\s*$");

    private QuickCompleteness() {
    }

    /**
     * {@code "complete"}, {@code "invalid"} (a closing bracket that does not match, a string broken by a
     * line end), or the indent for the next line when more input is needed; as
     * {@link CodeIntelligence#isComplete}.
     */
    public static String isComplete(String code) {
        if (MagicSyntax.isCellMagic(code)) {
            return "complete";
        }
        String java = MagicSyntax.blankMagics(code);
        Deque<Integer> open = new ArrayDeque<>(); // positions of unclosed brackets
        StringBuilder significant = new StringBuilder(); // the code without comments and literals' contents
        int length = java.length();
        int i = 0;
        while (i < length) {
            char c = java.charAt(i);
            if (java.startsWith("//", i)) {
                int end = java.indexOf('\n', i);
                i = end < 0 ? length : end;
            } else if (java.startsWith("/*", i)) {
                int end = java.indexOf("*/", i + 2);
                if (end < 0) {
                    return CodeIntelligence.indentAfter(java);
                }
                significant.append(' ');
                i = end + 2;
            } else if (java.startsWith("\"\"\"", i)) {
                int end = java.indexOf("\"\"\"", i + 3);
                while (end > 0 && java.charAt(end - 1) == '\\') {
                    end = java.indexOf("\"\"\"", end + 1);
                }
                if (end < 0) {
                    return CodeIntelligence.indentAfter(java);
                }
                significant.append("\"\"");
                i = end + 3;
            } else if (c == '"' || c == '\'') {
                int end = i + 1;
                while (end < length && java.charAt(end) != c && java.charAt(end) != '\n') {
                    end += java.charAt(end) == '\\' ? 2 : 1;
                }
                if (end >= length || java.charAt(end) == '\n') {
                    return "invalid";
                }
                significant.append(c).append(c);
                i = end + 1;
            } else {
                if (c == '(' || c == '[' || c == '{') {
                    open.push((int) c);
                } else if (c == ')' || c == ']' || c == '}') {
                    if (open.isEmpty() || open.pop() != opening(c)) {
                        return "invalid";
                    }
                }
                significant.append(c);
                i++;
            }
        }
        if (!open.isEmpty()) {
            return CodeIntelligence.indentAfter(java);
        }
        String text = significant.toString();
        if (text.isBlank()) {
            return "complete";
        }
        if (TRAILING_OPERATOR.matcher(text).find() && !text.stripTrailing().endsWith("++")
                && !text.stripTrailing().endsWith("--")) {
            return CodeIntelligence.indentAfter(java);
        }
        Matcher word = TRAILING_WORD.matcher(text);
        if (word.find() && WORDS_NEEDING_MORE.contains(word.group(1))) {
            return CodeIntelligence.indentAfter(java);
        }
        if (text.stripTrailing().endsWith(")") && CONTROL_HEAD.matcher(text.substring(0, openingOf(text))).find()) {
            return CodeIntelligence.indentAfter(java);
        }
        return "complete";
    }

    private static char opening(char closing) {
        return closing == ')' ? '(' : closing == ']' ? '[' : '{';
    }

    /** The position of the parenthesis that the final {@code )} of {@code text} closes. */
    private static int openingOf(String text) {
        int depth = 0;
        for (int i = text.stripTrailing().length() - 1; i >= 0; i--) {
            char c = text.charAt(i);
            if (c == ')') {
                depth++;
            } else if (c == '(' && --depth == 0) {
                return i;
            }
        }
        return 0;
    }
}
