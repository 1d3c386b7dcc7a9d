package dev.berth.engine.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.engine.EngineException;
import dev.berth.engine.volume.MountPoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** ps filters over a container's networks, mounts and ports, as moby's daemon/list.go decides them. */
class ContainerFilterTest {
    private static final String NET_ID = "4f1e2d3c" + "0".repeat(56);

    /** web: on n1 and the default bridge, a named volume and a bind, 8080->80/tcp published and 443/tcp exposed. */
    private static final ContainerRecord WEB = record("a".repeat(64), "web");
    /** idle: network none, no mounts, no ports. */
    private static final ContainerRecord IDLE = record("b".repeat(64), "idle");

    private final List<String> asked = new ArrayList<>();

    private final ContainerFilter.Facts facts = new ContainerFilter.Facts() {
        @Override
        public Map<String, String> networks(ContainerRecord r) {
            asked.add("networks");
            return r == WEB ? Map.of("n1", NET_ID, "bridge", "9".repeat(64)) : Map.of("none", "7".repeat(64));
        }

        @Override
        public List<MountPoint> mounts(ContainerRecord r) {
            asked.add("mounts");
            return r == WEB ? List.of(mount("volume", "data", "/var/lib/berth/volumes/data/_data", "/srv/data"),
                    mount("bind", null, "/etc/site", "/site")) : List.of();
        }

        @Override
        public List<ContainerFilter.Port> ports(ContainerRecord r) {
            asked.add("ports");
            return r == WEB ? List.of(new ContainerFilter.Port(80, 8080, "tcp"), new ContainerFilter.Port(443, 0, "tcp")) : List.of();
        }
    };

    private List<String> ps(String key, String... values) {
        ContainerFilter f = ContainerFilter.of(Map.of(key, List.of(values)), id -> null, ContainerFilter.PS_KEYS, facts);
        return java.util.stream.Stream.of(WEB, IDLE).filter(f).map(ContainerRecord::name).toList();
    }

    @Test
    void networkMatchesANameOrAPrefixOfTheId() {
        assertThat(ps("network", "n1")).containsExactly("web");
        assertThat(ps("network", "4f1e2d")).containsExactly("web");
        assertThat(ps("network", "none")).containsExactly("idle");
        assertThat(ps("network", "n1", "none")).containsExactly("web", "idle");
        assertThat(ps("network", "n")).isEmpty(); // names match whole
        assertThat(ps("network", "nosuch")).isEmpty();
    }

    @Test
    void volumeMatchesAVolumesNameABindsSourceOrADestination() {
        assertThat(ps("volume", "data")).containsExactly("web");
        assertThat(ps("volume", "/srv/data")).containsExactly("web");
        assertThat(ps("volume", "/etc/site")).containsExactly("web");
        assertThat(ps("volume", "/site")).containsExactly("web");
        assertThat(ps("volume", "/srv")).isEmpty();
        assertThat(ps("volume", "other", "data")).containsExactly("web");
    }

    @Test
    void publishMatchesTheHostPortOfAMapping() {
        assertThat(ps("publish", "8080")).containsExactly("web");
        assertThat(ps("publish", "8080/tcp")).containsExactly("web");
        assertThat(ps("publish", "8000-8100")).containsExactly("web");
        assertThat(ps("publish", "8080/udp")).isEmpty();
        assertThat(ps("publish", "80")).isEmpty(); // the container's side is expose's
        assertThat(ps("publish", "443")).isEmpty(); // exposed only
    }

    @Test
    void exposeMatchesTheContainerPortOfAMappingOrAnExposedPort() {
        assertThat(ps("expose", "80")).containsExactly("web");
        assertThat(ps("expose", "443/tcp")).containsExactly("web");
        assertThat(ps("expose", "400-500/tcp")).containsExactly("web");
        assertThat(ps("expose", "443/udp")).isEmpty();
        assertThat(ps("expose", "8080")).isEmpty();
        assertThat(ps("expose", "80-81/")).containsExactly("web"); // an empty protocol is tcp
    }

    @Test
    void portFiltersRefuseWhatDockerdRefuses() {
        assertThatThrownBy(() -> ps("publish", "127.0.0.1:80")).isInstanceOf(EngineException.class)
                .hasMessage("filter for 'publish' should not contain ':': 127.0.0.1:80");
        assertThatThrownBy(() -> ps("expose", "http")).isInstanceOf(EngineException.class)
                .hasMessage("error while looking up for expose http: strconv.ParseUint: parsing \"http\": invalid syntax");
        assertThatThrownBy(() -> ps("publish", "70000")).isInstanceOf(EngineException.class)
                .hasMessageContaining("parsing \"70000\": value out of range");
        assertThatThrownBy(() -> ps("publish", "90-80")).isInstanceOf(EngineException.class)
                .hasMessageContaining("invalid range specified for port: 90-80");
        assertThatThrownBy(() -> ps("expose", "")).isInstanceOf(EngineException.class)
                .hasMessageContaining("empty string specified for ports");
        assertThat(((EngineException) catchThrowable(() -> ps("expose", "x"))).status()).isEqualTo(400);
    }

    @Test
    void isolationIsAWindowsNotionThatLetsEveryContainerThrough() {
        assertThat(ps("isolation", "default")).containsExactly("web", "idle");
        assertThat(ps("isolation", "hyperv")).containsExactly("web", "idle");
    }

    @Test
    void noContainerIsASwarmTask() {
        assertThat(ps("is-task", "true")).isEmpty();
        assertThat(ps("is-task", "false")).containsExactly("web", "idle");
        assertThatThrownBy(() -> ps("is-task", "maybe")).isInstanceOf(EngineException.class);
    }

    @Test
    void differentKeysMustAllMatchAndFactsAreAskedOnlyWhenAKeyNeedsThem() {
        ContainerFilter f = ContainerFilter.of(Map.of("network", List.of("n1"), "publish", List.of("8080")), id -> null,
                ContainerFilter.PS_KEYS, facts);
        assertThat(f.test(WEB)).isTrue();
        assertThat(f.test(IDLE)).isFalse();
        asked.clear();
        ContainerFilter byName = ContainerFilter.of(Map.of("name", List.of("web")), id -> null, ContainerFilter.PS_KEYS, facts);
        assertThat(byName.test(WEB)).isTrue();
        assertThat(asked).isEmpty();
        assertThatThrownBy(() -> ContainerFilter.of(Map.of("nosuch", List.of("x")), id -> null, ContainerFilter.PS_KEYS, facts))
                .isInstanceOf(EngineException.class).hasMessage("invalid filter 'nosuch'");
    }

    private static Throwable catchThrowable(Runnable r) {
        try {
            r.run();
            return null;
        } catch (RuntimeException e) {
            return e;
        }
    }

    private static MountPoint mount(String type, String name, String source, String destination) {
        return new MountPoint(type, name, source, destination, type.equals("volume") ? "local" : null, "", true, "", false, false,
                null, false, null, null);
    }

    private static ContainerRecord record(String id, String name) {
        return new ContainerRecord(id, name, "2024-01-01T00:00:00Z", "sha256:" + "c".repeat(64), "busybox", null, null,
                List.of("sh"), "running", 0, false, "2024-01-01T00:00:01Z", null, 0, false, 1, null);
    }
}
