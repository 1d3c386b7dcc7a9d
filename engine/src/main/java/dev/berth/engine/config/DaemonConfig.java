package dev.berth.engine.config;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.berth.engine.EngineException;
import dev.berth.engine.model.HostConfig;
import dev.berth.oci.runtime.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The daemon's settings, in dockerd's daemon.json shape (the keys Berth honours; others are
 * ignored, as dockerd would reject only unknown keys it does not know either). Command-line
 * flags override the file, as in dockerd.
 *
 * @param dataRoot           persistent state (images, containers, volumes)
 * @param execRoot           runtime state (sockets, shim state), normally on tmpfs
 * @param hosts              where the API is served (unix:///run/berth/berth.sock)
 * @param socketGroup        the group that may use the socket (mode 0660)
 * @param registryMirrors    mirrors tried first for docker.io names
 * @param insecureRegistries registries reached over plain http
 * @param defaultUlimits     ulimits every container gets unless it sets its own
 * @param logOpts            json-file options: max-size, max-file
 * @param liveRestore        containers keep running while the daemon is down
 * @param bridge             the device of the default network "bridge" (dockerd's "bridge" key; berth0)
 * @param nftTable           berth's own key: the name of its nftables table in the ip family ("berth");
 *                           tests and a second daemon on one host give their own
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record DaemonConfig(@JsonProperty("data-root") String dataRoot,
                           @JsonProperty("exec-root") String execRoot,
                           @JsonProperty("hosts") List<String> hosts,
                           @JsonProperty("group") String socketGroup,
                           @JsonProperty("registry-mirrors") List<String> registryMirrors,
                           @JsonProperty("insecure-registries") List<String> insecureRegistries,
                           @JsonProperty("default-ulimits") Map<String, HostConfig.Ulimit> defaultUlimits,
                           @JsonProperty("log-opts") Map<String, String> logOpts,
                           @JsonProperty("live-restore") Boolean liveRestore,
                           @JsonProperty("debug") Boolean debug,
                           @JsonProperty("bridge") String bridge,
                           @JsonProperty("berth-nft-table") String nftTable) {

    public static final String DEFAULT_DATA_ROOT = "/var/lib/berth";
    public static final String DEFAULT_EXEC_ROOT = "/run/berth";
    public static final String DEFAULT_HOST = "unix:///run/berth/berth.sock";

    public static DaemonConfig defaults() {
        return new DaemonConfig(null, null, null, null, null, null, null, null, null, null, null, null);
    }

    /** Reads daemon.json; a missing file is the defaults, a malformed one an error naming it. */
    public static DaemonConfig load(Path file) {
        try {
            return Json.parse(Files.readString(file), DaemonConfig.class);
        } catch (NoSuchFileException e) {
            return defaults();
        } catch (IOException | RuntimeException e) {
            throw new EngineException(400, "unable to configure the daemon with file " + file + ": " + e.getMessage());
        }
    }

    public Path dataRootPath() {
        return Path.of(dataRoot == null ? DEFAULT_DATA_ROOT : dataRoot);
    }

    public Path execRootPath() {
        return Path.of(execRoot == null ? DEFAULT_EXEC_ROOT : execRoot);
    }

    /** The unix socket path of the first unix:// host. */
    public Path socketPath() {
        String host = hosts == null || hosts.isEmpty() ? DEFAULT_HOST : hosts.getFirst();
        if (!host.startsWith("unix://")) {
            throw new EngineException(400, "host " + host + " is not supported: only unix:// sockets are served");
        }
        return Path.of(host.substring("unix://".length()));
    }

    /** json-file's max-size ("10m") in bytes, 0 for no limit. */
    public long logMaxBytes() {
        String v = logOpts == null ? null : logOpts.get("max-size");
        return v == null ? 0 : ByteSize.parse(v, "log-opts.max-size");
    }

    /** json-file's max-file: how many files a log rotates through (1 if no max-size). */
    public int logMaxFiles() {
        String v = logOpts == null ? null : logOpts.get("max-file");
        try {
            return v == null ? 1 : Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new EngineException(400, "log-opts.max-file: invalid number \"" + v + "\"");
        }
    }

    /**
     * The default bridge's device: daemon.json "bridge", else berth0. dockerd's "none" (no
     * default bridge at all) is refused rather than taken as a device of that name.
     */
    public String bridgeName() {
        if ("none".equals(bridge)) {
            throw new EngineException(400, "bridge \"none\" (no default bridge network) is not supported by berth");
        }
        return bridge == null || bridge.isEmpty() ? "berth0" : bridge;
    }

    /**
     * Our nftables table: daemon.json "berth-nft-table", else "berth" for the default bridge
     * and "berth_" + the bridge's name (its '-' and '.' as '_') for another, so that two daemons
     * with their own bridges never share a table.
     */
    public String nftTableName() {
        if (nftTable != null && !nftTable.isEmpty()) {
            return nftTable;
        }
        return bridgeName().equals("berth0") ? "berth" : "berth_" + bridgeName().replaceAll("[^A-Za-z0-9_]", "_");
    }

    public boolean liveRestoreEnabled() {
        return Boolean.TRUE.equals(liveRestore);
    }

    /** Flags given on the command line win over the file. */
    public DaemonConfig withOverrides(String dataRoot, String execRoot, List<String> hosts, String group) {
        return new DaemonConfig(dataRoot != null ? dataRoot : this.dataRoot, execRoot != null ? execRoot : this.execRoot,
                hosts != null && !hosts.isEmpty() ? hosts : this.hosts, group != null ? group : this.socketGroup,
                registryMirrors, insecureRegistries, defaultUlimits, logOpts, liveRestore, debug, bridge, nftTable);
    }
}
