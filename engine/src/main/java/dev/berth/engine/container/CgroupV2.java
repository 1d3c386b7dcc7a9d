package dev.berth.engine.container;

import java.nio.file.Files;
import java.nio.file.Path;

/** Whether this host's cgroups are unified (v2 only): docker's cgroupns default depends on it. */
final class CgroupV2 {
    private CgroupV2() {}

    static boolean host() {
        return Files.exists(Path.of("/sys/fs/cgroup/cgroup.controllers"));
    }
}
