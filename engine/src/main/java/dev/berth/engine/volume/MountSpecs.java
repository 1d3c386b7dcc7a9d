package dev.berth.engine.volume;

import dev.berth.engine.EngineException;
import dev.berth.engine.model.HostConfig;
import dev.berth.storage.volume.LocalVolumes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A container's mount requests (HostConfig.Binds, HostConfig.Mounts, Config.Volumes and the
 * image's VOLUMEs) parsed and checked with moby's linux parser rules and messages, without
 * touching anything: the result is a list of {@link MountPoint}s still to be resolved.
 */
public final class MountSpecs {
    private static final Set<String> RW_MODES = Set.of("rw", "ro");
    private static final Set<String> LABEL_MODES = Set.of("z", "Z");
    static final Set<String> PROPAGATION_MODES = Set.of("private", "rprivate", "slave", "rslave", "shared", "rshared");
    private static final Set<String> CONSISTENCY_MODES = Set.of("consistent", "cached", "delegated");
    private static final String DEFAULT_PROPAGATION = "rprivate";

    private MountSpecs() {}

    /**
     * Everything the container mounts, one per destination: Binds and Mounts (a destination given
     * twice is docker's "Duplicate mount point"), then the Config's and image's volumes for
     * destinations nobody mounted (they become anonymous volumes).
     */
    public static List<MountPoint> of(HostConfig h, Iterable<String> configVolumes, Iterable<String> imageVolumes) {
        Map<String, MountPoint> byDest = new LinkedHashMap<>();
        if (h != null && h.binds() != null) {
            for (String b : h.binds()) {
                add(byDest, bind(b));
            }
        }
        if (h != null && h.mounts() != null) {
            for (HostConfig.Mount m : h.mounts()) {
                add(byDest, mount(m));
            }
        }
        for (Iterable<String> volumes : List.of(configVolumes, imageVolumes)) {
            for (String dest : volumes) {
                String clean = clean(dest);
                if (!byDest.containsKey(clean) && !clean.equals("/")) {
                    byDest.put(clean, new MountPoint("volume", null, null, clean, "local", "", true, "", true, true, null, false, null, null));
                }
            }
        }
        return List.copyOf(byDest.values());
    }

    private static void add(Map<String, MountPoint> byDest, MountPoint m) {
        if (byDest.putIfAbsent(m.destination(), m) != null) {
            throw new EngineException(400, "Duplicate mount point: " + m.destination());
        }
    }

    /** One HostConfig.Binds entry: [source:]destination[:mode], moby's ParseMountRaw. */
    public static MountPoint bind(String raw) {
        String[] arr = raw.split(":", 4);
        if (arr[0].isEmpty()) {
            throw invalidSpec(raw);
        }
        String source = "";
        String target;
        String mode = "";
        switch (arr.length) {
            case 1 -> target = arr[0];
            case 2 -> {
                if (validMode(arr[1])) {
                    throw invalidSpec(raw); // "/foo:rw": a destination and a mode, but no source
                }
                source = arr[0];
                target = arr[1];
            }
            case 3 -> {
                source = arr[0];
                target = arr[1];
                mode = arr[2];
            }
            default -> throw invalidSpec(raw);
        }
        if (!validMode(mode)) {
            throw new EngineException(400, "invalid mode: " + mode);
        }
        List<String> opts = mode.isEmpty() ? List.of() : List.of(mode.split(","));
        boolean bind = source.startsWith("/");
        String type = bind ? "bind" : "volume";
        try {
            checkTarget(type, target);
            if (!bind && !source.isEmpty() && !LocalVolumes.validName(source)) {
                throw new EngineException(400, LocalVolumes.invalidName(source));
            }
        } catch (EngineException e) {
            throw new EngineException(400, "invalid volume specification: '" + raw + "': " + e.getMessage());
        }
        boolean rw = !opts.contains("ro");
        String propagation = opts.stream().filter(PROPAGATION_MODES::contains).findFirst().orElse(DEFAULT_PROPAGATION);
        if (bind) {
            // -v creates a missing host directory (moby: CreateMountpoint for Binds); --mount does not.
            return new MountPoint("bind", null, clean(source), clean(target), "", mode, rw, propagation, false, false, null, true,
                    null, null);
        }
        boolean copy = !opts.contains("nocopy");
        // moby's setBindModeIfNull: a -v volume of the local driver shows Mode "z" when none was given.
        return new MountPoint("volume", source.isEmpty() ? null : source, null, clean(target), "local", mode.isEmpty() ? "z" : mode, rw, "",
                copy, source.isEmpty(), null, false, null, null);
    }

