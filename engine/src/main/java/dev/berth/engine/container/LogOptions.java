package dev.berth.engine.container;

import dev.berth.engine.EngineException;
import dev.berth.engine.config.ByteSize;
import dev.berth.engine.config.DaemonConfig;
import dev.berth.engine.model.HostConfig;
import java.util.Map;

/**
 * A container's json-file log options: HostConfig.LogConfig (docker run --log-opt) over the
 * daemon's log-opts. max-size bounds one file; max-file is how many it rotates through.
 */
record LogOptions(long maxBytes, int maxFiles) {
    static LogOptions of(HostConfig h, DaemonConfig daemon) {
        HostConfig.LogConfig lc = h == null ? null : h.logConfig();
        if (lc != null && lc.type() != null && !lc.type().isEmpty() && !lc.type().equals("json-file") && !lc.type().equals("local")) {
            throw new EngineException(400, "logging driver \"" + lc.type() + "\" is not supported: only json-file is");
        }
        Map<String, String> opts = lc == null || lc.config() == null ? Map.of() : lc.config();
        long maxBytes = opts.containsKey("max-size") ? ByteSize.parse(opts.get("max-size"), "max-size") : daemon.logMaxBytes();
        int maxFiles = daemon.logMaxFiles();
        if (opts.containsKey("max-file")) {
            try {
                maxFiles = Integer.parseInt(opts.get("max-file"));
            } catch (NumberFormatException e) {
                throw new EngineException(400, "max-file: invalid number \"" + opts.get("max-file") + "\"");
            }
            if (maxFiles < 1) {
                throw new EngineException(400, "max-file cannot be less than 1");
            }
        }
        return new LogOptions(maxBytes, maxFiles);
    }
}
