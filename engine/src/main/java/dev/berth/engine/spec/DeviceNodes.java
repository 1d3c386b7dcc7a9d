package dev.berth.engine.spec;

import dev.berth.engine.EngineException;
import dev.berth.engine.model.HostConfig;
import dev.berth.oci.runtime.Spec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/** --device host:container: the host node's type and numbers, read with stat (unix:rdev, unix:mode). */
final class DeviceNodes {
    private static final int S_IFMT = 0170000, S_IFCHR = 0020000, S_IFBLK = 0060000;

    private DeviceNodes() {}

    static Spec.Device describe(HostConfig.DeviceMapping m) {
        Path host = Path.of(m.pathOnHost());
        try {
            int mode = (Integer) Files.getAttribute(host, "unix:mode");
            long rdev = (Long) Files.getAttribute(host, "unix:rdev");
            String type = switch (mode & S_IFMT) {
                case S_IFCHR -> "c";
                case S_IFBLK -> "b";
                default -> throw new EngineException(400, "error gathering device information while adding custom device \""
                        + m.pathOnHost() + "\": not a device node");
            };
            String target = m.pathInContainer() == null || m.pathInContainer().isEmpty() ? m.pathOnHost() : m.pathInContainer();
            return new Spec.Device(type, target, major(rdev), minor(rdev), mode & 07777,
                    ((Integer) Files.getAttribute(host, "unix:uid", LinkOption.NOFOLLOW_LINKS)).longValue(),
                    ((Integer) Files.getAttribute(host, "unix:gid", LinkOption.NOFOLLOW_LINKS)).longValue());
        } catch (IOException e) {
            throw new EngineException(400, "error gathering device information while adding custom device \""
                    + m.pathOnHost() + "\": no such file or directory");
        }
    }

    /**
     * A block-I/O throttle (--device-read-bps /dev/sda:1mb): the device's numbers and the rate.
     * docker's error when the path is not a block device.
     */
    static Spec.ThrottleDevice throttle(HostConfig.ThrottleDevice t) {
        Path host = Path.of(t.path());
        try {
            int mode = (Integer) Files.getAttribute(host, "unix:mode");
            if ((mode & S_IFMT) != S_IFBLK) {
                throw new EngineException(400, "invalid device path " + t.path() + ": not a block device");
            }
            long rdev = (Long) Files.getAttribute(host, "unix:rdev");
            return new Spec.ThrottleDevice(major(rdev), minor(rdev), t.rate());
        } catch (IOException e) {
            throw new EngineException(400, "invalid device path " + t.path() + ": no such file or directory");
        }
    }

    /** glibc's gnu_dev_major/minor: the 32-bit split of dev_t. */
    static long major(long rdev) {
        return ((rdev >>> 8) & 0xfff) | ((rdev >>> 32) & ~0xfffL);
    }

    static long minor(long rdev) {
        return (rdev & 0xff) | ((rdev >>> 12) & ~0xffL);
    }
}
