package dev.berth.cgroups;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Text fixtures of /proc/self/mountinfo and /proc/self/cgroup, with mount points under a temporary root. */
final class Fixtures {
    private Fixtures() {}

    static String text(String name, Path root) {
        try (InputStream in = Fixtures.class.getResourceAsStream(name)) {
            if (in == null) throw new IllegalArgumentException("no fixture " + name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("${ROOT}", root.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The layout of fixture pair {@code <host>-mountinfo.txt} / {@code <host>-cgroup.txt}. */
    static CgroupLayout layout(String host, Path root) {
        return CgroupLayout.parse(text(host + "-mountinfo.txt", root), text(host + "-cgroup.txt", root));
    }

    /** Makes {@code dir} and writes name/value pairs into it as files, the way cgroupfs would show them. */
    static Path files(Path dir, String... nameValue) {
        try {
            Files.createDirectories(dir);
            for (int i = 0; i < nameValue.length; i += 2) {
                Files.writeString(dir.resolve(nameValue[i]), nameValue[i + 1]);
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String read(Path file) {
        try {
            return Files.readString(file).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
