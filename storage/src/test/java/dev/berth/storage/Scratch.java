package dev.berth.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.storage.internal.Trees;
import dev.berth.sys.MountInfo;
import dev.berth.sys.Mounts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A test's own directory under /tmp, and the leak check every root test ends with: nothing may
 * stay mounted under it (read from /proc/self/mountinfo), and the directory goes.
 */
public final class Scratch implements AutoCloseable {
    private final Path dir;

    public Scratch() throws IOException {
        dir = Path.of("/tmp", "berth-storage-test-" + UUID.randomUUID().toString().substring(0, 8));
        Files.createDirectories(dir);
    }

    public Path dir() {
        return dir;
    }

    public Path resolve(String name) {
        return dir.resolve(name);
    }

    /** Mount points at or under {@code root}, deepest first, from /proc/self/mountinfo. */
    public static List<String> mountsUnder(Path root) throws IOException {
        List<String> found = new ArrayList<>();
        String prefix = root.toAbsolutePath().toString();
        for (MountInfo m : MountInfo.self()) {
            String point = m.mountPoint();
            if (point.equals(prefix) || point.startsWith(prefix + "/")) {
                found.add(point);
            }
        }
        found.sort((a, b) -> b.length() - a.length());
        return found;
    }

    /** Fails if anything is still mounted under the directory (after unmounting it, so the next test starts clean), and removes it. */
    @Override
    public void close() throws IOException {
        List<String> leaked = mountsUnder(dir);
        for (String m : leaked) {
            Mounts.unmount(m, Mounts.MNT_DETACH);
        }
        Trees.remove(dir);
        assertThat(leaked).as("mounts left under " + dir).isEmpty();
        assertThat(dir).doesNotExist();
    }
}
