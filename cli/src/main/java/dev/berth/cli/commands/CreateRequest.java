package dev.berth.cli.commands;

import dev.berth.cli.flags.FlagException;
import dev.berth.cli.flags.ParsedArgs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The body of POST /containers/create from `run`/`create` flags: docker's Config with its
 * HostConfig, built as docker/cli's opts/parse.go does (the same defaults, the same validation
 * messages). Values the user did not give are left out, so the daemon's defaults apply.
 */
final class CreateRequest {
    private CreateRequest() {}

    /** The JSON body; {@code args} are IMAGE [COMMAND] [ARG...]. */
    static Map<String, Object> build(ParsedArgs a, boolean detach, Map<String, String> env)
            throws FlagException, dev.berth.cli.CliException, IOException {
        Map<String, Object> config = new LinkedHashMap<>();
        Map<String, Object> host = new LinkedHashMap<>();
        List<String> args = a.args();
        boolean tty = a.bool("tty");
        boolean stdin = a.bool("interactive");
        List<String> attach = a.list("attach");
        if (detach && !attach.isEmpty()) {
            throw new dev.berth.cli.CliException("conflicting options: cannot specify both --attach and --detach", 1);
        }
        for (String s : attach) {
            if (!List.of("stdin", "stdout", "stderr").contains(s.toLowerCase(java.util.Locale.ROOT))) {
                throw new FlagException("invalid argument \"" + s + "\" for \"-a, --attach\" flag: valid streams are STDIN, STDOUT and STDERR");
            }
        }
        boolean attachAll = attach.isEmpty() && !detach;
        put(config, "Hostname", a.string("hostname"));
        put(config, "Domainname", a.string("domainname"));
        put(config, "User", a.string("user"));
        config.put("AttachStdin", attachAll ? stdin : contains(attach, "stdin"));
        config.put("AttachStdout", attachAll || contains(attach, "stdout"));
        config.put("AttachStderr", attachAll || contains(attach, "stderr"));
        config.put("Tty", tty);
        config.put("OpenStdin", stdin);
        config.put("StdinOnce", stdin && !detach);
        List<String> envs = new ArrayList<>();
        for (String file : a.list("env-file")) {
            envs.addAll(readEnvFile(file, env));
        }
        for (String e : a.list("env")) {
            envs.add(envValue(e, env));
        }
        if (!envs.isEmpty()) {
            config.put("Env", envs);
        }
        if (args.size() > 1) {
            config.put("Cmd", args.subList(1, args.size()));
        }
        Map<String, Object> health = healthcheck(a);
        if (health != null) {
            config.put("Healthcheck", health);
        }
        config.put("Image", args.getFirst());
        put(config, "WorkingDir", a.string("workdir"));
        if (a.has("entrypoint")) {
            config.put("Entrypoint", List.of(a.string("entrypoint")));
        }
        Map<String, String> labels = labels(a, env);
        if (!labels.isEmpty()) {
            config.put("Labels", labels);
        }
        put(config, "StopSignal", a.string("stop-signal"));
        if (a.has("stop-timeout")) {
            config.put("StopTimeout", a.integer("stop-timeout", 0));
        }
        Ports.apply(a.list("expose"), a.list("publish"), config, host);

        List<String> binds = new ArrayList<>();
        Map<String, Object> volumes = new LinkedHashMap<>();
        for (String v : a.list("volume")) {
            if (v.indexOf(':') > 0) {
                binds.add(v);
            } else {
                volumes.put(v, Map.of());
            }
        }
        if (!volumes.isEmpty()) {
            config.put("Volumes", volumes);
        }
        if (!binds.isEmpty()) {
            host.put("Binds", binds);
        }
        String network = a.has("network") ? a.string("network") : a.string("net");
        put(host, "NetworkMode", network);
        host.put("RestartPolicy", restartPolicy(a.string("restart")));
        if (a.bool("rm")) {
            if (!"no".equals(a.string("restart")) && !a.string("restart").isEmpty()) {
                throw FlagException.invalid("conflicting options: cannot specify both --restart and --rm");
            }
            host.put("AutoRemove", true);
        }
        putList(host, "CapAdd", a.list("cap-add"));
        putList(host, "CapDrop", a.list("cap-drop"));
        putList(host, "Dns", a.list("dns"));
        putList(host, "DnsOptions", a.list("dns-option"));
        putList(host, "DnsSearch", a.list("dns-search"));
        putList(host, "ExtraHosts", a.list("add-host"));
        putList(host, "GroupAdd", a.list("group-add"));
        put(host, "IpcMode", a.string("ipc"));
        if (a.has("oom-score-adj")) {
            host.put("OomScoreAdj", a.integer("oom-score-adj", 0));
        }
        put(host, "PidMode", a.string("pid"));
        if (a.bool("privileged")) {
            host.put("Privileged", true);
        }
        if (a.bool("publish-all")) {
            host.put("PublishAllPorts", true);
        }
        if (a.bool("read-only")) {
            host.put("ReadonlyRootfs", true);
        }
        putList(host, "SecurityOpt", a.list("security-opt"));
        Map<String, String> tmpfs = new LinkedHashMap<>();
        for (String t : a.list("tmpfs")) {
            int colon = t.indexOf(':');
            tmpfs.put(colon < 0 ? t : t.substring(0, colon), colon < 0 ? "" : t.substring(colon + 1));
        }
        if (!tmpfs.isEmpty()) {
            host.put("Tmpfs", tmpfs);
        }
        put(host, "UTSMode", a.string("uts"));
        if (a.has("shm-size")) {
            host.put("ShmSize", Units.ramInBytes("shm-size", a.string("shm-size")));
        }
        Map<String, String> sysctls = new LinkedHashMap<>();
        for (String s : a.list("sysctl")) {
            int eq = s.indexOf('=');
            if (eq <= 0) {
                throw new FlagException("invalid argument \"" + s + "\" for \"--sysctl\" flag: sysctl '" + s + "' is not allowed");
            }
            sysctls.put(s.substring(0, eq), s.substring(eq + 1));
        }
        if (!sysctls.isEmpty()) {
            host.put("Sysctls", sysctls);
        }
        if (a.bool("init")) {
            host.put("Init", true);
        }
        resources(a, host);
        List<Object> mounts = new ArrayList<>();
        for (String m : a.list("mount")) {
            mounts.add(MountSpec.parse(m));
        }
        if (!mounts.isEmpty()) {
            host.put("Mounts", mounts);
        }
        if (a.has("log-driver") || !a.list("log-opt").isEmpty()) {
            Map<String, Object> log = new LinkedHashMap<>();
            log.put("Type", a.has("log-driver") ? a.string("log-driver") : "");
            Map<String, String> opts = new LinkedHashMap<>();
            for (String o : a.list("log-opt")) {
                int eq = o.indexOf('=');
                if (eq <= 0) {
                    throw new FlagException("invalid argument \"" + o + "\" for \"--log-opt\" flag: invalid key value pair format in log opts");
                }
                opts.put(o.substring(0, eq), o.substring(eq + 1));
            }
            log.put("Config", opts);
            host.put("LogConfig", log);
        }
        config.put("HostConfig", host);
        Map<String, Object> endpoint = new LinkedHashMap<>();
        HostOptionFlags.apply(a, host, endpoint);
        List<String> aliases = new ArrayList<>(a.list("network-alias"));
        aliases.addAll(a.list("net-alias"));
        if (!aliases.isEmpty()) {
            endpoint.put("Aliases", aliases);
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> ipam = (Map<String, Object>) endpoint.getOrDefault("IPAMConfig", new LinkedHashMap<>());
        put(ipam, "IPv4Address", a.string("ip"));
        put(ipam, "IPv6Address", a.string("ip6"));
        if (!ipam.isEmpty()) {
            endpoint.put("IPAMConfig", ipam);
        }
        if (!endpoint.isEmpty()) {
            String mode = network == null || network.isEmpty() ? "default" : network;
            config.put("NetworkingConfig", Map.of("EndpointsConfig", Map.of(mode, endpoint)));
        }
        return config;
    }

    private static void resources(ParsedArgs a, Map<String, Object> host) throws FlagException {
        if (a.has("memory")) {
            host.put("Memory", Units.ramInBytes("memory", a.string("memory")));
        }
        if (a.has("memory-reservation")) {
            host.put("MemoryReservation", Units.ramInBytes("memory-reservation", a.string("memory-reservation")));
        }
        if (a.has("memory-swap")) {
            String s = a.string("memory-swap");
            host.put("MemorySwap", s.equals("-1") ? -1L : Units.ramInBytes("memory-swap", s));
        }
        if (a.has("cpus")) {
            try {
                double cpus = Double.parseDouble(a.string("cpus"));
                host.put("NanoCpus", Math.round(cpus * 1e9));
            } catch (NumberFormatException e) {
                throw new FlagException("invalid argument \"" + a.string("cpus") + "\" for \"--cpus\" flag: failed to parse " + a.string("cpus") + " as a rational number");
            }
        }
        if (a.has("cpu-shares")) {
            host.put("CpuShares", (long) a.integer("cpu-shares", 0));
        }
        if (a.has("cpu-period")) {
            host.put("CpuPeriod", (long) a.integer("cpu-period", 0));
        }
        if (a.has("cpu-quota")) {
            host.put("CpuQuota", (long) a.integer("cpu-quota", 0));
        }
        put(host, "CpusetCpus", a.string("cpuset-cpus"));
        put(host, "CpusetMems", a.string("cpuset-mems"));
        if (a.has("pids-limit")) {
            host.put("PidsLimit", (long) a.integer("pids-limit", 0));
        }
        if (a.has("blkio-weight")) {
            host.put("BlkioWeight", a.integer("blkio-weight", 0));
        }
        if (a.bool("oom-kill-disable")) {
            host.put("OomKillDisable", true);
        }
        List<Object> devices = new ArrayList<>();
        for (String d : a.list("device")) {
            String[] p = d.split(":");
            Map<String, Object> dev = new LinkedHashMap<>();
            dev.put("PathOnHost", p[0]);
            dev.put("PathInContainer", p.length > 1 && p[1].startsWith("/") ? p[1] : p[0]);
            String perms = p.length > 2 ? p[2] : p.length == 2 && !p[1].startsWith("/") ? p[1] : "rwm";
            dev.put("CgroupPermissions", perms);
            devices.add(dev);
        }
        if (!devices.isEmpty()) {
            host.put("Devices", devices);
        }
        List<Object> ulimits = new ArrayList<>();
        for (String u : a.list("ulimit")) {
            int eq = u.indexOf('=');
            if (eq <= 0) {
                throw new FlagException("invalid argument \"" + u + "\" for \"--ulimit\" flag: invalid ulimit argument: " + u);
            }
            String[] limits = u.substring(eq + 1).split(":");
            try {
                long soft = Long.parseLong(limits[0]);
                long hard = limits.length > 1 ? Long.parseLong(limits[1]) : soft;
                ulimits.add(Map.of("Name", u.substring(0, eq), "Soft", soft, "Hard", hard));
            } catch (NumberFormatException e) {
                throw new FlagException("invalid argument \"" + u + "\" for \"--ulimit\" flag: invalid ulimit argument: " + u);
            }
        }
        if (!ulimits.isEmpty()) {
            host.put("Ulimits", ulimits);
        }
    }

    /** --restart: no, always, unless-stopped, on-failure[:max-retries]. */
    static Map<String, Object> restartPolicy(String text) throws FlagException {
        Map<String, Object> p = new LinkedHashMap<>();
        String name = text == null ? "no" : text;
        int retries = 0;
        int colon = name.indexOf(':');
        if (colon >= 0) {
            try {
                retries = Integer.parseInt(name.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new FlagException("invalid restart policy format: maximum retry count must be an integer");
            }
            name = name.substring(0, colon);
            if (!name.equals("on-failure")) {
                throw new FlagException("invalid restart policy format: maximum retry count can only be used with 'on-failure'");
            }
        }
        if (!List.of("", "no", "always", "unless-stopped", "on-failure").contains(name)) {
            throw new FlagException("invalid restart policy '" + name + "'");
        }
        p.put("Name", name.isEmpty() ? "no" : name);
        p.put("MaximumRetryCount", retries);
        return p;
    }

    private static Map<String, Object> healthcheck(ParsedArgs a) throws FlagException {
        boolean any = a.has("health-cmd") || a.has("health-interval") || a.has("health-timeout") || a.has("health-retries")
                || a.has("health-start-period") || a.has("health-start-interval");
        if (a.bool("no-healthcheck")) {
            if (any) {
                throw new FlagException("--no-healthcheck conflicts with --health-* options");
            }
            return Map.of("Test", List.of("NONE"));
        }
        if (!any) {
            return null;
        }
        Map<String, Object> h = new LinkedHashMap<>();
        if (a.has("health-cmd")) {
            h.put("Test", List.of("CMD-SHELL", a.string("health-cmd")));
        }
        duration(a, h, "health-interval", "Interval");
        duration(a, h, "health-timeout", "Timeout");
        duration(a, h, "health-start-period", "StartPeriod");
        duration(a, h, "health-start-interval", "StartInterval");
        if (a.has("health-retries")) {
            int r = a.integer("health-retries", 0);
            if (r < 0) {
                throw new FlagException("--health-retries cannot be negative");
            }
            h.put("Retries", r);
        }
        return h;
    }

    private static void duration(ParsedArgs a, Map<String, Object> h, String flag, String field) throws FlagException {
        if (a.has(flag)) {
            long ns = Units.goDuration(flag, a.string(flag));
            if (ns < 0) {
                throw new FlagException("--" + flag + " cannot be negative");
            }
            h.put(field, ns);
        }
    }

    private static Map<String, String> labels(ParsedArgs a, Map<String, String> env) throws IOException, FlagException {
        Map<String, String> labels = new LinkedHashMap<>();
        List<String> all = new ArrayList<>();
        for (String file : a.list("label-file")) {
            all.addAll(readLines(file));
        }
        all.addAll(a.list("label"));
        labels.putAll(KeyValues.parse(all));
        return labels;
    }

    /** -e NAME=value as given; a bare NAME takes the value from this process's environment when it has one. */
    static String envValue(String e, Map<String, String> env) throws FlagException {
        int eq = e.indexOf('=');
        if (eq == 0) {
            throw new FlagException("invalid argument \"" + e + "\" for \"-e, --env\" flag: invalid environment variable: " + e);
        }
        if (eq < 0 && env.containsKey(e)) {
            return e + "=" + env.get(e);
        }
        return e;
    }

    static List<String> readEnvFile(String file, Map<String, String> env) throws IOException, FlagException {
        List<String> out = new ArrayList<>();
        for (String line : readLines(file)) {
            out.add(envValue(line, env));
        }
        return out;
    }

    /** Lines of a docker env or label file: blank lines and # comments skipped, leading space trimmed. */
    private static List<String> readLines(String file) throws IOException, FlagException {
        List<String> out = new ArrayList<>();
        List<String> lines;
        try {
            lines = Files.readAllLines(Path.of(file));
        } catch (NoSuchFileException e) {
            throw new FlagException("open " + file + ": no such file or directory");
        }
        for (String line : lines) {
            String l = line.stripLeading();
            if (!l.isEmpty() && !l.startsWith("#")) {
                out.add(l);
            }
        }
        return out;
    }

    private static boolean contains(List<String> list, String s) {
        for (String x : list) {
            if (x.equalsIgnoreCase(s)) {
                return true;
            }
        }
        return false;
    }

    private static void put(Map<String, Object> m, String key, String value) {
        if (value != null && !value.isEmpty()) {
            m.put(key, value);
        }
    }

    private static void putList(Map<String, Object> m, String key, List<String> values) {
        if (!values.isEmpty()) {
            m.put(key, values);
        }
    }
}
