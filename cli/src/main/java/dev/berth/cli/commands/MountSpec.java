package dev.berth.cli.commands;

import dev.berth.cli.flags.FlagException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** --mount type=bind,source=/a,target=/b,readonly into a HostConfig.Mounts entry (docker's opts.MountOpt). */
final class MountSpec {
    private MountSpec() {}

    static Map<String, Object> parse(String text) throws FlagException {
        Map<String, Object> m = new LinkedHashMap<>();
        Map<String, Object> tmpfs = new LinkedHashMap<>();
        Map<String, Object> bind = new LinkedHashMap<>();
        m.put("Type", "volume");
        for (String field : text.split(",")) {
            int eq = field.indexOf('=');
            String key = (eq < 0 ? field : field.substring(0, eq)).trim().toLowerCase(Locale.ROOT);
            String value = eq < 0 ? null : field.substring(eq + 1);
            switch (key) {
                case "type" -> m.put("Type", value);
                case "source", "src" -> m.put("Source", value);
                case "target", "dst", "destination" -> m.put("Target", value);
                case "readonly", "ro" -> m.put("ReadOnly", value == null || value.equals("1") || value.equalsIgnoreCase("true"));
                case "bind-propagation" -> bind.put("Propagation", value);
                case "tmpfs-size" -> tmpfs.put("SizeBytes", Units.ramInBytes("mount", value));
                case "tmpfs-mode" -> tmpfs.put("Mode", Integer.parseInt(value, 8));
                case "consistency", "volume-driver", "volume-label", "volume-nocopy", "volume-opt", "volume-subpath" -> { }
                default -> throw new FlagException("invalid argument \"" + text + "\" for \"--mount\" flag: unexpected key '" + key + "' in '" + field + "'");
            }
        }
        if (!m.containsKey("Target")) {
            throw new FlagException("invalid argument \"" + text + "\" for \"--mount\" flag: target is required");
        }
        if (!tmpfs.isEmpty()) {
            m.put("TmpfsOptions", tmpfs);
        }
        if (!bind.isEmpty()) {
            m.put("BindOptions", bind);
        }
        return m;
    }
}
