package dev.berth.engine.network;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * docker's EndpointSettings as container create (NetworkingConfig.EndpointsConfig) and network
 * connect (EndpointConfig) take it: a fixed address (--ip) and network-scoped aliases (--alias).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record EndpointConfig(@JsonProperty("IPAMConfig") IpamConfig ipamConfig, @JsonProperty("Aliases") List<String> aliases) {
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record IpamConfig(@JsonProperty("IPv4Address") String ipv4Address) {}

    public static final EndpointConfig NONE = new EndpointConfig(null, null);

    /** The --ip asked for, or null. */
    public String ipv4() {
        return ipamConfig == null || ipamConfig.ipv4Address() == null || ipamConfig.ipv4Address().isEmpty()
                ? null : ipamConfig.ipv4Address();
    }

    public List<String> aliasList() {
        return aliases == null ? List.of() : aliases;
    }
}
