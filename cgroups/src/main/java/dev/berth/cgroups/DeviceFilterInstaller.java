package dev.berth.cgroups;

import java.nio.file.Path;

/**
 * Puts a compiled {@link DeviceFilter} on a cgroup v2 directory, replacing the one there.
 * {@link BpfDeviceFilterInstaller} does it in the kernel; this interface is the seam that lets
 * the managers be tested on fake hierarchies, where there is no cgroup to attach to.
 */
@FunctionalInterface
interface DeviceFilterInstaller {
    void install(Path cgroupDir, DeviceFilter filter);
}
