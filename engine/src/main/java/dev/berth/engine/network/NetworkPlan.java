package dev.berth.engine.network;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A container's networking as decided at create and kept in networks.json in its directory: the
 * mode ("bridge", "host", "none", "container:x" or a user-defined network's name), the networks
 * it is to be connected to at each start (in order: the first gives the default route and gets
 * the published ports, as in docker), the ports to publish and the exposed ones.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record NetworkPlan(@JsonProperty("mode") String mode,
                          @JsonProperty("networks") LinkedHashMap<String, EndpointConfig> networks,
                          @JsonProperty("ports") List<Port> ports,
                          @JsonProperty("exposed") List<String> exposed) {
    public NetworkPlan {
        networks = networks == null ? new LinkedHashMap<>() : new LinkedHashMap<>(networks);
        ports = ports == null ? List.of() : List.copyOf(ports);
        exposed = exposed == null ? List.of() : List.copyOf(exposed);
    }

    /** One -p: host address ("" for all), host port (0 for any free), container port, protocol. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Port(@JsonProperty("hostIp") String hostIp, @JsonProperty("hostPort") int hostPort,
                       @JsonProperty("containerPort") int containerPort, @JsonProperty("protocol") String protocol) {}

    public boolean joinsNetworks() {
        return !mode.equals("host") && !mode.equals("none") && !mode.startsWith("container:");
    }

    public NetworkPlan withNetworks(Map<String, EndpointConfig> changed) {
        return new NetworkPlan(mode, new LinkedHashMap<>(changed), ports, exposed);
    }
}
