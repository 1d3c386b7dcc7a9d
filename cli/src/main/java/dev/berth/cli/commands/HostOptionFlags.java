package dev.berth.cli.commands;

import dev.berth.cli.flags.FlagException;
import dev.berth.cli.flags.ParsedArgs;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The rest of docker's run/create flags, sent as docker's CLI sends them: per-device block I/O
 * limits, cgroup and namespace choices, real-time CPU, annotations and the options berth's daemon
 * answers with "not supported" (--link, --gpus, --storage-opt, ...). The daemon decides; the CLI
 * only parses the way docker's does, so a typo is still a flag error here.
 */
final class HostOptionFlags {
    private HostOptionFlags() {}

    static void apply(ParsedArgs a, Map<String, Object> host, Map<String, Object> endpoint)
            throws FlagException {
        putDevices(host, "BlkioWeightDevice", "blkio-weight-device", "Weight", a.list("blkio-weight-device"), false);
        putDevices(host, "BlkioDeviceReadBps", "device-read-bps", "Rate", a.list("device-read-bps"), true);
        putDevices(host, "BlkioDeviceWriteBps", "device-write-bps", "Rate", a.list("device-write-bps"), true);
        putDevices(host, "BlkioDeviceReadIOps", "device-read-iops", "Rate", a.list("device-read-iops"), false);
        putDevices(host, "BlkioDeviceWriteIOps", "device-write-iops", "Rate", a.list("device-write-iops"), false);
        for (String rule : a.list("device-cgroup-rule")) {
            // docker's check: type, major:minor (or *), access
            if (!rule.matches("[acb] ([0-9]+|\\*):([0-9]+|\\*) [rwm]{1,3}")) {
                throw new FlagException("invalid argument \"" + rule + "\" for \"--device-cgroup-rule\" flag: invalid device cgroup format '" + rule + "'");
            }
        }
        putList(host, "DeviceCgroupRules", a.list("device-cgroup-rule"));
        putText(host, "CgroupParent", a.string("cgroup-parent"));
        // docker's CLI checks the two namespace modes itself
        String cgroupns = a.string("cgroupns");
        if (cgroupns != null && !List.of("", "host", "private").contains(cgroupns)) {
            throw FlagException.invalid("--cgroupns: invalid CGROUP mode");
        }
        String userns = a.string("userns");
        if (userns != null && !List.of("", "host").contains(userns)) {
            throw FlagException.invalid("--userns: invalid USER mode");
        }
        putText(host, "CgroupnsMode", cgroupns);
        putText(host, "UsernsMode", userns);
        putText(host, "Runtime", a.string("runtime"));
        putText(host, "Isolation", a.string("isolation"));
        putText(host, "VolumeDriver", a.string("volume-driver"));
        putList(host, "VolumesFrom", a.list("volumes-from"));
        putList(host, "Links", a.list("link"));
        if (!a.list("annotation").isEmpty()) {
            host.put("Annotations", KeyValues.parse(a.list("annotation")));
        }
        putStorageOpts(host, a.list("storage-opt"));
        putLong(host, "CpuRealtimePeriod", a, "cpu-rt-period");
        putLong(host, "CpuRealtimeRuntime", a, "cpu-rt-runtime");
        putLong(host, "CpuCount", a, "cpu-count");
        putLong(host, "CpuPercent", a, "cpu-percent");
        putLong(host, "IOMaximumIOps", a, "io-maxiops");
        if (a.has("io-maxbandwidth")) {
            host.put("IOMaximumBandwidth", Units.ramInBytes("io-maxbandwidth", a.string("io-maxbandwidth")));
        }
        if (a.has("kernel-memory")) {
            // checked, then dropped as docker's CLI drops it: deprecated, and ignored by daemons since API 1.42
            Units.ramInBytes("kernel-memory", a.string("kernel-memory"));
        }
        if (a.has("memory-swappiness") && a.integer("memory-swappiness", -1) != -1) {
            host.put("MemorySwappiness", (long) a.integer("memory-swappiness", -1));
        }
        if (a.has("gpus")) {
            // docker's "all" or a count; the daemon decides whether it can give any
            String gpus = a.string("gpus").replace("count=", "");
            if (!gpus.equals("all") && !gpus.matches("[0-9]+")) {
                throw new FlagException("invalid argument \"" + a.string("gpus") + "\" for \"--gpus\" flag: invalid count (" + gpus
                        + "): value must be either \"all\" or an integer: invalid syntax");
            }
            int count = gpus.equals("all") ? -1 : Integer.parseInt(gpus);
            host.put("DeviceRequests", List.of(Map.of("Driver", "", "Count", count, "Capabilities", List.of(List.of("gpu")))));
        }
        putText(endpoint, "MacAddress", a.string("mac-address"));
        putList(endpoint, "Links", a.list("link"));
        if (!a.list("link-local-ip").isEmpty()) {
            @SuppressWarnings("unchecked")
            Map<String, Object> ipam = (Map<String, Object>) endpoint.computeIfAbsent("IPAMConfig", k -> new LinkedHashMap<>());
            ipam.put("LinkLocalIPs", a.list("link-local-ip"));
        }
        if (a.bool("use-api-socket")) {
            throw new FlagException("--use-api-socket is not supported by berth");
        }
    }

    /** "PATH:VALUE" per device, as docker's ValidateThrottleBpsDevice and friends read them. */
    private static void putDevices(Map<String, Object> host, String field, String flag, String key, List<String> values, boolean bytes)
            throws FlagException {
        List<Object> devices = new ArrayList<>();
        for (String v : values) {
            int colon = v.lastIndexOf(':');
            if (colon <= 0 || !v.startsWith("/dev/")) {
                throw new FlagException("invalid argument \"" + v + "\" for \"--" + flag + "\" flag: bad format: " + v);
            }
            String value = v.substring(colon + 1);
            long n;
            try {
                n = bytes ? Units.ramInBytes(flag, value) : Long.parseLong(value);
            } catch (NumberFormatException e) {
                throw new FlagException("invalid argument \"" + v + "\" for \"--" + flag + "\" flag: invalid value for " + key.toLowerCase() + ": " + value);
            }
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("Path", v.substring(0, colon));
            d.put(key, n);
            devices.add(d);
        }
        putList(host, field, devices);
    }

    /** --storage-opt KEY=VALUE, each with both halves (docker's check). */
    private static void putStorageOpts(Map<String, Object> host, List<String> opts) throws FlagException {
        for (String o : opts) {
            if (o.indexOf('=') <= 0) {
                throw new FlagException("invalid argument \"" + o + "\" for \"--storage-opt\" flag: bad format: " + o);
            }
        }
        if (!opts.isEmpty()) {
            host.put("StorageOpt", KeyValues.parse(opts));
        }
    }

    private static void putLong(Map<String, Object> m, String field, ParsedArgs a, String flag) throws FlagException {
        if (a.has(flag)) {
            m.put(field, (long) a.integer(flag, 0));
        }
    }

    private static void putText(Map<String, Object> m, String key, String value) {
        if (value != null && !value.isEmpty()) {
            m.put(key, value);
        }
    }

    private static void putList(Map<String, Object> m, String key, List<?> values) {
        if (!values.isEmpty()) {
            m.put(key, values);
        }
    }
}
