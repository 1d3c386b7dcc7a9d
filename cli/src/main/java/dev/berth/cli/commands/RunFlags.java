package dev.berth.cli.commands;

import static dev.berth.cli.flags.Flag.bool;
import static dev.berth.cli.flags.Flag.list;
import static dev.berth.cli.flags.Flag.value;

import dev.berth.cli.flags.Flag;
import java.util.ArrayList;
import java.util.List;

/** The flags of `run` and `create` (docker's container options), in docker's --help order. */
final class RunFlags {
    private RunFlags() {}

    static List<Flag> create() {
        return List.of(
                list("add-host", "list", "Add a custom host-to-IP mapping (host:ip)"),
                list("annotation", "map", "Add an annotation to the container (passed through to the OCI runtime)"),
                list("attach", 'a', "list", "Attach to STDIN, STDOUT or STDERR"),
                value("blkio-weight", "uint16", "Block IO (relative weight), between 10 and 1000, or 0 to disable (default 0)"),
                list("blkio-weight-device", "list", "Block IO weight (relative device weight)"),
                list("cap-add", "list", "Add Linux capabilities"),
                list("cap-drop", "list", "Drop Linux capabilities"),
                value("cgroup-parent", "string", "Optional parent cgroup for the container"),
                value("cgroupns", "string", "Cgroup namespace to use (host|private)"),
                value("cidfile", "string", "Write the container ID to the file"),
                value("cpu-count", "int", "CPU count (Windows only)").hide(),
                value("cpu-percent", "int", "CPU percent (Windows only)").hide(),
                value("cpu-period", "int", "Limit CPU CFS (Completely Fair Scheduler) period"),
                value("cpu-quota", "int", "Limit CPU CFS (Completely Fair Scheduler) quota"),
                value("cpu-rt-period", "int", "Limit CPU real-time period in microseconds"),
                value("cpu-rt-runtime", "int", "Limit CPU real-time runtime in microseconds"),
                value("cpu-shares", 'c', "int", "CPU shares (relative weight)"),
                value("cpus", "decimal", "Number of CPUs"),
                value("cpuset-cpus", "string", "CPUs in which to allow execution (0-3, 0,1)"),
                value("cpuset-mems", "string", "MEMs in which to allow execution (0-3, 0,1)"),
                list("device", "list", "Add a host device to the container"),
                list("device-cgroup-rule", "list", "Add a rule to the cgroup allowed devices list"),
                list("device-read-bps", "list", "Limit read rate (bytes per second) from a device"),
                list("device-read-iops", "list", "Limit read rate (IO per second) from a device"),
                list("device-write-bps", "list", "Limit write rate (bytes per second) to a device"),
                list("device-write-iops", "list", "Limit write rate (IO per second) to a device"),
                bool("disable-content-trust", "Skip image verification").withDefault("true"),
                list("dns", "list", "Set custom DNS servers"),
                list("dns-option", "list", "Set DNS options"),
                list("dns-search", "list", "Set custom DNS search domains"),
                value("domainname", "string", "Container NIS domain name"),
                value("entrypoint", "string", "Overwrite the default ENTRYPOINT of the image"),
                list("env", 'e', "list", "Set environment variables"),
                list("env-file", "list", "Read in a file of environment variables"),
                list("expose", "list", "Expose a port or a range of ports"),
                value("gpus", "gpu-request", "GPU devices to add to the container ('all' to pass all GPUs)"),
                list("group-add", "list", "Add additional groups to join"),
                value("health-cmd", "string", "Command to run to check health"),
                value("health-interval", "duration", "Time between running the check (ms|s|m|h) (default 0s)"),
                value("health-retries", "int", "Consecutive failures needed to report unhealthy"),
                value("health-start-interval", "duration", "Time between running the check during the start period (ms|s|m|h) (default 0s)"),
                value("health-start-period", "duration", "Start period for the container to initialize before starting health-retries countdown (ms|s|m|h) (default 0s)"),
                value("health-timeout", "duration", "Maximum time to allow one check to run (ms|s|m|h) (default 0s)"),
                value("hostname", 'h', "string", "Container host name"),
                bool("init", "Run an init inside the container that forwards signals and reaps processes"),
                bool("interactive", 'i', "Keep STDIN open even if not attached"),
                value("io-maxbandwidth", "bytes", "Maximum IO bandwidth limit for the system drive (Windows only)").hide(),
                value("io-maxiops", "uint", "Maximum IOps limit for the system drive (Windows only)").hide(),
                value("ip", "string", "IPv4 address (e.g., 172.30.100.104)"),
                value("ip6", "string", "IPv6 address (e.g., 2001:db8::33)"),
                value("ipc", "string", "IPC mode to use"),
                value("isolation", "string", "Container isolation technology"),
                value("kernel-memory", "bytes", "Kernel memory limit"),
                list("label", 'l', "list", "Set meta data on a container"),
                list("label-file", "list", "Read in a line delimited file of labels"),
                list("link", "list", "Add link to another container"),
                list("link-local-ip", "list", "Container IPv4/IPv6 link-local addresses"),
                value("log-driver", "string", "Logging driver for the container"),
                list("log-opt", "list", "Log driver options"),
                value("mac-address", "string", "Container MAC address (e.g., 92:d0:c6:0a:29:33)"),
                value("memory", 'm', "bytes", "Memory limit"),
                value("memory-reservation", "bytes", "Memory soft limit"),
                value("memory-swap", "bytes", "Swap limit equal to memory plus swap: '-1' to enable unlimited swap"),
                value("memory-swappiness", "int", "Tune container memory swappiness (0 to 100)").withDefault("-1"),
                list("mount", "mount", "Attach a filesystem mount to the container"),
                value("name", "string", "Assign a name to the container"),
                value("net", "network", "Connect a container to a network (same as --network)").hide(),
                list("net-alias", "list", "Add network-scoped alias for the container (same as --network-alias)").hide(),
                value("network", "network", "Connect a container to a network"),
                list("network-alias", "list", "Add network-scoped alias for the container"),
                bool("no-healthcheck", "Disable any container-specified HEALTHCHECK"),
                bool("oom-kill-disable", "Disable OOM Killer"),
                value("oom-score-adj", "int", "Tune host's OOM preferences (-1000 to 1000)"),
                value("pid", "string", "PID namespace to use"),
                value("pids-limit", "int", "Tune container pids limit (set -1 for unlimited)"),
                value("platform", "string", "Set platform if server is multi-platform capable"),
                bool("privileged", "Give extended privileges to this container"),
                list("publish", 'p', "list", "Publish a container's port(s) to the host"),
                bool("publish-all", 'P', "Publish all exposed ports to random ports"),
                value("pull", "string", "Pull image before creating (\"always\", \"missing\", \"never\")").withDefault("missing"),
                bool("quiet", 'q', "Suppress the pull output"),
                bool("read-only", "Mount the container's root filesystem as read only"),
                value("restart", "string", "Restart policy to apply when a container exits").withDefault("no"),
                bool("rm", "Automatically remove the container and its associated anonymous volumes when it exits"),
                value("runtime", "string", "Runtime to use for this container"),
                list("security-opt", "list", "Security Options"),
                value("shm-size", "bytes", "Size of /dev/shm"),
                value("stop-signal", "string", "Signal to stop the container"),
                value("stop-timeout", "int", "Timeout (in seconds) to stop a container"),
                list("storage-opt", "list", "Storage driver options for the container"),
                list("sysctl", "map", "Sysctl options"),
                list("tmpfs", "list", "Mount a tmpfs directory"),
                bool("tty", 't', "Allocate a pseudo-TTY"),
                list("ulimit", "ulimit", "Ulimit options"),
                bool("use-api-socket", "Bind mount Docker API socket and required auth"),
                value("user", 'u', "string", "Username or UID (format: <name|uid>[:<group|gid>])"),
                value("userns", "string", "User namespace to use"),
                value("uts", "string", "UTS namespace to use"),
                list("volume", 'v', "list", "Bind mount a volume"),
                value("volume-driver", "string", "Optional volume driver for the container"),
                list("volumes-from", "list", "Mount volumes from the specified container(s)"),
                value("workdir", 'w', "string", "Working directory inside the container"));
    }

    static List<Flag> run() {
        List<Flag> flags = new ArrayList<>(create());
        // Inserted in name order by hand: a Comparator lambda would be bootstrapped on every run.
        for (Flag extra : List.of(bool("detach", 'd', "Run container in background and print container ID"),
                value("detach-keys", "string", "Override the key sequence for detaching a container"),
                bool("sig-proxy", "Proxy received signals to the process").withDefault("true"))) {
            int i = 0;
            while (i < flags.size() && flags.get(i).name().compareTo(extra.name()) < 0) {
                i++;
            }
            flags.add(i, extra);
        }
        return List.copyOf(flags);
    }
}
