package dev.berth.cli.commands;

import dev.berth.cli.flags.FlagException;
import dev.berth.cli.format.GoJson;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** -f/--filter key=value flags as the API's "filters" query parameter ({"key":{"value":true}}, docker's encoding). */
final class Filters {
    private Filters() {}

    static String encode(List<String> filters) throws FlagException {
        if (filters.isEmpty()) {
            return null;
        }
        Map<String, Map<String, Boolean>> m = new LinkedHashMap<>();
        for (String f : filters) {
            int eq = f.indexOf('=');
            if (eq <= 0) {
                throw new FlagException("invalid argument \"" + f + "\" for \"-f, --filter\" flag: bad format of filter (expected name=value)");
            }
            m.computeIfAbsent(f.substring(0, eq).trim().toLowerCase(java.util.Locale.ROOT), k -> new LinkedHashMap<>())
                    .put(f.substring(eq + 1), Boolean.TRUE);
        }
        return GoJson.compact(m);
    }
}
