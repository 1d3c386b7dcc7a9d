package dev.berth.storage.snapshot;

import java.util.List;

/**
 * A mount that makes a snapshot visible, as containerd's mount.Mount: what {@code mount -t TYPE
 * -o OPTIONS SOURCE TARGET} would do. For overlay the options are the classic ones
 * ("lowerdir=a:b", "upperdir=", "workdir="); {@link Mounter} passes them through the new mount
 * API, one lower layer per call, so their total length does not matter.
 */
public record Mount(String type, String source, List<String> options) {
    public Mount {
        options = List.copyOf(options);
    }

    static Mount bind(java.nio.file.Path source, boolean readOnly) {
        return new Mount("bind", source.toString(), readOnly ? List.of("rbind", "ro") : List.of("rbind", "rw"));
    }

    public boolean readOnly() {
        return options.contains("ro");
    }

    @Override
    public String toString() {
        return "mount -t " + type + " -o " + String.join(",", options) + " " + source;
    }
}
