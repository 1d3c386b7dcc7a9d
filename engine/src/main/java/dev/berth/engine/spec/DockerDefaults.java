package dev.berth.engine.spec;

import java.util.List;

/**
 * What docker gives every container unless told otherwise (moby's oci/defaults.go and
 * daemon/oci_linux.go, as documented in the Docker run reference): capabilities, masked and
 * read-only /proc paths, the PATH of an image without one.
 */
final class DockerDefaults {
    static final List<String> CAPABILITIES = List.of("CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER",
            "CAP_MKNOD", "CAP_NET_RAW", "CAP_SETGID", "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP",
            "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE");

    static final List<String> MASKED_PATHS = List.of("/proc/asound", "/proc/acpi", "/proc/kcore", "/proc/keys",
            "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi",
            "/sys/firmware", "/sys/devices/virtual/powercap");

    static final List<String> READONLY_PATHS = List.of("/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys",
            "/proc/sysrq-trigger");

    static final String PATH = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    /** /dev/shm's size when ShmSize is not given: 64 MiB. */
    static final long SHM_SIZE = 64L << 20;

    /** CFS period docker uses to turn NanoCpus into a quota. */
    static final long CPU_PERIOD_US = 100_000;

    private DockerDefaults() {}
}
