package dev.berth.cli.format;

import java.util.ArrayList;
import java.util.List;

/**
 * Aligns tab-separated cells as docker's tables do: Go's text/tabwriter configured as
 * {@code tabwriter.NewWriter(out, 10, 1, 3, ' ', 0)}, i.e. a column is as wide as its widest
 * cell plus 3 spaces of padding and at least 10; the text after a line's last tab is not a
 * column cell and is printed as it is. Column widths are computed per block of consecutive lines
 * that have that column, as tabwriter does.
 */
public final class TableWriter {
    private static final int PADDING = 3;

    private final List<String[]> lines = new ArrayList<>();
    private final int minWidth;

    /** docker's tables: columns at least 10 wide. */
    public TableWriter() {
        this(10);
    }

    /** `docker top` uses 20. */
    public TableWriter(int minWidth) {
        this.minWidth = minWidth;
    }

    /** Adds text; it may hold several lines (a template's output). */
    public void write(String text) {
        String[] split = text.split("\n", -1);
        int n = text.endsWith("\n") ? split.length - 1 : split.length;
        for (int i = 0; i < n; i++) {
            lines.add(split[i].split("\t", -1));
        }
    }

    public String render() {
        int[][] widths = new int[lines.size()][];
        format(0, 0, lines.size(), widths);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            String[] cells = lines.get(i);
            StringBuilder line = new StringBuilder();
            for (int j = 0; j < cells.length; j++) {
                line.append(cells[j]);
                if (j < cells.length - 1) {
                    line.append(" ".repeat(Math.max(0, widths[i][j] - width(cells[j]))));
                }
            }
            out.append(line).append('\n');
        }
        return out.toString();
    }

    /** tabwriter's recursive column blocks: lines [from, to) that share column {@code col}. */
    private void format(int col, int from, int to, int[][] widths) {
        for (int i = from; i < to; i++) {
            if (widths[i] == null) {
                widths[i] = new int[Math.max(0, lines.get(i).length - 1)];
            }
        }
        int i = from;
        while (i < to) {
            if (lines.get(i).length - 1 <= col) {
                i++;
                continue;
            }
            int start = i;
            int w = minWidth;
            while (i < to && lines.get(i).length - 1 > col) {
                w = Math.max(w, width(lines.get(i)[col]) + PADDING);
                i++;
            }
            for (int k = start; k < i; k++) {
                widths[k][col] = w;
            }
            format(col + 1, start, i, widths);
        }
    }

    /** Display width in code points (tabwriter counts runes). */
    private static int width(String s) {
        return s.codePointCount(0, s.length());
    }
}
