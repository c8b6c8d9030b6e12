package dev.workbook.kernel;

import org.dflib.jjava.jupyter.kernel.history.HistoryEntry;
import org.dflib.jjava.jupyter.kernel.history.HistoryManager;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The inputs (and results) of the cells executed since the kernel started, for {@code history_request}:
 * the last n, a range of execution counts, or those matching a glob. The kernel keeps one session
 * (number {@value #SESSION}); nothing is kept across restarts.
 *
 * <p>Thread-safe.
 */
final class SessionHistory implements HistoryManager {

    static final int SESSION = 1;

    private static final class Cell {
        final int count;
        final String input;
        volatile String output = "";

        Cell(int count, String input) {
            this.count = count;
            this.input = input;
        }
    }

    private final List<Cell> cells = new ArrayList<>();

    synchronized void recordInput(int count, String input) {
        cells.add(new Cell(count, input));
    }

    synchronized void recordOutput(int count, String output) {
        for (int i = cells.size() - 1; i >= 0; i--) {
            if (cells.get(i).count == count) {
                cells.get(i).output = output == null ? "" : output;
                return;
            }
        }
    }

    @Override
    public synchronized List<HistoryEntry> lookupTail(int length, Set<ResultFlag> flags) {
        int from = Math.max(0, cells.size() - Math.max(0, length));
        return entries(cells.subList(from, cells.size()), flags);
    }

    @Override
    public synchronized List<HistoryEntry> lookupRange(int session, int start, int stop, Set<ResultFlag> flags) {
        if (session != 0 && session != SESSION) {
            return List.of();
        }
        List<Cell> selected = new ArrayList<>();
        for (Cell cell : cells) {
            if (cell.count >= start && (stop <= 0 || cell.count < stop)) {
                selected.add(cell);
            }
        }
        return entries(selected, flags);
    }

    @Override
    public synchronized List<HistoryEntry> search(String glob, int length, Set<ResultFlag> flags) {
        Pattern pattern = globToRegex(glob);
        List<Cell> matches = new ArrayList<>();
        for (Cell cell : cells) {
            if (pattern.matcher(cell.input).matches()) {
                matches.add(cell);
            }
        }
        if (flags.contains(ResultFlag.UNIQUE)) {
            Map<String, Cell> last = new LinkedHashMap<>();
            for (Cell cell : matches) {
                last.remove(cell.input);
                last.put(cell.input, cell);
            }
            matches = new ArrayList<>(last.values());
        }
        int from = length > 0 ? Math.max(0, matches.size() - length) : 0;
        return entries(matches.subList(from, matches.size()), flags);
    }

    private static List<HistoryEntry> entries(List<Cell> cells, Set<ResultFlag> flags) {
        boolean output = flags.contains(ResultFlag.INCLUDE_OUTPUT);
        List<HistoryEntry> entries = new ArrayList<>(cells.size());
        for (Cell cell : cells) {
            entries.add(new HistoryEntry(SESSION, cell.count, cell.input, output ? cell.output : null));
        }
        return entries;
    }

    /** SQLite's GLOB syntax: {@code *}, {@code ?}, {@code [abc]}, {@code [^abc]}; everything else literal. */
    static Pattern globToRegex(String glob) {
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c == '*') {
                regex.append(".*");
            } else if (c == '?') {
                regex.append('.');
            } else if (c == '[') {
                int close = glob.indexOf(']', i + 1);
                if (close < 0) {
                    regex.append("\\[");
                } else {
                    String set = glob.substring(i + 1, close);
                    regex.append('[').append(set.replace("\\", "\\\\")).append(']'); // same syntax, ^ included
                    i = close;
                }
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString(), Pattern.DOTALL);
    }
}
