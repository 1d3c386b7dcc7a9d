package dev.berth.runtime.it;

import dev.berth.sys.MountInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Finds what a container may leave behind on the host: cgroup dirs, mounts, state dirs. */
final class Leaks {
    private Leaks() {}

    /** Directories named {@code id} anywhere in the first two levels of every cgroup hierarchy. */
    static List<Path> cgroupDirs(String id) throws IOException {
        List<Path> found = new ArrayList<>();
        try (Stream<Path> hierarchies = Files.list(Path.of("/sys/fs/cgroup"))) {
            for (Path h : hierarchies.toList()) {
                Path dir = h.resolve(id);
                if (Files.isDirectory(dir)) {
                    found.add(dir);
                }
            }
        }
        return found;
    }

    /** Host mount points under {@code prefix} (a bundle or rootfs path). */
    static List<String> mountsUnder(Path prefix) throws IOException {
        List<String> found = new ArrayList<>();
        for (MountInfo m : MountInfo.self()) {
            String mountPoint = m.mountPoint();
            if (mountPoint.startsWith(prefix.toString())) {
                found.add(mountPoint);
            }
        }
        return found;
    }
}
