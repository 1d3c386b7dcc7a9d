package dev.berth.engine.volume;

import dev.berth.engine.EngineException;
import dev.berth.oci.runtime.Spec;
import java.util.ArrayList;
import java.util.List;

/** A container's {@link MountPoint}s as config.json mounts, with the options docker's runtime spec gives them. */
public final class SpecMounts {
    private SpecMounts() {}

    public static Spec.Mount of(MountPoint m) {
        return switch (m.type()) {
            case "tmpfs" -> {
                // docker's tmpfs defaults (nosuid, nodev, noexec), then what --mount asked for.
                List<String> options = new ArrayList<>(List.of("nosuid", "nodev", "noexec"));
                if (m.tmpfsOptions() != null && !m.tmpfsOptions().isEmpty()) {
                    options.addAll(List.of(m.tmpfsOptions().split(",")));
                }
                yield new Spec.Mount(m.destination(), "tmpfs", "tmpfs", options, null, null);
            }
            case "bind", "volume" -> {
                if (m.source() == null) {
                    throw new EngineException(500, "volume for " + m.destination() + " was not resolved");
                }
                String propagation = m.propagation() == null || m.propagation().isEmpty() ? "rprivate" : m.propagation();
                yield new Spec.Mount(m.destination(), "bind", m.source(), List.of("rbind", m.rw() ? "rw" : "ro", propagation),
                        null, null);
            }
            default -> throw new EngineException(400, "mount type \"" + m.type() + "\" is not supported");
        };
    }
}
