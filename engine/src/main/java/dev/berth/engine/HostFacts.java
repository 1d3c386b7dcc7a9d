package dev.berth.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Facts about the host for /info and /version, read from /proc, /etc and the JVM. */
public final class HostFacts {
    private HostFacts() {}

    static String operatingSystem() {
        try {
            for (String line : Files.readAllLines(Path.of("/etc/os-release"))) {
                if (line.startsWith("PRETTY_NAME=")) {
                    return line.substring("PRETTY_NAME=".length()).replace("\"", "");
                }
            }
        } catch (IOException ignored) {
            // fall through
        }
        return "Linux";
    }

    /** docker's architecture names: x86_64, aarch64 (uname -m). */
    static String architecture() {
        return switch (System.getProperty("os.arch")) {
            case "amd64" -> "x86_64";
            case "aarch64" -> "aarch64";
            default -> System.getProperty("os.arch");
        };
    }

    static long memTotal() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException ignored) {
            // fall through
        }
        return 0;
    }

    static String hostname() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
        } catch (IOException e) {
            return "localhost";
        }
    }

    /** "2" on a unified (v2-only) host, "1" on v1 and hybrid hosts, as docker reports. */
    static String cgroupVersion() {
        return cgroupV2() ? "2" : "1";
    }

    /** Whether this host's cgroups are unified (v2 only): docker's cgroupns default depends on it. */
    public static boolean cgroupV2() {
        return Files.exists(Path.of("/sys/fs/cgroup/cgroup.controllers"));
    }
}
