package dev.berth.cli.commands;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** docker's KEY=VALUE options (labels, --opt, --annotation): a bare KEY has an empty value; the last KEY given wins. */
final class KeyValues {
    private KeyValues() {}

    static Map<String, String> parse(List<String> items) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String s : items) {
            int eq = s.indexOf('=');
            m.put(eq < 0 ? s : s.substring(0, eq), eq < 0 ? "" : s.substring(eq + 1));
        }
        return m;
    }
}
