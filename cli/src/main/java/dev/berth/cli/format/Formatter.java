package dev.berth.cli.format;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * docker's --format conventions for listings: {@code table} (the default columns), {@code table
 * <template>} (a header row from the columns' names, then aligned rows), {@code json} (one JSON
 * object per line) or a bare template applied to each row; a typed {@code \t} or {@code \n} in
 * the format becomes a tab or newline, as docker's formatter does.
 */
public final class Formatter {
    private Formatter() {}

    /**
     * @param format   what the user gave, or null for the command's default table
     * @param defaultTable the command's default, without the "table " prefix
     * @param headers  column headers per field name ("ID" -> "CONTAINER ID")
     */
    public static String render(String format, String defaultTable, Map<String, String> headers,
                                List<? extends Map<String, Object>> rows) throws TemplateException {
        String f = format == null || format.isBlank() || format.equals("table") ? "table " + defaultTable : format;
        if (f.equals("json")) {
            StringBuilder out = new StringBuilder();
            for (Map<String, Object> row : rows) {
                out.append(GoJson.compactHtmlEscaped(row)).append('\n');
            }
            return out.toString();
        }
        f = f.replace("\\t", "\t").replace("\\n", "\n");
        boolean table = f.startsWith("table");
        if (table) {
            f = f.substring("table".length()).stripLeading();
        }
        Template t = Template.parse(f);
        StringBuilder out = new StringBuilder();
        if (!table) {
            for (Map<String, Object> row : rows) {
                out.append(t.execute(new Row(row))).append('\n');
            }
            return out.toString();
        }
        TableWriter w = new TableWriter();
        Map<String, Object> header = new LinkedHashMap<>();
        for (Map.Entry<String, String> h : headers.entrySet()) {
            header.put(h.getKey(), h.getValue());
        }
        w.write(t.execute(header) + "\n");
        for (Map<String, Object> row : rows) {
            w.write(t.execute(row) + "\n");
        }
        return w.render();
    }
}
