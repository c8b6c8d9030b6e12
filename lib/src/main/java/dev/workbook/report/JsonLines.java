package dev.workbook.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tech.tablesaw.api.BooleanColumn;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/**
 * Reads the output of a program that prints one flat JSON object per line (the lesson's Python
 * programs do: {@code {"implementation": "CPython threads", "wall_s": 8.5, ...}}) into records or a
 * table. Lines that do not start with <code>{</code> (a program's other messages) are passed over.
 *
 * <p>Only flat objects are read: each value a string, a number, {@code true}, {@code false},
 * {@code null}, or an array of those. A nested object, an array of arrays, or a malformed line, is an
 * error that names the line. Numbers become {@code Double}s, strings {@code String}s, booleans
 * {@code Boolean}s, arrays {@code List}s; {@code null} leaves the key out. In a table an array is
 * shown as its text.
 */
public final class JsonLines {

    private JsonLines() {
    }

    /**
     * The objects of the text, one map a line, keys in the order they were written.
     *
     * @throws IllegalArgumentException naming the line and column of the first malformed object
     */
    public static List<Map<String, Object>> read(String text) {
        List<Map<String, Object>> records = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.startsWith("{")) {
                try {
                    records.add(new Parser(line).object());
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("line " + (i + 1) + " is not a flat JSON object: " + e.getMessage()
                            + "; the line: " + abbreviate(line), e);
                }
            }
        }
        return records;
    }

    /**
     * The objects of the text as a table named {@code name}: a column for every key (in the order
     * keys first appear), numeric where every value of the key is a number, boolean where every one is
     * a boolean, text otherwise; a value missing from a line is a missing value.
     *
     * @throws IllegalArgumentException if a line is malformed (see {@link #read}) or there is no object
     */
    public static Table table(String name, String text) {
        List<Map<String, Object>> records = read(text);
        if (records.isEmpty()) {
            throw new IllegalArgumentException("no JSON object in the text for table '" + name
                    + "': expected lines such as {\"key\": 1.5}; it began: " + abbreviate(text.strip()));
        }
        Set<String> keys = new LinkedHashSet<>();
        records.forEach(record -> keys.addAll(record.keySet()));
        Table table = Table.create(name);
        for (String key : keys) {
            table.addColumns(column(key, records));
        }
        return Tables.readable(table);
    }

    private static Column<?> column(String key, List<Map<String, Object>> records) {
        boolean numbers = records.stream().map(r -> r.get(key)).allMatch(v -> v == null || v instanceof Double);
        boolean booleans = records.stream().map(r -> r.get(key)).allMatch(v -> v == null || v instanceof Boolean);
        if (numbers) {
            DoubleColumn column = DoubleColumn.create(key);
            records.forEach(r -> {
                if (r.get(key) == null) {
                    column.appendMissing();
                } else {
                    column.append((Double) r.get(key));
                }
            });
            return column;
        }
        if (booleans) {
            BooleanColumn column = BooleanColumn.create(key);
            records.forEach(r -> {
                if (r.get(key) == null) {
                    column.appendMissing();
                } else {
                    column.append((Boolean) r.get(key));
                }
            });
            return column;
        }
        StringColumn column = StringColumn.create(key);
        records.forEach(r -> {
            if (r.get(key) == null) {
                column.appendMissing();
            } else {
                column.append(String.valueOf(r.get(key)));
            }
        });
        return column;
    }

    private static String abbreviate(String text) {
        return text.length() <= 80 ? text : text.substring(0, 77) + "...";
    }

    /** A recursive-descent reader of one flat object; every failure says where. */
    private static final class Parser {
        private final String text;
        private int at;

        Parser(String text) {
            this.text = text;
        }

        Map<String, Object> object() {
            Map<String, Object> values = new LinkedHashMap<>();
            expect('{');
            skipSpace();
            if (peek() == '}') {
                at++;
            } else {
                while (true) {
                    skipSpace();
                    String key = string();
                    skipSpace();
                    expect(':');
                    skipSpace();
                    Object value = value();
                    if (value != null) {
                        values.put(key, value);
                    }
                    skipSpace();
                    char next = next();
                    if (next == '}') {
                        break;
                    }
                    if (next != ',') {
                        throw error("expected ',' or '}' but found '" + next + "'");
                    }
                }
            }
            skipSpace();
            if (at < text.length()) {
                throw error("text after the object");
            }
            return values;
        }

        private Object value() {
            char c = peek();
            if (c == '[') {
                return array();
            }
            return scalar();
        }

        /** An array of scalars (the lesson's answers: {@code [true, false, ...]}), as a list. */
        private List<Object> array() {
            expect('[');
            List<Object> items = new ArrayList<>();
            skipSpace();
            if (peek() == ']') {
                at++;
                return items;
            }
            while (true) {
                skipSpace();
                items.add(scalar());
                skipSpace();
                char next = next();
                if (next == ']') {
                    return items;
                }
                if (next != ',') {
                    throw error("expected ',' or ']' but found '" + next + "'");
                }
            }
        }

        private Object scalar() {
            char c = peek();
            if (c == '"') {
                return string();
            }
            if (c == '{' || c == '[') {
                throw error("nested objects and arrays of arrays are not read; print flat objects");
            }
            if (text.startsWith("true", at)) {
                at += 4;
                return Boolean.TRUE;
            }
            if (text.startsWith("false", at)) {
                at += 5;
                return Boolean.FALSE;
            }
            if (text.startsWith("null", at)) {
                at += 4;
                return null;
            }
            int start = at;
            while (at < text.length() && "+-0123456789.eE".indexOf(text.charAt(at)) >= 0) {
                at++;
            }
            try {
                return Double.parseDouble(text.substring(start, at));
            } catch (NumberFormatException e) {
                at = start;
                throw error("expected a value (a string, number, true, false or null)");
            }
        }

        private String string() {
            expect('"');
            StringBuilder out = new StringBuilder();
            while (true) {
                char c = next();
                if (c == '"') {
                    return out.toString();
                }
                if (c != '\\') {
                    out.append(c);
                    continue;
                }
                char escaped = next();
                switch (escaped) {
                    case '"', '\\', '/' -> out.append(escaped);
                    case 'b' -> out.append('\b');
                    case 'f' -> out.append('\f');
                    case 'n' -> out.append('\n');
                    case 'r' -> out.append('\r');
                    case 't' -> out.append('\t');
                    case 'u' -> {
                        if (at + 4 > text.length()) {
                            throw error("a \\u escape needs four hex digits");
                        }
                        try {
                            out.append((char) Integer.parseInt(text.substring(at, at + 4), 16));
                        } catch (NumberFormatException e) {
                            throw error("a \\u escape needs four hex digits");
                        }
                        at += 4;
                    }
                    default -> throw error("unknown escape \\" + escaped);
                }
            }
        }

        private void skipSpace() {
            while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
                at++;
            }
        }

        private char peek() {
            if (at >= text.length()) {
                throw error("the line ends inside the object");
            }
            return text.charAt(at);
        }

        private char next() {
            char c = peek();
            at++;
            return c;
        }

        private void expect(char wanted) {
            char found = next();
            if (found != wanted) {
                at--;
                throw error("expected '" + wanted + "' but found '" + found + "'");
            }
        }

        private IllegalArgumentException error(String what) {
            return new IllegalArgumentException(what + " at column " + (at + 1));
        }
    }
}
