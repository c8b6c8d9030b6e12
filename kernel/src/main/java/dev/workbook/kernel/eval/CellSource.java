package dev.workbook.kernel.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A cell's code cut into the pieces the kernel evaluates in turn: a {@code %%time} cell is one timed
 * piece, each {@code %time} line is a timed piece of its own, everything else is untimed. Each piece
 * remembers where it starts in the cell, so that errors point at the cell's lines and columns.
 */
final class CellSource {

    private static final Pattern CELL_TIME = Pattern.compile("^\\s*%%time(?:\\s[^\\n]*)?$");
    private static final Pattern LINE_TIME = Pattern.compile("^(\\s*%time)(?:\\s+(.*))?$");

    /** A piece of the cell: code (magics still in it), its first line and column in the cell, and whether it is timed. */
    static final class Segment {
        final String code;
        final int firstLine;
        final int firstColumn;
        final boolean timed;

        Segment(String code, int firstLine, int firstColumn, boolean timed) {
            this.code = code;
            this.firstLine = firstLine;
            this.firstColumn = firstColumn;
            this.timed = timed;
        }
    }

    private final String[] lines;
    private final List<Segment> segments;

    private CellSource(String[] lines, List<Segment> segments) {
        this.lines = lines;
        this.segments = segments;
    }

    /**
     * Cuts {@code code} into segments.
     *
     * @throws IllegalArgumentException if {@code %%time} is not on the first line
     */
    static CellSource parse(String code) {
        String[] lines = code.split("\n", -1);
        List<Segment> segments = new ArrayList<>();
        int first = 0;
        while (first < lines.length && lines[first].isBlank()) {
            first++;
        }
        if (first < lines.length && CELL_TIME.matcher(lines[first]).matches()) {
            segments.add(new Segment(join(lines, first + 1, lines.length), first + 1, 0, true));
            return new CellSource(lines, segments);
        }
        int start = 0;
        for (int i = 0; i < lines.length; i++) {
            if (CELL_TIME.matcher(lines[i]).matches()) {
                throw new IllegalArgumentException("%%time must be the first line of the cell (it is on line " + (i + 1) + ")");
            }
            Matcher time = LINE_TIME.matcher(lines[i]);
            if (time.matches()) {
                if (i > start) {
                    segments.add(new Segment(join(lines, start, i), start, 0, false));
                }
                String timed = time.group(2) == null ? "" : time.group(2);
                segments.add(new Segment(timed, i, lines[i].length() - timed.length(), true));
                start = i + 1;
            }
        }
        if (start < lines.length) {
            segments.add(new Segment(join(lines, start, lines.length), start, 0, false));
        }
        return new CellSource(lines, segments);
    }

    private static String join(String[] lines, int from, int to) {
        StringBuilder text = new StringBuilder();
        for (int i = from; i < to; i++) {
            if (i > from) {
                text.append('\n');
            }
            text.append(lines[i]);
        }
        return text.toString();
    }

    List<Segment> segments() {
        return segments;
    }

    /** The cell's lines as typed. */
    String[] lines() {
        return lines;
    }
}
