package dev.berth.engine.container;

import dev.berth.engine.EngineException;
import dev.berth.engine.config.ByteSize;
import dev.berth.engine.config.DaemonConfig;
import dev.berth.engine.model.HostConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * A container's json-file log options: HostConfig.LogConfig (docker run --log-opt) over the
 * daemon's log-opts. max-size bounds one file; max-file is how many it rotates through. The
 * rotated files' names are decided here (json-file's log.1, log.2, ...); the shim only renames.
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

    /** What the shim renames a full log to, newest first: log.1 ... log.(max-file - 1); none without max-size. */
    List<Path> rotations(Path log) {
        return maxBytes <= 0 ? List.of() : IntStream.range(1, maxFiles).mapToObj(n -> rotated(log, n)).toList();
    }

    /** The {@code n}th newest rotated file of {@code log}. */
    static Path rotated(Path log, int n) {
        return log.resolveSibling(log.getFileName() + "." + n);
    }
}
