package dev.berth.engine.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.engine.EngineException;
import dev.berth.engine.model.ContainerConfig;
import dev.berth.engine.model.HostConfig;
import dev.berth.oci.runtime.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pure part of a container's network plan: docker's port specs, modes, the plan file. */
class ContainerNetworkingTest {
    @TempDir
    Path tmp;

    private static HostConfig host(String mode, Map<String, List<HostConfig.PortBinding>> ports, Boolean publishAll) {
        return Json.mapper().convertValue(Map.of(
                "NetworkMode", mode == null ? "" : mode,
                "PortBindings", ports == null ? Map.of() : ports,
                "PublishAllPorts", publishAll == null ? false : publishAll), HostConfig.class);
    }

    private static ContainerConfig exposing(String... ports) {
        Map<String, Object> exposed = new LinkedHashMap<>();
        for (String p : ports) {
            exposed.put(p, Map.of());
        }
        return Json.mapper().convertValue(Map.of("Image", "busybox", "ExposedPorts", exposed), ContainerConfig.class);
    }

    @Test
    void portBindingsAsTheCliSendsThem() {
        Map<String, List<HostConfig.PortBinding>> b = new LinkedHashMap<>();
        b.put("80/tcp", List.of(new HostConfig.PortBinding("", "8080"), new HostConfig.PortBinding("::", "8080")));
        b.put("53/udp", List.of(new HostConfig.PortBinding("127.0.0.1", "")));
        b.put("443", List.of(new HostConfig.PortBinding("0.0.0.0", "8443")));
        List<NetworkPlan.Port> ports = ContainerNetworking.ports(exposing(), host(null, b, null), null);
        assertThat(ports).containsExactly(
                new NetworkPlan.Port("", 8080, 80, "tcp"),
                new NetworkPlan.Port("127.0.0.1", 0, 53, "udp"),
                new NetworkPlan.Port("", 8443, 443, "tcp"));
    }

    @Test
    void publishAllTakesTheExposedPortsNotBoundAlready() {
        Map<String, List<HostConfig.PortBinding>> b = Map.of("80/tcp", List.of(new HostConfig.PortBinding("", "8080")));
        List<NetworkPlan.Port> ports = ContainerNetworking.ports(exposing("80/tcp", "9000/udp"), host(null, b, true), null);
        assertThat(ports).containsExactly(new NetworkPlan.Port("", 8080, 80, "tcp"), new NetworkPlan.Port("", 0, 9000, "udp"));
        assertThat(ContainerNetworking.exposed(exposing("9000/udp"), host(null, b, null), null)).containsExactly("9000/udp", "80/tcp");
    }

    @Test
    void badPortsAreDockersErrors() {
        assertThatThrownBy(() -> ContainerNetworking.portKey("80/sctp")).isInstanceOf(EngineException.class).hasMessage("invalid proto: sctp");
        assertThatThrownBy(() -> ContainerNetworking.portKey("0")).hasMessage("invalid containerPort: 0");
        Map<String, List<HostConfig.PortBinding>> range = Map.of("80/tcp", List.of(new HostConfig.PortBinding("", "8000-8010")));
        assertThatThrownBy(() -> ContainerNetworking.ports(exposing(), host(null, range, null), null))
                .hasMessageContaining("invalid hostPort: 8000-8010");
        Map<String, List<HostConfig.PortBinding>> ip = Map.of("80/tcp", List.of(new HostConfig.PortBinding("300.1.1.1", "80")));
        assertThatThrownBy(() -> ContainerNetworking.ports(exposing(), host(null, ip, null), null))
                .hasMessage("invalid IP address: 300.1.1.1");
    }

    @Test
    void modesAsDockerNamesThem() {
        assertThat(ContainerNetworking.mode(null)).isEqualTo("bridge");
        assertThat(ContainerNetworking.mode(host("default", null, null))).isEqualTo("bridge");
        assertThat(ContainerNetworking.mode(host("", null, null))).isEqualTo("bridge");
        assertThat(ContainerNetworking.mode(host("container:abc", null, null))).isEqualTo("container:abc");
    }

    @Test
    void thePlanSurvivesItsFileAndAnOlderContainerIsOnTheBridge() throws Exception {
        LinkedHashMap<String, EndpointConfig> nets = new LinkedHashMap<>();
        nets.put("backend", new EndpointConfig(new EndpointConfig.IpamConfig("10.9.0.7"), List.of("db")));
        NetworkPlan plan = new NetworkPlan("backend", nets, List.of(new NetworkPlan.Port("", 0, 80, "tcp")), List.of("80/tcp"));
        ContainerNetworking.save(tmp, plan);
        assertThat(ContainerNetworking.load(tmp, null)).isEqualTo(plan);
        Path older = Files.createDirectories(tmp.resolve("older"));
        NetworkPlan legacy = ContainerNetworking.load(older, null);
        assertThat(legacy.mode()).isEqualTo("bridge");
        assertThat(legacy.networks()).containsOnlyKeys("bridge");
        assertThat(ContainerNetworking.load(older, host("none", null, null)).joinsNetworks()).isFalse();
    }

    @Test
    void writtenInPlaceKeepsTheInode() throws Exception {
        Path f = tmp.resolve("hosts");
        Files.writeString(f, "old\n");
        Object inode = Files.getAttribute(f, "unix:ino");
        ContainerNetworking.writeInPlace(f, "new\n");
        assertThat(Files.getAttribute(f, "unix:ino")).isEqualTo(inode);
        assertThat(Files.readString(f)).isEqualTo("new\n");
    }
}
