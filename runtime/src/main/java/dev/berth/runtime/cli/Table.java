package dev.berth.runtime.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * Column output like Go's text/tabwriter as runc configures it (minwidth, padding, spaces): every
 * column but the last is as wide as its widest cell plus the padding, at least minwidth.
 */
final class Table {
    private final int minWidth;
    private final int padding;
    private final List<List<String>> rows = new ArrayList<>();

    Table(int minWidth, int padding) {
        this.minWidth = minWidth;
        this.padding = padding;
    }

    Table row(Object... cells) {
        List<String> r = new ArrayList<>();
        for (Object c : cells) {
            r.add(String.valueOf(c));
        }
        rows.add(r);
        return this;
    }

    String render() {
        int cols = rows.stream().mapToInt(List::size).max().orElse(0);
        int[] width = new int[cols];
        for (List<String> r : rows) {
            for (int c = 0; c < r.size() - 1; c++) {
                width[c] = Math.max(width[c], Math.max(minWidth, r.get(c).length() + padding));
            }
        }
        StringBuilder sb = new StringBuilder();
        for (List<String> r : rows) {
            for (int c = 0; c < r.size(); c++) {
                String cell = r.get(c);
                sb.append(cell);
                if (c < r.size() - 1) {
                    sb.append(" ".repeat(width[c] - cell.length()));
                }
            }
            sb.append('\n');
        }
        return sb.toString();
    }
}
