package dev.workbook.kernel.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns IPython-style magics in a cell into Java calls, line for line, so that compile errors and stack
 * traces still point at the right line of the cell:
 * <pre>
 *   %maven org.knowm.xchart:xchart:3.8.8          a line magic on a line of its own
 *   List&lt;String&gt; jars = %jars lib/*.jar      a line magic as the value of an assignment
 *   %%loadFromPOM                                  a cell magic: the first line, the rest is its body
 * </pre>
 * become {@code dev.workbook.kernel.Notebook.lineMagic("maven", java.util.List.of("..."));} and
 * {@code Notebook.cellMagic(name, args, body)}. A line magic on its own line is followed by an empty
 * statement so that its return value is not shown as the cell's result (as in IJava and JJava).
 *
 * <p>Arguments are split at white space; double quotes group, a backslash escapes the next character.
 */
public final class MagicSyntax {

    private static final String API = "dev.workbook.kernel.Notebook";
    private static final Pattern OWN_LINE = Pattern.compile("^(\\s*)%([A-Za-z_][\\w-]*)(.*)$");
    private static final Pattern ASSIGNED = Pattern.compile("^(.*=\\s*)%([A-Za-z_][\\w-]*)(.*)$");
    private static final Pattern CELL = Pattern.compile("^%%([A-Za-z_][\\w-]*)([^\\n]*)(?:\\n(.*))?$", Pattern.DOTALL);
    private static final int MAX_LITERAL = 8192;

    private MagicSyntax() {
    }

    /** True if {@code code} starts with a cell magic ({@code %%name} on its first non-blank line). */
    public static boolean isCellMagic(String code) {
        return CELL.matcher(code.substring(blankPrefix(code))).matches();
    }

    /** The length of the blank lines (whole lines) that {@code code} starts with. */
    private static int blankPrefix(String code) {
        int end = 0;
        for (int nl = code.indexOf('\n'); nl >= 0 && code.substring(end, nl).isBlank(); nl = code.indexOf('\n', end)) {
            end = nl + 1;
        }
        return end;
    }

    /** {@code code} with every magic replaced by its Java call; the number of lines stays the same. */
    public static String toJava(String code) {
        int blank = blankPrefix(code);
        Matcher cell = CELL.matcher(code.substring(blank));
        if (cell.matches()) {
            String body = cell.group(3) == null ? "" : cell.group(3);
            // The whole cell becomes one call on the magic's line, followed by as many newlines as the body had.
            return "\n".repeat(lineCount(code.substring(0, blank)))
                    + API + ".cellMagic(" + literal(cell.group(1)) + ", " + argList(cell.group(2)) + ", "
                    + longLiteral(body) + ");{};" + "\n".repeat(lineCount(body) + (cell.group(3) == null ? 0 : 1));
        }
        String[] lines = code.split("\n", -1);
        StringBuilder java = new StringBuilder(code.length() + 64);
        for (int i = 0; i < lines.length; i++) {
            if (i > 0) {
                java.append('\n');
            }
            java.append(lineToJava(lines[i]));
        }
        return java.toString();
    }

    /** One line with its magic (if any) replaced; a line that is not a magic is returned unchanged. */
    static String lineToJava(String line) {
        Matcher own = OWN_LINE.matcher(line);
        if (own.matches()) {
            return own.group(1) + API + ".lineMagic(" + literal(own.group(2)) + ", " + argList(own.group(3)) + ");{};";
        }
        Matcher assigned = ASSIGNED.matcher(line);
        if (assigned.matches() && !insideStringLiteral(assigned.group(1))) {
            return assigned.group(1) + API + ".lineMagic(" + literal(assigned.group(2)) + ", "
                    + argList(assigned.group(3)) + ");";
        }
        return line;
    }

    /** Replaces every line magic with spaces (offsets stay put): what completion and analysis should see. */
    public static String blankMagics(String code) {
        if (isCellMagic(code)) {
            return code.replaceAll("[^\n]", " ");
        }
        String[] lines = code.split("\n", -1);
        StringBuilder out = new StringBuilder(code.length());
        for (int i = 0; i < lines.length; i++) {
            if (i > 0) {
                out.append('\n');
            }
            Matcher own = OWN_LINE.matcher(lines[i]);
            out.append(own.matches() ? " ".repeat(lines[i].length()) : lines[i]);
        }
        return out.toString();
    }

    /** The words of a magic's argument text. */
    public static List<String> splitArguments(String text) {
        List<String> args = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        boolean inWord = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < text.length()) {
                current.append(text.charAt(++i));
                inWord = true;
            } else if (c == '"') {
                quoted = !quoted;
                inWord = true;
            } else if (Character.isWhitespace(c) && !quoted) {
                if (inWord) {
                    args.add(current.toString());
                    current.setLength(0);
                    inWord = false;
                }
            } else {
                current.append(c);
                inWord = true;
            }
        }
        if (inWord) {
            args.add(current.toString());
        }
        return args;
    }

    private static String argList(String text) {
        StringBuilder list = new StringBuilder("java.util.List.of(");
        List<String> args = splitArguments(text);
        for (int i = 0; i < args.size(); i++) {
            list.append(i == 0 ? "" : ", ").append(literal(args.get(i)));
        }
        return list.append(')').toString();
    }

    private static boolean insideStringLiteral(String prefix) {
        boolean inside = false;
        for (int i = 0; i < prefix.length(); i++) {
            char c = prefix.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '"') {
                inside = !inside;
            }
        }
        return inside;
    }

    private static int lineCount(String text) {
        int n = 0;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                n++;
            }
        }
        return n;
    }

    /** A Java string expression for any text, even past the class file's 64 KB limit for one constant. */
    private static String longLiteral(String text) {
        if (text.length() <= MAX_LITERAL) {
            return literal(text);
        }
        StringBuilder joined = new StringBuilder("String.join(\"\"");
        for (int i = 0; i < text.length(); i += MAX_LITERAL) {
            joined.append(", ").append(literal(text.substring(i, Math.min(text.length(), i + MAX_LITERAL))));
        }
        return joined.append(')').toString();
    }

    /** A Java string literal for {@code text}, on one line. */
    static String literal(String text) {
        StringBuilder out = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"': out.append("\\\""); break;
                case '\\': out.append("\\\\"); break;
                case '\n': out.append("\\n"); break;
                case '\r': out.append("\\r"); break;
                case '\t': out.append("\\t"); break;
                default:
                    if (c < 0x20 || c > 0x7E) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
            }
        }
        return out.append('"').toString();
    }
}