    /** One HostConfig.Mounts entry (--mount), moby's validateMountConfig. */
    public static MountPoint mount(HostConfig.Mount m) {
        String type = m.type() == null || m.type().isEmpty() ? "volume" : m.type();
        String target = m.target() == null ? "" : m.target();
        if (!Set.of("bind", "volume", "tmpfs").contains(type)) {
            if (type.equals("npipe") || type.equals("image") || type.equals("cluster")) {
                throw mountConfig(type, "mount type \"" + type + "\" is not supported");
            }
            throw mountConfig(type, "mount type unknown");
        }
        if (target.isEmpty()) {
            throw mountConfig(type, "field Target must not be empty");
        }
        checkTarget(type, target);
        boolean readOnly = Boolean.TRUE.equals(m.readOnly());
        String source = m.source() == null ? "" : m.source();
        return switch (type) {
            case "bind" -> {
                if (source.isEmpty()) {
                    throw mountConfig(type, "field Source must not be empty");
                }
                if (m.volumeOptions() != null) {
                    throw mountConfig(type, "field VolumeOptions must not be specified");
                }
                if (!source.startsWith("/")) {
                    throw mountConfig(type, "invalid mount path: '" + source + "' mount path must be absolute");
                }
                String propagation = DEFAULT_PROPAGATION;
                if (m.bindOptions() != null && m.bindOptions().propagation() != null && !m.bindOptions().propagation().isEmpty()) {
                    propagation = m.bindOptions().propagation();
                    if (!PROPAGATION_MODES.contains(propagation)) {
                        throw mountConfig(type, "invalid propagation mode: " + propagation);
                    }
                }
                boolean create = m.bindOptions() != null && Boolean.TRUE.equals(m.bindOptions().createMountpoint());
                yield new MountPoint("bind", null, clean(source), clean(target), "", "", !readOnly, propagation, false, false,
                        null, create, null, null);
            }
            case "volume" -> {
                if (m.bindOptions() != null) {
                    throw mountConfig(type, "field BindOptions must not be specified");
                }
                HostConfig.VolumeOptions vo = m.volumeOptions();
                if (vo != null && vo.subpath() != null && !vo.subpath().isEmpty()) {
                    throw mountConfig(type, "volume subpaths are not supported by berth");
                }
                if (readOnly && source.isEmpty()) {
                    throw mountConfig(type, "must not set ReadOnly mode when using anonymous volumes");
                }
                if (!source.isEmpty() && !LocalVolumes.validName(source)) {
                    throw mountConfig(type, LocalVolumes.invalidName(source));
                }
                if (vo != null && vo.driverConfig() != null && vo.driverConfig().name() != null
                        && !vo.driverConfig().name().isEmpty() && !vo.driverConfig().name().equals("local")) {
                    throw new EngineException(404, "error looking up volume plugin " + vo.driverConfig().name()
                            + ": plugin \"" + vo.driverConfig().name() + "\" not found");
                }
                boolean copy = vo == null || !Boolean.TRUE.equals(vo.noCopy());
                yield new MountPoint("volume", source.isEmpty() ? null : source, null, clean(target), "local", "", !readOnly, "",
                        copy, source.isEmpty(), null, false, vo == null ? null : vo.labels(),
                        vo == null || vo.driverConfig() == null ? null : vo.driverConfig().options());
            }
            default -> {
                if (m.bindOptions() != null) {
                    throw mountConfig(type, "field BindOptions must not be specified");
                }
                if (!source.isEmpty()) {
                    throw mountConfig(type, "field Source must not be specified");
                }
                yield new MountPoint("tmpfs", null, "", clean(target), "", "", !readOnly, "", false, false,
                        tmpfsOptions(m.tmpfsOptions(), readOnly), false, null, null);
            }
        };
    }

    /** moby's ConvertTmpfsOptions: ro, mode= in octal, size= with the largest unit that divides it. */
    static String tmpfsOptions(HostConfig.TmpfsOptions o, boolean readOnly) {
        List<String> opts = new ArrayList<>();
        if (readOnly) {
            opts.add("ro");
        }
        if (o != null && o.mode() != null && o.mode() != 0) {
            opts.add("mode=" + Integer.toOctalString(o.mode()));
        }
        if (o != null && o.sizeBytes() != null && o.sizeBytes() != 0) {
            long size = o.sizeBytes();
            String suffix = "";
            for (Object[] unit : new Object[][] {{"g", 1L << 30}, {"m", 1L << 20}, {"k", 1L << 10}}) {
                if (size % (long) unit[1] == 0) {
                    size /= (long) unit[1];
                    suffix = (String) unit[0];
                    break;
                }
            }
            opts.add("size=" + size + suffix);
        }
        return String.join(",", opts);
    }

    private static void checkTarget(String type, String target) {
        if (clean(target).equals("/")) {
            throw mountConfig(type, "invalid specification: destination can't be '/'");
        }
        if (!target.startsWith("/")) {
            throw mountConfig(type, "invalid mount path: '" + target + "' mount path must be absolute");
        }
    }

    /** moby's linuxValidMountMode: known words only, at most one of each kind. */
    static boolean validMode(String mode) {
        if (mode.isEmpty()) {
            return true;
        }
        int rw = 0, label = 0, propagation = 0, copy = 0, consistency = 0;
        for (String o : mode.split(",", -1)) {
            if (RW_MODES.contains(o)) {
                rw++;
            } else if (LABEL_MODES.contains(o)) {
                label++;
            } else if (PROPAGATION_MODES.contains(o)) {
                propagation++;
            } else if (o.equals("nocopy")) {
                copy++;
            } else if (CONSISTENCY_MODES.contains(o)) {
                consistency++;
            } else {
                return false;
            }
        }
        return rw <= 1 && label <= 1 && propagation <= 1 && copy <= 1 && consistency <= 1;
    }

    /** path.Clean for absolute paths: no "//", ".", ".." or trailing slash. */
    static String clean(String p) {
        if (!p.startsWith("/")) {
            return p;
        }
        String n = java.nio.file.Path.of(p).normalize().toString();
        return n.isEmpty() ? "/" : n;
    }

    private static EngineException invalidSpec(String raw) {
        return new EngineException(400, "invalid volume specification: '" + raw + "'");
    }

    private static EngineException mountConfig(String type, String message) {
        return new EngineException(400, "invalid mount config for type \"" + type + "\": " + message);
    }
}
