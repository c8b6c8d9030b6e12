package dev.workbook.kernel.eval;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where each JShell snippet came from: which cell ("Cell In[5]") and on which line of it the snippet's
 * source starts. JShell reports exception frames as {@code #snippetId:lineInSnippet}; with this index the
 * kernel reports them as a line of a cell, with the cell's text for that line.
 *
 * <p>Thread-safe.
 */
final class SnippetIndex {

    /** The origin of one snippet. */
    static final class Origin {
        final String label;
        final String[] cellLines;
        final int firstLine;

        Origin(String label, String[] cellLines, int firstLine) {
            this.label = label;
            this.cellLines = cellLines;
            this.firstLine = firstLine;
        }

        /** The cell line (0-based) of a line of the snippet (1-based, as JShell counts). */
        int cellLine(int snippetLine) {
            return firstLine + Math.max(1, snippetLine) - 1;
        }

        /** The text of a cell line, or "" if out of range. */
        String text(int cellLine) {
            return cellLine >= 0 && cellLine < cellLines.length ? cellLines[cellLine] : "";
        }
    }

    private final Map<String, Origin> origins = new ConcurrentHashMap<>();

    void record(String snippetId, Origin origin) {
        origins.put(snippetId, origin);
    }

    /** The origin of the snippet with {@code id}, or null if the kernel did not evaluate it. */
    Origin origin(String snippetId) {
        return origins.get(snippetId);
    }
}
