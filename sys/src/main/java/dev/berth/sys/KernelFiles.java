package dev.berth.sys;

import java.io.FileInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Reads small files of /proc and /sys. Files.readString is wrong for them: they report size 0,
 * so it probes with a one-byte read, and a sysctl file answers a read at offset 1 with EOF
 * (/proc/sys/kernel/cap_last_cap "40" comes back as "4"). One large read gets the whole value.
 */
public final class KernelFiles {
    private KernelFiles() {}

    public static String read(Path file) throws IOException {
        try (FileInputStream in = new FileInputStream(file.toFile())) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
